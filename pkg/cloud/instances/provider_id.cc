#include "pkg/cloud/instances/provider_id.h"

#include "pkg/oci/ocid.h"

namespace ccm::cloud::instances {

Result<std::string> InstanceIdFromProviderId(std::string_view provider_id) {
  if (provider_id.empty()) return Fail(ErrorKind::kInvalidArgument, "node spec.providerID is empty");
  std::string_view id = provider_id;
  if (id.starts_with(kProviderIdScheme)) {
    id.remove_prefix(kProviderIdScheme.size());
  } else if (id.find("://") != std::string_view::npos) {
    return Fail(ErrorKind::kInvalidArgument,
                "node spec.providerID \"" + std::string(provider_id) +
                    "\" belongs to another cloud provider: expected oci://<instance OCID>");
  }
  if (!oci::IsOcidOf(id, "instance")) {
    return Fail(ErrorKind::kInvalidArgument,
                "node spec.providerID \"" + std::string(provider_id) +
                    "\" is not an instance OCID: expected oci://ocid1.instance.... or the bare OCID");
  }
  return std::string(id);
}

std::string ProviderIdForInstance(std::string_view instance_id) {
  return std::string(kProviderIdScheme) + std::string(instance_id);
}

}  // namespace ccm::cloud::instances
