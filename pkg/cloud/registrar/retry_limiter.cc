#include "pkg/cloud/registrar/retry_limiter.h"

namespace ccm::cloud::registrar {

std::unique_ptr<kube::RateLimiter> NewRetryLimiter(const Clock& clock, const SyncSettings& settings) {
  kube::RateLimiterOptions options;
  options.max_delay = settings.max_transient_error_backoff;
  return kube::DefaultControllerRateLimiter(clock, options);
}

}  // namespace ccm::cloud::registrar
