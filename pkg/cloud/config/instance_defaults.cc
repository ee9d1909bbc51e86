#include "pkg/cloud/config/instance_defaults.h"

#include "pkg/oci/auth/instance_metadata.h"
#include "pkg/oci/ocid.h"

namespace ccm::cloud {

bool NeedsInstanceMetadata(const CloudConfig& config) {
  return config.auth.region.empty() || config.compartment.empty();
}

Status FillFromInstanceMetadata(CloudConfig& config, HttpTransport& transport, std::chrono::milliseconds timeout) {
  if (!NeedsInstanceMetadata(config)) return {};
  std::string missing;
  if (config.auth.region.empty()) missing = "auth.region";
  if (config.compartment.empty()) missing += std::string(missing.empty() ? "" : " and ") + "compartment";
  const std::string base = config.endpoints.metadata.empty() ? oci::kDefaultMetadataBaseUrl : config.endpoints.metadata;
  const std::string what = "cloud-config " + missing + " not set and not available from the instance metadata service (" +
                           base + "/instance/): ";
  const std::string fix = "; set " + missing + " in the cloud-config, or run on an OCI compute instance";
  oci::InstanceMetadataClient imds(transport, base, timeout);
  auto info = imds.FetchInstance();
  if (!info) return Fail(ErrorKind::kInvalidArgument, what + info.error().ToString() + fix);
  if (config.auth.region.empty()) {
    if (info->region.empty()) return Fail(ErrorKind::kInvalidArgument, what + "the answer has no region" + fix);
    config.auth.region = info->region;
  }
  if (config.compartment.empty()) {
    if (!oci::IsCompartmentOcid(info->compartment_id)) {
      return Fail(ErrorKind::kInvalidArgument,
                  what + "compartmentId \"" + info->compartment_id + "\" is not a compartment OCID" + fix);
    }
    config.compartment = info->compartment_id;
  }
  return {};
}

}  // namespace ccm::cloud
