// Hook for metrics: every HTTP attempt to OCI is reported once, by operation and status.
#pragma once

#include <chrono>
#include <string_view>

namespace ccm::oci {

class OciCallObserver {
 public:
  virtual ~OciCallObserver() = default;
  // `status` is the HTTP status, or 0 when no response arrived (connect failure, timeout).
  virtual void OnCall(std::string_view operation, int status, std::chrono::nanoseconds latency) = 0;
  // Time an attempt waited for the client-side rateLimiter (`write`: the write bucket), zero
  // included: a controller bound by its OCI budget shows it here.
  virtual void OnRateLimiterWait(bool write, std::chrono::nanoseconds waited) = 0;
};

}  // namespace ccm::oci
