// Hook for every request the REST client sends, so the binary can export
// rest_client_requests_total by verb and code the way client-go does.
#pragma once

#include <string_view>

namespace ccm::kube {

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // `verb` is Kubernetes' (get, list, watch, create, update, patch, delete); `code` the HTTP
  // status, or 0 when no response arrived.
  virtual void OnKubeRequest(std::string_view verb, int code) = 0;
};

}  // namespace ccm::kube
