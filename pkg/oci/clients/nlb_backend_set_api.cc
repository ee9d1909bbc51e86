#include "pkg/oci/clients/nlb_backend_set_api.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "pkg/base/status_macros.h"
#include "pkg/oci/clients/whole_set_write.h"

namespace ccm::oci {
namespace {

void Apply(const BackendSpec& spec, NlbBackend& b) {
  if (spec.weight) b.weight = spec.weight;
  if (spec.backup) b.is_backup = *spec.backup;
  if (spec.drain) b.is_drain = *spec.drain;
  if (spec.offline) b.is_offline = *spec.offline;
}

// A new backend is registered by instance when the spec names one (OCI fills in the
// instance's IP), else by address.
Result<NlbBackend> NewBackend(const BackendSpec& spec) {
  if (spec.ip_address.empty() && spec.target_id.empty()) {
    return Fail(ErrorKind::kInvalidArgument, "backend " + spec.Name() + ": set ipAddress or targetId");
  }
  NlbBackend b;
  if (spec.target_id.empty()) b.ip_address = spec.ip_address;
  b.target_id = spec.target_id;
  b.port = spec.port;
  b.name = spec.Name();
  Apply(spec, b);
  return b;
}

BackendInfo ToInfo(const NlbBackend& b) {
  return {.name = b.name, .ip_address = b.ip_address, .target_id = b.target_id, .port = b.port,
          .weight = b.weight, .backup = b.is_backup, .drain = b.is_drain, .offline = b.is_offline};
}

WorkRequestPhase PhaseOf(std::string_view status) {
  if (status == "SUCCEEDED") return WorkRequestPhase::kSucceeded;
  if (status == "FAILED") return WorkRequestPhase::kFailed;
  if (status == "CANCELED") return WorkRequestPhase::kCanceled;
  return WorkRequestPhase::kPending;  // ACCEPTED, IN_PROGRESS, CANCELING, and states added later
}

// Finds the current backend a spec refers to: by name, else the same node at the same port
// (a backend added by hand may carry any name): by instance when both carry one, else by IP
// (a backend added by targetId comes back with its IP too; one added by IP has no targetId),
// as registrar::BackendMatcher decides. Indexed, so a merge stays linear.
class CurrentBackends {
 public:
  explicit CurrentBackends(const std::vector<NlbBackend>& current) {
    for (const auto& b : current) {
      by_name_.emplace(b.name, &b);
      if (!b.target_id.empty()) by_target_.emplace(Where(b.target_id, b.port), &b);
      if (!b.ip_address.empty()) by_ip_.emplace(Where(b.ip_address, b.port), &b);
    }
  }
  const NlbBackend* Find(const BackendSpec& spec) const {
    if (auto it = by_name_.find(spec.Name()); it != by_name_.end()) return it->second;
    if (!spec.target_id.empty()) {
      if (auto it = by_target_.find(Where(spec.target_id, spec.port)); it != by_target_.end()) return it->second;
    }
    if (!spec.ip_address.empty()) {
      auto it = by_ip_.find(Where(spec.ip_address, spec.port));
      if (it != by_ip_.end() && (spec.target_id.empty() || it->second->target_id.empty())) return it->second;
    }
    return nullptr;
  }

 private:
  static std::string Where(const std::string& id, int64_t port) { return id + ":" + std::to_string(port); }
  // emplace keeps the first of duplicates, as a scan in OCI's order would.
  std::unordered_map<std::string, const NlbBackend*> by_name_, by_target_, by_ip_;
};

}  // namespace

Result<std::vector<NlbBackend>> NlbBackendSetApi::Merge(const std::vector<NlbBackend>& current,
                                                        const std::vector<BackendSpec>& desired) {
  std::vector<NlbBackend> out;
  std::map<std::string, bool> seen;
  CurrentBackends index(current);
  for (const auto& spec : desired) {
    if (const NlbBackend* existing = index.Find(spec)) {
      if (!seen.emplace(existing->name, true).second) continue;
      NlbBackend b = *existing;
      Apply(spec, b);
      out.push_back(std::move(b));
    } else {
      if (!seen.emplace(spec.Name(), true).second) continue;
      ASSIGN_OR_RETURN(auto b, NewBackend(spec));
      out.push_back(std::move(b));
    }
  }
  return out;
}

Result<LoadBalancerInfo> NlbBackendSetApi::GetLoadBalancer(const std::string& nlb_id) {
  ASSIGN_OR_RETURN(auto nlb, api_.GetNetworkLoadBalancer(nlb_id));
  return LoadBalancerInfo{.kind = LoadBalancerKind::kNetworkLoadBalancer, .id = nlb.id,
                          .display_name = nlb.display_name, .compartment_id = nlb.compartment_id, .lifecycle_state = nlb.lifecycle_state,
                          .ip_addresses = nlb.ip_addresses, .backend_set_names = nlb.backend_set_names};
}

Result<BackendSetInfo> NlbBackendSetApi::GetBackendSet(const std::string& nlb_id, const std::string& set) {
  ASSIGN_OR_RETURN(auto bs, api_.GetBackendSet(nlb_id, set));
  return InfoOfRead(std::move(bs), ToInfo);
}

Result<std::string> NlbBackendSetApi::ReplaceBackends(const std::string& nlb_id, const std::string& set,
                                                     const std::vector<BackendSpec>& desired,
                                                     BackendSetInfo* read) {
  ASSIGN_OR_RETURN(auto start, StartingSet<NlbBackendSet>(
                                   read, [&] { return api_.GetBackendSet(nlb_id, set); }, ToInfo, nlb_id, set));
  return WriteMerged(
      std::move(start), desired, Merge, NlbBackendDetailsJson,
      [&](const NlbBackendSet& bs) { return api_.UpdateBackendSet(nlb_id, bs); }, nlb_id, set);
}

Result<std::string> NlbBackendSetApi::CreateBackend(const std::string& nlb_id, const std::string& set,
                                                    const BackendSpec& backend) {
  ASSIGN_OR_RETURN(auto b, NewBackend(backend));
  return api_.CreateBackend(nlb_id, set, b);
}

Result<std::string> NlbBackendSetApi::UpdateBackend(const std::string& nlb_id, const std::string& set,
                                                    const BackendSpec& backend) {
  ASSIGN_OR_RETURN(auto current, api_.ListBackends(nlb_id, set));
  const NlbBackend* existing = CurrentBackends(current).Find(backend);
  if (existing == nullptr) {
    return Fail(ErrorKind::kNotFound,
                "backend " + backend.Name() + " is not in backend set " + set + " of " + nlb_id);
  }
  NlbBackend b = *existing;
  Apply(backend, b);
  return api_.UpdateBackend(nlb_id, set, b);
}

Result<std::string> NlbBackendSetApi::DeleteBackend(const std::string& nlb_id, const std::string& set,
                                                    const std::string& backend_name) {
  return api_.DeleteBackend(nlb_id, set, backend_name);
}

Result<WorkRequestState> NlbBackendSetApi::GetWorkRequest(const std::string& id) {
  ASSIGN_OR_RETURN(auto wr, api_.GetWorkRequest(id));
  WorkRequestState s{.id = wr.id, .phase = PhaseOf(wr.status), .status = wr.status,
                     .operation = wr.operation_type, .percent_complete = wr.percent_complete};
  if (s.phase == WorkRequestPhase::kFailed) {
    auto errors = api_.ListWorkRequestErrors(id);
    if (!errors) {
      s.errors.push_back("(could not read the work request's errors: " + errors.error().ToString() + ")");
    } else {
      for (const auto& e : *errors) s.errors.push_back(e.code + ": " + e.message);
    }
  }
  return s;
}

Result<bool> NlbBackendSetApi::WorkInFlight(const LoadBalancerInfo& lb) {
  // A network load balancer is UPDATING while any of its work requests runs.
  return lb.lifecycle_state == "UPDATING";
}

}  // namespace ccm::oci
