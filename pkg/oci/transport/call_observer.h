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
};

}  // namespace ccm::oci
