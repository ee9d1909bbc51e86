#include "pkg/cloud/registrar/backend_plan.h"

#include <algorithm>
#include <unordered_set>

namespace ccm::cloud::registrar {
namespace {

ActualBackend FromDesired(const DesiredBackend& d) {
  return ActualBackend{.name = d.Key(), .ip = d.ip, .port = d.port, .weight = d.weight, .target_id = d.target_id.str()};
}

std::string At(std::string_view id, int port) { return std::string(id) + ":" + std::to_string(port); }

}  // namespace

BackendMatcher::BackendMatcher(const std::vector<ActualBackend>& actual) : actual_(actual) {
  by_target_.reserve(actual.size());
  by_ip_.reserve(actual.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    const ActualBackend& a = actual[i];
    if (!a.target_id.empty()) by_target_.emplace(At(a.target_id, a.port), i);
    if (!a.ip.empty()) by_ip_.emplace(At(a.ip, a.port), i);
  }
}

std::vector<size_t> BackendMatcher::Find(const DesiredBackend& d) const {
  std::vector<size_t> out;
  if (!d.target_id.empty()) {
    auto [first, last] = by_target_.equal_range(At(d.target_id.view(), d.port));
    for (auto it = first; it != last; ++it) out.push_back(it->second);
  }
  if (!d.ip.empty()) {
    auto [first, last] = by_ip_.equal_range(At(d.ip, d.port));
    for (auto it = first; it != last; ++it) {
      // Two instance OCIDs that differ are two nodes, even at one address (a reused IP).
      if (d.target_id.empty() || actual_[it->second].target_id.empty()) out.push_back(it->second);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

int CountRegistered(const std::vector<DesiredBackend>& desired, const std::vector<ActualBackend>& actual) {
  const BackendMatcher matcher(actual);
  int n = 0;
  for (const auto& d : desired) {
    auto found = matcher.Find(d);
    n += std::any_of(found.begin(), found.end(), [&](size_t i) { return !actual[i].drain; }) ? 1 : 0;
  }
  return n;
}

Plan PlanBackendSet(const PlanInputs& in) {
  Plan plan;
  plan.ownership_before_write = in.ownership;
  plan.ownership_after_write = in.ownership;

  bool may_remove = in.inputs_complete && (!in.desired.empty() || in.allow_empty);
  if (!in.inputs_complete) {
    plan.held_reason = "inputs incomplete (caches not synced or a binding in error): removals withheld";
  } else if (in.desired.empty() && !in.allow_empty) {
    plan.held_reason = "no eligible backend: refusing to empty the backend set (set allowEmpty to permit it)";
  }

  // Each desired backend's node may already have backends at its port (registered by
  // instance or by address, by us or by anyone). One of them stands for the node: one we did
  // not register if there is one (we could not remove it anyway), else the one named as we
  // would name it, else the first. Any other is a duplicate, removed only if it is ours.
  const BackendMatcher matcher(in.actual);
  std::vector<const DesiredBackend*> node_of(in.actual.size(), nullptr);  // the desired backend it is
  std::vector<bool> stands(in.actual.size(), false);
  std::vector<bool> present(in.desired.size(), false);
  for (size_t i = 0; i < in.desired.size(); ++i) {
    const DesiredBackend& d = in.desired[i];
    const std::string key = d.Key();
    size_t best = in.actual.size();
    int best_rank = 0;
    for (size_t a : matcher.Find(d)) {
      if (node_of[a] != nullptr) continue;  // another desired backend's already
      node_of[a] = &d;
      const std::string actual_key = in.actual[a].Key();
      int rank = (in.ownership.owned.contains(actual_key) ? 2 : 0) + (actual_key == key ? 0 : 1);
      if (best == in.actual.size() || rank < best_rank) {
        best = a;
        best_rank = rank;
      }
    }
    if (best != in.actual.size()) {
      stands[best] = true;
      present[i] = true;
    }
  }

  // Adoption: every backend at a desired node and port becomes ours, recorded before any write.
  std::unordered_set<std::string> adopted;
  if (in.adopt_existing && !in.exclusive) {
    for (size_t a = 0; a < in.actual.size(); ++a) {
      const std::string key = in.actual[a].Key();
      if (node_of[a] == nullptr || in.ownership.owned.contains(key)) continue;
      adopted.insert(key);
      plan.ownership_before_write.owned.insert(key);
      plan.ownership_after_write.owned.insert(key);
    }
  }
  auto owned = [&](const std::string& key) {
    return in.exclusive || in.ownership.owned.contains(key) || adopted.contains(key);
  };

  // Existing backends, in OCI's order: keep, update, drain, or delete.
  for (size_t i = 0; i < in.actual.size(); ++i) {
    const ActualBackend& a = in.actual[i];
    const std::string key = a.Key();
    if (stands[i]) {
      ActualBackend next = a;  // keeps its identity: a backend registered by address stays so
      if (owned(key)) {
        next.weight = node_of[i]->weight;
        next.drain = false;  // back in the desired set: undo our drain
      }
      plan.ownership_after_write.drain_since.erase(key);
      plan.ownership_before_write.drain_since.erase(key);
      if (!(next == a)) plan.changes.push_back({BackendChange::Kind::kUpdate, next});
      plan.result.push_back(next);
      continue;
    }
    if (!owned(key) || !may_remove) {
      plan.result.push_back(a);
      continue;
    }
    auto since = in.ownership.drain_since.find(key);
    bool drain_done = in.drain_period.count() == 0 ||
                      (since != in.ownership.drain_since.end() && in.now - since->second >= in.drain_period);
    if (drain_done) {
      plan.changes.push_back({BackendChange::Kind::kDelete, a});
      plan.ownership_after_write.owned.erase(key);
      plan.ownership_after_write.drain_since.erase(key);
      continue;
    }
    WallTime started = since == in.ownership.drain_since.end() ? in.now : since->second;
    plan.ownership_before_write.drain_since[key] = started;
    plan.ownership_after_write.drain_since[key] = started;
    WallTime deadline = started + in.drain_period;
    if (plan.next_drain_deadline == WallTime{} || deadline < plan.next_drain_deadline) {
      plan.next_drain_deadline = deadline;
    }
    ActualBackend next = a;
    next.drain = true;
    if (!a.drain) plan.changes.push_back({BackendChange::Kind::kUpdate, next});
    plan.result.push_back(next);
  }

  // Desired backends whose node OCI does not have at that port yet.
  for (size_t i = 0; i < in.desired.size(); ++i) {
    if (present[i]) continue;
    const DesiredBackend& d = in.desired[i];
    ActualBackend next = FromDesired(d);
    plan.changes.push_back({BackendChange::Kind::kCreate, next});
    plan.result.push_back(next);
    plan.ownership_before_write.owned.insert(d.Key());
    plan.ownership_after_write.owned.insert(d.Key());
  }

  // Names we own but OCI no longer has (removed by hand, or a write we never finished).
  std::unordered_set<std::string> keys;
  keys.reserve(in.actual.size() + in.desired.size());
  for (const auto& a : in.actual) keys.insert(a.Key());
  for (const auto& d : in.desired) keys.insert(d.Key());
  for (const auto& name : in.ownership.owned) {
    if (!keys.contains(name)) {
      plan.ownership_after_write.owned.erase(name);
      plan.ownership_after_write.drain_since.erase(name);
    }
  }
  return plan;
}

}  // namespace ccm::cloud::registrar
