// The seam between OCI clients and credentials. Implementations: API key (auth/api_key_*),
// instance principals (auth/instance_principal_*); OKE workload identity can be added later
// as another implementation without touching the clients.
#pragma once

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"

namespace ccm::oci {

class RequestSigner {
 public:
  virtual ~RequestSigner() = default;
  // Adds `date`, `host`, and for PUT/POST/PATCH `content-length`, `content-type` (default
  // application/json) and `x-content-sha256`, then `authorization`, to `request`.
  // `request.url` must be absolute; the path and query are signed exactly as sent.
  virtual Status Sign(HttpRequest& request) = 0;
};

}  // namespace ccm::oci
