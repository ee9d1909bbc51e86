// Which OCI client writes a given load balancer: the controller's own credentials from the
// cloud-config, or an LBRegistrar's apiKey (read from its Secret on demand).
#pragma once

#include <string>

#include "pkg/base/error.h"
#include "pkg/cloud/registrar/binding.h"
#include "pkg/oci/clients/backend_set_api.h"

namespace ccm::cloud::registrar {

struct ApiKeyMaterial {
  ApiKeyRef ref;
  std::string private_key_pem;  // from the Secret; never logged
};

class BackendSetApiResolver {
 public:
  virtual ~BackendSetApiResolver() = default;
  // `key` null: the controller's default credentials. The pointer stays valid until the next
  // call for the same load balancer (a client built for a key no load balancer uses any more
  // is released then); calls for one load balancer come from its single writer. Errors name the problem (fingerprint mismatch, bad PEM) for the
  // user; kInvalidArgument for anything in the key material.
  virtual Result<oci::BackendSetApi*> For(const std::string& lb_id, const ApiKeyMaterial* key) = 0;
};

}  // namespace ccm::cloud::registrar
