#include "pkg/oci/auth/x509_certificate.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cctype>
#include <memory>

#include "pkg/base/status_macros.h"
#include "pkg/oci/auth/rsa_key.h"

namespace ccm::oci {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Cert = std::unique_ptr<X509, X509Free>;

Result<Cert> ParseCert(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  Cert cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free_all(bio);
  ERR_clear_error();
  if (!cert) return Fail(ErrorKind::kMalformedResponse, "instance leaf certificate is not a valid PEM certificate");
  return cert;
}

}  // namespace

Result<std::string> TenancyFromCertificate(std::string_view cert_pem) {
  ASSIGN_OR_RETURN(auto cert, ParseCert(cert_pem));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len < 0) continue;
    std::string value(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
    for (std::string_view prefix : {"opc-tenant:", "opc-identity:"}) {
      if (value.starts_with(prefix) && value.size() > prefix.size()) return value.substr(prefix.size());
    }
  }
  return Fail(ErrorKind::kMalformedResponse,
              "instance leaf certificate subject has no 'opc-tenant:<tenancy OCID>' attribute; is this an OCI "
              "compute instance?");
}

Result<std::string> CertificateSha256Fingerprint(std::string_view cert_pem) {
  ASSIGN_OR_RETURN(auto cert, ParseCert(cert_pem));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert.get(), EVP_sha256(), md, &len) != 1) {
    return Fail(ErrorKind::kInternal, "hashing the instance leaf certificate failed");
  }
  return ColonHex(std::string_view(reinterpret_cast<char*>(md), len));
}

Result<std::vector<std::string>> CertificateBodies(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  std::vector<std::string> bodies;
  size_t pos = 0;
  while ((pos = pem.find(kBegin, pos)) != std::string_view::npos) {
    size_t start = pos + kBegin.size();
    size_t end = pem.find(kEnd, start);
    if (end == std::string_view::npos) {
      return Fail(ErrorKind::kMalformedResponse, "certificate PEM has a BEGIN CERTIFICATE line without an END line");
    }
    std::string body;
    for (char c : pem.substr(start, end - start)) {
      if (!std::isspace(static_cast<unsigned char>(c))) body.push_back(c);
    }
    bodies.push_back(std::move(body));
    pos = end + kEnd.size();
  }
  return bodies;
}

}  // namespace ccm::oci
