#include "pkg/oci/auth/api_key_signer.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/auth/signing.h"

namespace ccm::oci {

ApiKeySigner::ApiKeySigner(std::string key_id, RsaPrivateKey key, const Clock& clock)
    : key_id_(std::move(key_id)), key_(std::move(key)), clock_(clock) {}

Result<std::unique_ptr<ApiKeySigner>> ApiKeySigner::Create(const ApiKeyConfig& config, const Clock& clock) {
  ASSIGN_OR_RETURN(auto credentials, LoadApiKey(config));
  return std::make_unique<ApiKeySigner>(std::move(credentials.key_id), std::move(credentials.key), clock);
}

Status ApiKeySigner::Sign(HttpRequest& request) {
  return SignRequest(request, FormatHttpDate(clock_.WallNow()), key_, key_id_);
}

}  // namespace ccm::oci
