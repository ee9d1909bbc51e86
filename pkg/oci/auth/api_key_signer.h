// RequestSigner for OCI API keys: signs with the user's key under keyId
// "<tenancy>/<user>/<fingerprint>", dating each request from the injected clock.
#pragma once

#include <memory>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/oci/auth/api_key.h"
#include "pkg/oci/auth/request_signer.h"
#include "pkg/oci/auth/rsa_key.h"

namespace ccm::oci {

class ApiKeySigner final : public RequestSigner {
 public:
  // The key is used as is with `key_id`: no fingerprint check (tests with Oracle's vectors,
  // whose keyId deliberately names another fingerprint). Production code uses Create().
  ApiKeySigner(std::string key_id, RsaPrivateKey key, const Clock& clock);

  // Loads and validates the key (see LoadApiKey).
  static Result<std::unique_ptr<ApiKeySigner>> Create(const ApiKeyConfig& config, const Clock& clock);

  Status Sign(HttpRequest& request) override;

  const std::string& key_id() const { return key_id_; }

 private:
  const std::string key_id_;
  const RsaPrivateKey key_;
  const Clock& clock_;
};

}  // namespace ccm::oci
