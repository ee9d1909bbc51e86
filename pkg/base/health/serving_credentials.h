// The serving certificate chain and key of the health server, parsed and checked up front so
// a bad file fails Start() with a clear message instead of failing every TLS handshake.
#pragma once

#include <openssl/ssl.h>

#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/health/openssl_ptr.h"

namespace ccm::health {

class ServingCredentials {
 public:
  // `cert_pem`: the leaf first, then any intermediates. `key_pem` must not be encrypted.
  // `source` names where they came from in error messages (never their content).
  static Result<ServingCredentials> FromPem(std::string_view cert_pem, std::string_view key_pem,
                                            const std::string& source);
  static Result<ServingCredentials> FromFiles(const std::string& cert_file, const std::string& key_file);

  // Puts the chain and key into `ctx` and sets TLS 1.2 as the minimum; false on failure.
  bool Install(SSL_CTX& ctx) const;

  // The leaf certificate, PEM (clients that pin it, tests).
  const std::string& leaf_pem() const { return leaf_pem_; }

 private:
  internal::X509Ptr leaf_;
  std::vector<internal::X509Ptr> intermediates_;
  internal::PkeyPtr key_;
  std::string leaf_pem_;
};

}  // namespace ccm::health
