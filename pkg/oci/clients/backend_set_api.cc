#include "pkg/oci/clients/backend_set_api.h"

#include <algorithm>
#include <tuple>

#include "pkg/oci/ocid.h"

namespace ccm::oci {

Result<LoadBalancerKind> LoadBalancerKindOf(std::string_view ocid) {
  if (IsOcidOf(ocid, "loadbalancer")) return LoadBalancerKind::kLoadBalancer;
  if (IsOcidOf(ocid, "networkloadbalancer")) return LoadBalancerKind::kNetworkLoadBalancer;
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

bool SameBackends(const std::vector<BackendInfo>& a, const std::vector<BackendInfo>& b) {
  if (a.size() != b.size()) return false;
  auto key = [](const BackendInfo* x) {
    return std::tie(x->name, x->ip_address, x->target_id, x->port, x->weight, x->backup, x->drain, x->offline);
  };
  auto sorted = [&](const std::vector<BackendInfo>& v) {
    std::vector<const BackendInfo*> out;
    out.reserve(v.size());
    for (const auto& x : v) out.push_back(&x);
    std::sort(out.begin(), out.end(), [&](const BackendInfo* l, const BackendInfo* r) { return key(l) < key(r); });
    return out;
  };
  auto sa = sorted(a);
  auto sb = sorted(b);
  return std::equal(sa.begin(), sa.end(), sb.begin(), [&](const BackendInfo* l, const BackendInfo* r) { return key(l) == key(r); });
}

Error ChangedSinceReadError(const std::string& lb_id, const std::string& set) {
  Error e = MakeError(ErrorKind::kConflict, "backend set " + set + " of " + lb_id +
                                                " changed since it was read; nothing written, re-planning");
  e.code = "ChangedSinceRead";
  e.retryable = true;
  return e;
}

}  // namespace ccm::oci
