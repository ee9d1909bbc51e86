// Secrets are read on demand, one key at a time, and never cached: the controller has no
// cluster-wide Secret informer, so it neither needs list/watch rights on Secrets nor keeps
// every Secret in memory.
#pragma once

#include <string>

#include "pkg/base/error.h"
#include "pkg/kube/rest_client.h"

namespace ccm::kube {

// The base64-decoded value of data[key] of Secret namespace/name. kNotFound names the Secret
// or the missing key.
Result<std::string> GetSecretKey(RestClient& client, const std::string& ns, const std::string& name,
                                 const std::string& key);

}  // namespace ccm::kube
