// Small helpers shared by the OCI clients.
#pragma once

#include <string>
#include <string_view>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"

namespace ccm::oci {

// The `opc-work-request-id` header of a mutating call's answer; an error when it is missing.
Result<std::string> WorkRequestIdOf(std::string_view operation, const HttpResponse& response);

// Adds the response's opc-request-id to a parse error so it can be quoted to Oracle.
Error WithRequestId(Error error, std::string_view operation, const HttpResponse& response);

template <typename T>
Result<T> Annotate(Result<T> parsed, std::string_view operation, const HttpResponse& response) {
  if (parsed) return parsed;
  return std::unexpected(WithRequestId(std::move(parsed.error()), operation, response));
}

}  // namespace ccm::oci
