// Hook for every request the REST client sends, so the binary can export
// rest_client_requests_total by verb and code the way client-go does.
#pragma once

#include <chrono>
#include <string_view>

namespace ccm::kube {

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // `verb` is Kubernetes' (get, list, watch, create, update, patch, delete); `code` the HTTP
  // status, or 0 when no response arrived.
  virtual void OnKubeRequest(std::string_view verb, int code) = 0;
  // Time a request waited for the client-side QPS limit before it was sent (zero included),
  // so a controller bound by its QPS budget shows it.
  virtual void OnKubeRateLimiterWait(std::string_view verb, std::chrono::nanoseconds waited) = 0;
};

}  // namespace ccm::kube
