#include "pkg/base/health/serving_credentials.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include "pkg/base/status_macros.h"

namespace ccm::health {
namespace {

using internal::BioPtr;
using internal::PkeyPtr;
using internal::X509Ptr;

// Refuses to prompt for a passphrase: OpenSSL's default would read the terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

std::string OpenSslReason() {
  unsigned long code = ERR_peek_last_error();
  char buf[256] = "no detail";
  if (code != 0) ERR_error_string_n(code, buf, sizeof(buf));
  ERR_clear_error();
  return buf;
}

Result<std::string> ReadFile(const std::string& path, const char* flag) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Fail(ErrorKind::kInvalidArgument, std::string(flag) + " " + path + ": cannot be read");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string ToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return "";
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio.get(), &mem);
  return std::string(mem->data, mem->length);
}

}  // namespace

Result<ServingCredentials> ServingCredentials::FromPem(std::string_view cert_pem, std::string_view key_pem,
                                                       const std::string& source) {
  ERR_clear_error();
  ServingCredentials out;
  BioPtr certs(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  out.leaf_.reset(PEM_read_bio_X509(certs.get(), nullptr, NoPassphrase, nullptr));
  if (!out.leaf_) {
    return Fail(ErrorKind::kInvalidArgument, source + ": no PEM certificate found (" + OpenSslReason() + ")");
  }
  while (X509* next = PEM_read_bio_X509(certs.get(), nullptr, NoPassphrase, nullptr)) {
    out.intermediates_.emplace_back(next);
  }
  ERR_clear_error();  // the loop ends on a "no start line" error

  BioPtr key(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  out.key_.reset(PEM_read_bio_PrivateKey(key.get(), nullptr, NoPassphrase, nullptr));
  if (!out.key_) {
    OpenSslReason();
    return Fail(ErrorKind::kInvalidArgument,
                source + ": the private key is not an unencrypted PEM key (PKCS#8, PKCS#1 or SEC1)");
  }
  if (X509_check_private_key(out.leaf_.get(), out.key_.get()) != 1) {
    OpenSslReason();
    return Fail(ErrorKind::kInvalidArgument,
                source + ": the private key does not belong to the first certificate; pass the matching pair");
  }
  if (X509_cmp_current_time(X509_get0_notAfter(out.leaf_.get())) < 0) {
    return Fail(ErrorKind::kInvalidArgument, source + ": the certificate has expired; renew it");
  }
  out.leaf_pem_ = ToPem(out.leaf_.get());
  return out;
}

Result<ServingCredentials> ServingCredentials::FromFiles(const std::string& cert_file, const std::string& key_file) {
  ASSIGN_OR_RETURN(auto cert, ReadFile(cert_file, "--tls-cert-file"));
  ASSIGN_OR_RETURN(auto key, ReadFile(key_file, "--tls-private-key-file"));
  return FromPem(cert, key, "--tls-cert-file " + cert_file + " / --tls-private-key-file " + key_file);
}

bool ServingCredentials::Install(SSL_CTX& ctx) const {
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate(&ctx, leaf_.get()) != 1) return false;
  for (const auto& c : intermediates_) {
    if (SSL_CTX_add1_chain_cert(&ctx, c.get()) != 1) return false;
  }
  return SSL_CTX_use_PrivateKey(&ctx, key_.get()) == 1 && SSL_CTX_check_private_key(&ctx) == 1;
}

}  // namespace ccm::health
