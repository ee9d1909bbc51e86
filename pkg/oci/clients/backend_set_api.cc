#include "pkg/oci/clients/backend_set_api.h"

#include <algorithm>
#include <tuple>

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

bool SameBackends(std::vector<BackendInfo> a, std::vector<BackendInfo> b) {
  auto key = [](const BackendInfo& x) {
    return std::make_tuple(x.name, x.ip_address, x.target_id, x.port, x.weight.value_or(-1), x.backup, x.drain, x.offline);
  };
  auto by_key = [&](const BackendInfo& l, const BackendInfo& r) { return key(l) < key(r); };
  std::sort(a.begin(), a.end(), by_key);
  std::sort(b.begin(), b.end(), by_key);
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](const auto& l, const auto& r) {
           return key(l) == key(r);
         });
}

Error ChangedSinceReadError(const std::string& lb_id, const std::string& set) {
  Error e = MakeError(ErrorKind::kConflict, "backend set " + set + " of " + lb_id +
                                                " changed since it was read; nothing written, re-planning");
  e.code = "ChangedSinceRead";
  e.retryable = true;
  return e;
}

}  // namespace ccm::oci
