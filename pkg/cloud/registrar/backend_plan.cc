#include "pkg/cloud/registrar/backend_plan.h"

#include <algorithm>

namespace ccm::cloud::registrar {
namespace {

ActualBackend FromDesired(const DesiredBackend& d) {
  return ActualBackend{.name = d.Key(), .ip = d.ip, .port = d.port, .weight = d.weight, .target_id = d.target_id.str()};
}

}  // namespace

Plan PlanBackendSet(const PlanInputs& in) {
  Plan plan;
  plan.ownership_before_write = in.ownership;
  plan.ownership_after_write = in.ownership;

  std::map<std::string, const DesiredBackend*> desired;
  for (const auto& d : in.desired) desired.emplace(d.Key(), &d);
  std::map<std::string, const ActualBackend*> actual;
  for (const auto& a : in.actual) actual.emplace(a.Key(), &a);

  bool may_remove = in.inputs_complete && (!in.desired.empty() || in.allow_empty);
  if (!in.inputs_complete) {
    plan.held_reason = "inputs incomplete (caches not synced or a binding in error): removals withheld";
  } else if (in.desired.empty() && !in.allow_empty) {
    plan.held_reason = "no eligible backend: refusing to empty the backend set (set allowEmpty to permit it)";
  }

  auto owned = [&](const std::string& name) { return in.exclusive || in.ownership.owned.contains(name); };

  // Existing backends, in OCI's order: keep, update, drain, or delete.
  for (const auto& a : in.actual) {
    const std::string key = a.Key();
    auto want = desired.find(key);
    if (want != desired.end()) {
      ActualBackend next = a;
      if (owned(key)) {
        next.weight = want->second->weight;
        next.drain = false;  // back in the desired set: undo our drain
        if (next.target_id.empty()) next.target_id = want->second->target_id.str();
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

  // Desired backends OCI does not have yet.
  for (const auto& d : in.desired) {
    if (actual.contains(d.Key())) continue;
    ActualBackend next = FromDesired(d);
    plan.changes.push_back({BackendChange::Kind::kCreate, next});
    plan.result.push_back(next);
    plan.ownership_before_write.owned.insert(d.Key());
    plan.ownership_after_write.owned.insert(d.Key());
  }

  // Names we own but OCI no longer has (removed by hand, or a write we never finished).
  for (const auto& name : in.ownership.owned) {
    if (!actual.contains(name) && !desired.contains(name)) {
      plan.ownership_after_write.owned.erase(name);
      plan.ownership_after_write.drain_since.erase(name);
    }
  }
  return plan;
}

}  // namespace ccm::cloud::registrar
