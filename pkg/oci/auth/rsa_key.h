// An RSA private key held only in memory (OpenSSL EVP_PKEY): loaded from PEM or generated,
// never written anywhere. Errors about a key never contain its bytes or its passphrase.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "pkg/base/error.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace ccm::oci {

class RsaPrivateKey {
 public:
  // Accepts PKCS#1 ("BEGIN RSA PRIVATE KEY", optionally legacy-encrypted with Proc-Type and
  // DEK-Info) and PKCS#8 ("BEGIN PRIVATE KEY" or "BEGIN ENCRYPTED PRIVATE KEY").
  // `passphrase` is used only when the key is encrypted. `what` names the key's source in
  // errors, e.g. "private key file /etc/oci/key.pem".
  static Result<RsaPrivateKey> FromPem(std::string_view pem, std::string_view passphrase,
                                       std::string_view what);
  static Result<RsaPrivateKey> Generate(int bits);

  // DER SubjectPublicKeyInfo of the public half.
  std::string PublicKeyDer() const;
  // "-----BEGIN PUBLIC KEY-----" PEM of the public half.
  std::string PublicKeyPem() const;
  // OCI's API key fingerprint: MD5 of the DER SubjectPublicKeyInfo, lower-case hex pairs
  // joined by ':'.
  std::string Fingerprint() const;
  int bits() const;

  // RSASSA-PKCS1-v1_5 over SHA-256; raw signature bytes. Safe to call from many threads.
  Result<std::string> SignSha256(std::string_view data) const;

  EVP_PKEY* get() const { return key_.get(); }

 private:
  explicit RsaPrivateKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  std::shared_ptr<EVP_PKEY> key_;
};

// Lower-case hex pairs joined by ':' ("ab:01:..."), as OCI writes fingerprints.
std::string ColonHex(std::string_view bytes);

}  // namespace ccm::oci
