// Node spec.providerID <-> instance OCID. OCI's form is "oci://<instance OCID>"; kubelets
// started with --provider-id may also carry the bare OCID.
#pragma once

#include <string>
#include <string_view>

#include "pkg/base/error.h"

namespace ccm::cloud::instances {

inline constexpr std::string_view kProviderIdScheme = "oci://";

// The instance OCID in `provider_id`; kInvalidArgument when it is empty, names another
// cloud, or is not an instance OCID.
Result<std::string> InstanceIdFromProviderId(std::string_view provider_id);

// "oci://<instance_id>".
std::string ProviderIdForInstance(std::string_view instance_id);

}  // namespace ccm::cloud::instances
