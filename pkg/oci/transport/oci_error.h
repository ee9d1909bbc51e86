// Turns an OCI error response into a ccm::Error a user can act on: kind by status and OCI
// code, the service's own message, the request id to quote to Oracle, and whether a retry helps.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"

namespace ccm::oci {

// `sent_request_id` fills request_id when the response carries no opc-request-id.
Error ErrorFromResponse(std::string_view operation, const HttpResponse& response,
                        std::string_view sent_request_id);

// `retry-after` as delta seconds (integer or decimal); nullopt when absent or unparsable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value);

// OCI's "another work request is running" answers: 409 IncorrectState, and the load
// balancer's 409 whose message reports an invalid state transition.
bool IsIncorrectStateConflict(std::string_view code, std::string_view message);

}  // namespace ccm::oci
