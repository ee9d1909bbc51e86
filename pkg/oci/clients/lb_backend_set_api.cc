#include "pkg/oci/clients/lb_backend_set_api.h"

#include <algorithm>
#include <map>

#include "pkg/base/status_macros.h"
#include "pkg/oci/clients/whole_set_write.h"

namespace ccm::oci {
namespace {

void Apply(const BackendSpec& spec, LbBackend& b) {
  if (spec.weight) b.weight = spec.weight;
  if (spec.backup) b.backup = *spec.backup;
  if (spec.drain) b.drain = *spec.drain;
  if (spec.offline) b.offline = *spec.offline;
}

Result<LbBackend> NewBackend(const BackendSpec& spec) {
  if (spec.ip_address.empty() || !spec.target_id.empty()) {
    return Fail(ErrorKind::kInvalidArgument,
                "backend " + spec.Name() + ": a load balancer backend needs an IP address (not a targetId)");
  }
  LbBackend b;
  b.ip_address = spec.ip_address;
  b.port = spec.port;
  b.name = spec.Name();
  Apply(spec, b);
  return b;
}

BackendInfo ToInfo(const LbBackend& b) {
  return {.name = b.name, .ip_address = b.ip_address, .port = b.port, .weight = b.weight,
          .backup = b.backup, .drain = b.drain, .offline = b.offline};
}

WorkRequestPhase PhaseOf(std::string_view state) {
  if (state == "SUCCEEDED") return WorkRequestPhase::kSucceeded;
  if (state == "FAILED") return WorkRequestPhase::kFailed;
  if (state == "CANCELED") return WorkRequestPhase::kCanceled;
  return WorkRequestPhase::kPending;  // ACCEPTED, IN_PROGRESS, and states added later
}

}  // namespace

Result<std::vector<LbBackend>> LbBackendSetApi::Merge(const std::vector<LbBackend>& current,
                                                      const std::vector<BackendSpec>& desired) {
  std::map<std::string, const LbBackend*> by_name;
  for (const auto& b : current) by_name[b.name] = &b;
  std::vector<LbBackend> out;
  std::map<std::string, bool> seen;
  for (const auto& spec : desired) {
    const std::string name = spec.Name();
    if (!seen.emplace(name, true).second) continue;
    if (auto it = by_name.find(name); it != by_name.end()) {
      LbBackend b = *it->second;
      Apply(spec, b);
      out.push_back(std::move(b));
    } else {
      ASSIGN_OR_RETURN(auto b, NewBackend(spec));
      out.push_back(std::move(b));
    }
  }
  return out;
}

Result<LoadBalancerInfo> LbBackendSetApi::GetLoadBalancer(const std::string& lb_id) {
  ASSIGN_OR_RETURN(auto lb, api_.GetLoadBalancer(lb_id));
  return LoadBalancerInfo{.kind = LoadBalancerKind::kLoadBalancer, .id = lb.id, .display_name = lb.display_name, .compartment_id = lb.compartment_id,
                          .lifecycle_state = lb.lifecycle_state, .ip_addresses = lb.ip_addresses,
                          .backend_set_names = lb.backend_set_names};
}

Result<BackendSetInfo> LbBackendSetApi::GetBackendSet(const std::string& lb_id, const std::string& set) {
  ASSIGN_OR_RETURN(auto bs, api_.GetBackendSet(lb_id, set));
  return InfoOfRead(std::move(bs), ToInfo);
}

Result<std::string> LbBackendSetApi::ReplaceBackends(const std::string& lb_id, const std::string& set,
                                                     const std::vector<BackendSpec>& desired,
                                                     BackendSetInfo* read) {
  ASSIGN_OR_RETURN(auto start, StartingSet<LbBackendSet>(
                                   read, [&] { return api_.GetBackendSet(lb_id, set); }, ToInfo, lb_id, set));
  return WriteMerged(
      std::move(start), desired, Merge, LbBackendDetailsJson,
      [&](const LbBackendSet& bs) { return api_.UpdateBackendSet(lb_id, bs); }, lb_id, set);
}

Result<std::string> LbBackendSetApi::CreateBackend(const std::string& lb_id, const std::string& set,
                                                   const BackendSpec& backend) {
  ASSIGN_OR_RETURN(auto b, NewBackend(backend));
  return api_.CreateBackend(lb_id, set, b);
}

Result<std::string> LbBackendSetApi::UpdateBackend(const std::string& lb_id, const std::string& set,
                                                   const BackendSpec& backend) {
  // UpdateBackendDetails replaces every setting: start from the current ones.
  ASSIGN_OR_RETURN(auto current, api_.ListBackends(lb_id, set));
  const std::string name = backend.Name();
  auto it = std::find_if(current.begin(), current.end(), [&](const LbBackend& b) { return b.name == name; });
  if (it == current.end()) {
    return Fail(ErrorKind::kNotFound, "backend " + name + " is not in backend set " + set + " of " + lb_id);
  }
  LbBackend b = *it;
  Apply(backend, b);
  return api_.UpdateBackend(lb_id, set, b);
}

Result<std::string> LbBackendSetApi::DeleteBackend(const std::string& lb_id, const std::string& set,
                                                   const std::string& backend_name) {
  return api_.DeleteBackend(lb_id, set, backend_name);
}

Result<WorkRequestState> LbBackendSetApi::GetWorkRequest(const std::string& id) {
  ASSIGN_OR_RETURN(auto wr, api_.GetWorkRequest(id));
  WorkRequestState s{.id = wr.id, .phase = PhaseOf(wr.lifecycle_state), .status = wr.lifecycle_state,
                     .operation = wr.type, .message = wr.message};
  for (const auto& e : wr.error_details) s.errors.push_back(e.error_code + ": " + e.message);
  return s;
}

Result<bool> LbBackendSetApi::WorkInFlight(const LoadBalancerInfo& lb) {
  // Classic load balancers stay ACTIVE while they change: only their work requests tell.
  ASSIGN_OR_RETURN(auto list, api_.ListWorkRequests(lb.id));
  return std::any_of(list.begin(), list.end(), [](const LbWorkRequest& wr) {
    return wr.lifecycle_state == "ACCEPTED" || wr.lifecycle_state == "IN_PROGRESS";
  });
}

}  // namespace ccm::oci
