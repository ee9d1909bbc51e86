// Small OpenSSL helpers the simulator needs: digests, RSA verify/sign, PEM parsing.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"

namespace ccm::ocisim {

struct PKeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* c) const { X509_free(c); }
};
using PKeyPtr = std::shared_ptr<EVP_PKEY>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

std::string Sha256(std::string_view data);
std::string Sha256Base64(std::string_view data);
std::string HexColon(std::string_view bytes);  // "AB:CD:..."

// Accepts a SubjectPublicKeyInfo PEM or a certificate PEM.
Result<PKeyPtr> ParsePublicKeyPem(const std::string& pem);
Result<PKeyPtr> ParsePrivateKeyPem(const std::string& pem);
Result<X509Ptr> ParseCertificatePem(const std::string& pem);
std::string PublicKeyPem(EVP_PKEY* key);

bool RsaSha256Verify(EVP_PKEY* key, std::string_view data, std::string_view signature);
Result<std::string> RsaSha256Sign(EVP_PKEY* key, std::string_view data);

// SHA-1 / SHA-256 fingerprints of a certificate's DER, as "AB:CD:..".
std::string CertFingerprint(X509* cert, bool sha256);
// Values of subject attributes (any type), e.g. "opc-tenant:ocid1.tenancy...".
std::vector<std::string> SubjectValues(X509* cert);

}  // namespace ccm::ocisim
