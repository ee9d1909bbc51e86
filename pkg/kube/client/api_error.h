// Maps Kubernetes answers to typed errors. A non-2xx response usually carries a
// metav1.Status body: its `reason` becomes Error::code, 422 field causes are listed in the
// message ("spec.ports[0].port: Invalid value..."), and Retry-After / details.retryAfterSeconds
// become Error::retry_after for 429 and 5xx.
#pragma once

#include <string_view>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"
#include "pkg/base/json.h"

namespace ccm::kube {

// `what` names the request for the message, e.g. "GET /api/v1/nodes/n1".
Error ErrorFromResponse(const HttpResponse& response, std::string_view what);
// From a decoded metav1.Status object (an ERROR watch event or a response body).
Error ErrorFromStatus(const json::Value& status, int http_status, std::string_view what);
// The ErrorKind for an HTTP status and Kubernetes reason.
ErrorKind KindFor(int http_status, std::string_view reason);

}  // namespace ccm::kube
