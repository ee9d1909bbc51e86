// The registrar's work-queue retry delay for failed runs: client-go's default controller
// limiter (5 ms doubling per consecutive failure of a key, 10 qps overall), but capped at
// SyncSettings::max_transient_error_backoff instead of 1000 s. A load balancer that failed
// through a long OCI outage would otherwise wait up to ~16 minutes after OCI is back before
// trying again; with the cap the first retry comes within the cap of OCI's return.
#pragma once

#include <memory>

#include "pkg/base/clock.h"
#include "pkg/cloud/registrar/load_balancer_sync.h"
#include "pkg/kube/workqueue/rate_limiter.h"

namespace ccm::cloud::registrar {

std::unique_ptr<kube::RateLimiter> NewRetryLimiter(const Clock& clock, const SyncSettings& settings);

}  // namespace ccm::cloud::registrar
