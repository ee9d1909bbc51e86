#include "pkg/oci/clients/response_util.h"

namespace ccm::oci {

Result<std::string> WorkRequestIdOf(std::string_view operation, const HttpResponse& response) {
  std::string id = response.Header("opc-work-request-id");
  if (id.empty()) {
    Error e = MakeError(ErrorKind::kMalformedResponse,
                        std::string(operation) + " response has no opc-work-request-id header");
    e.http_status = response.status;
    e.request_id = response.Header("opc-request-id");
    return std::unexpected(std::move(e));
  }
  return id;
}

Error WithRequestId(Error error, std::string_view operation, const HttpResponse& response) {
  Error e = std::move(error).Wrap(std::string(operation));
  e.http_status = response.status;
  e.request_id = response.Header("opc-request-id");
  return e;
}

}  // namespace ccm::oci
