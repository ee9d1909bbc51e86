#include "pkg/base/health/self_signed_cert.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <memory>
#include <set>

#include "pkg/base/health/openssl_ptr.h"
#include "pkg/base/status_macros.h"

namespace ccm::health {
namespace {

using internal::BioPtr;
using internal::BnPtr;
using internal::ExtPtr;
using internal::PkeyPtr;
using internal::X509Ptr;

std::unexpected<Error> OpenSslFail(const std::string& what) {
  unsigned long code = ERR_get_error();
  char buf[256] = "unknown OpenSSL error";
  if (code != 0) ERR_error_string_n(code, buf, sizeof(buf));
  ERR_clear_error();
  return Fail(ErrorKind::kInternal, "self-signed serving certificate: " + what + ": " + buf);
}

bool AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

Result<std::string> ToPem(auto write) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || !write(bio.get())) return OpenSslFail("PEM encoding");
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio.get(), &mem);
  return std::string(mem->data, mem->length);
}

// SAN entries must not contain the list separator or anything OpenSSL's parser treats specially.
bool IsPlainSanValue(const std::string& v) {
  if (v.empty()) return false;
  for (char c : v) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '*' || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Hostname() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

Result<PemKeyPair> GenerateSelfSignedCertificate(const SelfSignedOptions& options) {
  std::string host = Hostname();
  std::string cn = options.common_name.empty() ? host : options.common_name;

  // The first DNS SAN is the hostname; a duplicate or odd name is skipped rather than failing.
  std::set<std::string> seen;
  std::string san;
  auto add_san = [&](const std::string& kind, const std::string& value) {
    if (!IsPlainSanValue(value) || !seen.insert(kind + value).second) return;
    if (!san.empty()) san += ",";
    san += kind + ":" + value;
  };
  add_san("DNS", host);
  add_san("DNS", "localhost");
  for (const auto& d : options.dns_names) add_san("DNS", d);
  add_san("IP", "127.0.0.1");
  for (const auto& ip : options.ip_addresses) add_san("IP", ip);

  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslFail("generating the P-256 key");

  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return OpenSslFail("creating the certificate");
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof(serial_bytes)) != 1) return OpenSslFail("drawing a serial number");
  serial_bytes[0] &= 0x7f;  // positive
  BnPtr serial(BN_bin2bn(serial_bytes, sizeof(serial_bytes), nullptr));
  if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()))) {
    return OpenSslFail("setting the serial number");
  }
  // Backdated an hour so a peer with a slightly slow clock accepts it at once.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                  static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(options.validity).count()));
  X509_NAME* name = X509_get_subject_name(cert.get());
  // A CN longer than 64 bytes is invalid X.509; the SANs carry the names that matter.
  std::string short_cn = cn.substr(0, 64);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(short_cn.c_str()),
                                 -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
    return OpenSslFail("setting names and key");
  }
  // No keyUsage extension: OpenSSL then accepts this certificate as its own trust anchor.
  if (!AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(cert.get(), NID_ext_key_usage, "serverAuth") ||
      !AddExtension(cert.get(), NID_subject_key_identifier, "hash") ||
      !AddExtension(cert.get(), NID_subject_alt_name, san)) {
    return OpenSslFail("adding extensions");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return OpenSslFail("signing");

  ASSIGN_OR_RETURN(auto cert_pem, ToPem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()) == 1; }));
  auto key_pem = ToPem([&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  });
  if (!key_pem) return Fail(key_pem.error());
  return PemKeyPair{.cert_pem = std::move(cert_pem), .key_pem = std::move(*key_pem)};
}

}  // namespace ccm::health
