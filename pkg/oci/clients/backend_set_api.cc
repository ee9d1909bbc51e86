#include "pkg/oci/clients/backend_set_api.h"

namespace ccm::oci {

Result<LoadBalancerKind> LoadBalancerKindOf(std::string_view ocid) {
  if (ocid.starts_with("ocid1.loadbalancer.")) return LoadBalancerKind::kLoadBalancer;
  if (ocid.starts_with("ocid1.networkloadbalancer.")) return LoadBalancerKind::kNetworkLoadBalancer;
  return Fail(ErrorKind::kInvalidArgument,
              "'" + std::string(ocid) +
                  "' is not a load balancer OCID: expected ocid1.loadbalancer.… or ocid1.networkloadbalancer.…");
}

std::string BackendSpec::Name() const {
  return (target_id.empty() ? ip_address : target_id) + ":" + std::to_string(port);
}

const char* WorkRequestPhaseName(WorkRequestPhase phase) {
  switch (phase) {
    case WorkRequestPhase::kPending: return "Pending";
    case WorkRequestPhase::kSucceeded: return "Succeeded";
    case WorkRequestPhase::kFailed: return "Failed";
    case WorkRequestPhase::kCanceled: return "Canceled";
  }
  return "Unknown";
}

Result<BackendSetApi*> BackendSetApiSelector::For(std::string_view ocid) const {
  auto kind = LoadBalancerKindOf(ocid);
  if (!kind) return Fail(kind.error());
  return *kind == LoadBalancerKind::kLoadBalancer ? &lb_ : &nlb_;
}

}  // namespace ccm::oci
