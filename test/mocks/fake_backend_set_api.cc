#include "test/mocks/fake_backend_set_api.h"

#include <algorithm>

namespace ccm::testing {

void FakeBackendSetApi::AddLoadBalancer(const std::string& lb_id, const std::vector<std::string>& sets,
                                        const std::vector<std::string>& ips) {
  std::lock_guard lock(mu_);
  lbs_[lb_id] = sets;
  ips_[lb_id] = ips;
  for (const auto& s : sets) sets_[{lb_id, s}];
}

void FakeBackendSetApi::SetBackends(const std::string& lb_id, const std::string& set,
                                    std::vector<oci::BackendInfo> backends) {
  std::lock_guard lock(mu_);
  sets_[{lb_id, set}] = std::move(backends);
}

std::vector<oci::BackendInfo> FakeBackendSetApi::Backends(const std::string& lb_id, const std::string& set) {
  std::lock_guard lock(mu_);
  return sets_[{lb_id, set}];
}

void FakeBackendSetApi::CompleteAll() {
  std::lock_guard lock(mu_);
  for (auto& [id, p] : pending_) {
    sets_[{p.lb, p.set}] = p.after;
    done_[id] = {.id = id, .phase = oci::WorkRequestPhase::kSucceeded, .status = "SUCCEEDED"};
  }
  pending_.clear();
}

void FakeBackendSetApi::FailAll(const std::string& message) {
  std::lock_guard lock(mu_);
  for (auto& [id, p] : pending_) {
    done_[id] = {.id = id, .phase = oci::WorkRequestPhase::kFailed, .status = "FAILED", .errors = {"InternalError: " + message}};
  }
  pending_.clear();
}

void FakeBackendSetApi::FailNext(const std::string& operation, Error error) {
  std::lock_guard lock(mu_);
  inject_[operation] = std::move(error);
}

int FakeBackendSetApi::calls(const std::string& operation) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(operation);
  return it == calls_.end() ? 0 : it->second;
}

int FakeBackendSetApi::writes() const {
  return calls("ReplaceBackends") + calls("CreateBackend") + calls("UpdateBackend") + calls("DeleteBackend");
}

std::optional<Error> FakeBackendSetApi::Injected(const std::string& op) {
  ++calls_[op];
  auto it = inject_.find(op);
  if (it == inject_.end()) return std::nullopt;
  Error e = it->second;
  inject_.erase(it);
  return e;
}

oci::BackendInfo FakeBackendSetApi::FromSpec(const oci::BackendSpec& s, const oci::BackendInfo* current) {
  oci::BackendInfo b = current ? *current : oci::BackendInfo{};
  b.name = s.Name();
  if (!s.ip_address.empty()) b.ip_address = s.ip_address;
  if (!s.target_id.empty()) {
    b.target_id = s.target_id;
    if (b.ip_address.empty()) b.ip_address = "resolved-" + s.target_id;
  }
  b.port = s.port;
  if (s.weight) b.weight = *s.weight;
  else if (!current) b.weight = 1;
  if (s.drain) b.drain = *s.drain;
  if (s.backup) b.backup = *s.backup;
  if (s.offline) b.offline = *s.offline;
  return b;
}

Result<std::string> FakeBackendSetApi::Submit(const std::string& op, const std::string& lb, const std::string& set,
                                              std::vector<oci::BackendInfo> after) {
  for (const auto& [id, p] : pending_) {
    if (p.lb == lb) {
      Error e = MakeError(ErrorKind::kIncorrectState, "Invalid State Transition from Updating to Updating");
      e.http_status = 409;
      e.code = "IncorrectState";
      return Fail(e);
    }
  }
  (void)op;
  std::string id = "ocid1.workrequest.fake." + std::to_string(next_wr_++);
  pending_[id] = {lb, set, std::move(after)};
  if (auto_complete) {
    sets_[{lb, set}] = pending_[id].after;
    done_[id] = {.id = id, .phase = oci::WorkRequestPhase::kSucceeded, .status = "SUCCEEDED"};
    pending_.erase(id);
  }
  return id;
}

void FakeBackendSetApi::SetCompartment(const std::string& lb_id, const std::string& compartment_id) {
  std::lock_guard lock(mu_);
  compartments_[lb_id] = compartment_id;
}

Result<oci::LoadBalancerInfo> FakeBackendSetApi::GetLoadBalancer(const std::string& lb_id) {
  std::lock_guard lock(mu_);
  if (auto e = Injected("GetLoadBalancer")) return Fail(*e);
  auto it = lbs_.find(lb_id);
  if (it == lbs_.end()) {
    Error e = MakeError(ErrorKind::kNotFound, "Authorization failed or requested resource not found");
    e.http_status = 404;
    e.code = "NotAuthorizedOrNotFound";
    return Fail(e);
  }
  oci::LoadBalancerInfo info{.kind = kind_, .id = lb_id, .compartment_id = compartments_[lb_id],
                             .lifecycle_state = "ACTIVE", .backend_set_names = it->second};
  for (const auto& ip : ips_[lb_id]) info.ip_addresses.push_back({.ip_address = ip, .is_public = true});
  return info;
}

Result<oci::BackendSetInfo> FakeBackendSetApi::GetBackendSet(const std::string& lb_id, const std::string& set) {
  std::lock_guard lock(mu_);
  if (auto e = Injected("GetBackendSet")) return Fail(*e);
  auto it = sets_.find({lb_id, set});
  if (it == sets_.end()) return Fail(ErrorKind::kNotFound, "backend set not found");
  return oci::BackendSetInfo{.name = set, .policy = "ROUND_ROBIN", .backends = it->second};
}

Result<std::string> FakeBackendSetApi::ReplaceBackends(const std::string& lb_id, const std::string& set,
                                                       const std::vector<oci::BackendSpec>& desired,
                                                       oci::BackendSetInfo* read) {
  if (before_replace) before_replace();
  std::lock_guard lock(mu_);
  if (auto e = Injected("ReplaceBackends")) return Fail(*e);
  auto& current = sets_[{lb_id, set}];
  if (read != nullptr && !oci::SameBackends(current, read->backends)) {
    return Fail(oci::ChangedSinceReadError(lb_id, set));
  }
  std::vector<oci::BackendInfo> after;
  for (const auto& s : desired) {
    auto it = std::find_if(current.begin(), current.end(), [&](const auto& b) { return b.name == s.Name(); });
    after.push_back(FromSpec(s, it == current.end() ? nullptr : &*it));
  }
  if (oci::SameBackends(current, after)) return std::string();  // as OCI's client: nothing to write
  return Submit("ReplaceBackends", lb_id, set, std::move(after));
}

Result<std::string> FakeBackendSetApi::CreateBackend(const std::string& lb_id, const std::string& set,
                                                     const oci::BackendSpec& backend) {
  std::lock_guard lock(mu_);
  if (auto e = Injected("CreateBackend")) return Fail(*e);
  auto after = sets_[{lb_id, set}];
  after.push_back(FromSpec(backend, nullptr));
  return Submit("CreateBackend", lb_id, set, std::move(after));
}

Result<std::string> FakeBackendSetApi::UpdateBackend(const std::string& lb_id, const std::string& set,
                                                     const oci::BackendSpec& backend) {
  std::lock_guard lock(mu_);
  if (auto e = Injected("UpdateBackend")) return Fail(*e);
  auto after = sets_[{lb_id, set}];
  for (auto& b : after) {
    if (b.name == backend.Name()) b = FromSpec(backend, &b);
  }
  return Submit("UpdateBackend", lb_id, set, std::move(after));
}

Result<std::string> FakeBackendSetApi::DeleteBackend(const std::string& lb_id, const std::string& set,
                                                     const std::string& backend_name) {
  std::lock_guard lock(mu_);
  if (auto e = Injected("DeleteBackend")) return Fail(*e);
  auto after = sets_[{lb_id, set}];
  std::erase_if(after, [&](const auto& b) { return b.name == backend_name; });
  return Submit("DeleteBackend", lb_id, set, std::move(after));
}

Result<oci::WorkRequestState> FakeBackendSetApi::GetWorkRequest(const std::string& work_request_id) {
  std::lock_guard lock(mu_);
  if (auto e = Injected("GetWorkRequest")) return Fail(*e);
  if (pending_.contains(work_request_id)) {
    return oci::WorkRequestState{.id = work_request_id, .phase = oci::WorkRequestPhase::kPending, .status = "IN_PROGRESS"};
  }
  auto it = done_.find(work_request_id);
  if (it == done_.end()) return Fail(ErrorKind::kNotFound, "no such work request");
  return it->second;
}

Result<bool> FakeBackendSetApi::WorkInFlight(const oci::LoadBalancerInfo& lb) {
  std::lock_guard lock(mu_);
  if (auto e = Injected("WorkInFlight")) return Fail(*e);
  for (const auto& [id, p] : pending_) {
    if (p.lb == lb.id) return true;
  }
  return false;
}

}  // namespace ccm::testing
