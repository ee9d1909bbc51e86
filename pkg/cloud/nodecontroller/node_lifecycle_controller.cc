#include "pkg/cloud/nodecontroller/node_lifecycle_controller.h"

#include <glog/logging.h>

#include <algorithm>
#include <set>

#include "pkg/base/mutex.h"
#include "pkg/cloud/nodecontroller/node_patches.h"
#include "pkg/cloud/nodecontroller/node_taints.h"

namespace ccm::cloud::nodecontroller {

NodeLifecycleController::NodeLifecycleController(kube::RestClient& client, const kube::Store<kube::Node>& nodes,
                                                 instances::Instances& instances, const Clock& clock,
                                                 NodeLifecycleControllerOptions options)
    : client_(client), nodes_(nodes), instances_(instances), clock_(clock), options_(std::move(options)) {}

NodeLifecycleController::~NodeLifecycleController() { Stop(); }

void NodeLifecycleController::Start() {
  MutexLock lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  loop_ = std::thread([this] { Loop(); });
}

void NodeLifecycleController::Stop() {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (loop_.joinable()) loop_.join();
}

void NodeLifecycleController::Loop() {
  MutexLock lock(mu_);
  while (!stopping_) {
    lock.Unlock();
    Clock::TimePoint began = clock_.Now();
    MonitorPassStats pass = MonitorNodes();
    if (options_.reconcile_observer != nullptr) {
      options_.reconcile_observer->OnReconcile(kControllerName, "pass", OutcomeOf(pass), clock_.Now() - began);
    }
    lock.Lock();
    Clock::TimePoint next = clock_.Now() + options_.node_monitor_period;
    while (!stopping_ && clock_.Now() < next) clock_.WaitUntil(cv_, lock.native(), next);
  }
}

kube::SyncOutcome NodeLifecycleController::OutcomeOf(const MonitorPassStats& pass) {
  if (pass.errors == 0) return kube::SyncOutcome::Done();
  return {.status = std::unexpected(MakeError(ErrorKind::kUnavailable, std::to_string(pass.errors) +
                                                                          " node(s) could not be checked; retried next pass")),
          .reason = "NodeCheckFailed",
          .requeue = kube::Requeue::kNo,
          .after = {}};
}

MonitorPassStats NodeLifecycleController::last_pass() const {
  MutexLock lock(mu_);
  return last_pass_;
}

void NodeLifecycleController::Record(const kube::Node& node, kube::EventType type, const std::string& reason,
                                     const std::string& message) {
  if (options_.recorder == nullptr) return;
  options_.recorder->Record(kube::ObjectReference{.kind = "Node", .namespace_ = "", .name = node.name,
                                                  .uid = node.uid, .api_version = "v1", .resource_version = ""},
                            type, reason, message);
}

MonitorPassStats NodeLifecycleController::MonitorNodes() {
  auto nodes = nodes_.List();
  std::sort(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) { return a->name < b->name; });
  size_t start;
  {
    MutexLock lock(mu_);
    start = nodes.empty() ? 0 : next_start_ % nodes.size();
    // Forget grace timers of nodes that are gone or initialized.
    std::set<std::string> waiting;
    for (const auto& n : nodes) {
      if (n->provider_id.empty() && HasTaint(*n, kUninitializedTaintKey)) waiting.insert(n->name);
    }
    std::erase_if(first_seen_uninitialized_, [&](const auto& e) { return !waiting.contains(e.first); });
  }
  MonitorPassStats stats;
  int budget = options_.max_oci_calls_per_period;
  size_t first_deferred = nodes.size();
  for (size_t i = 0; i < nodes.size(); ++i) {
    size_t index = (start + i) % nodes.size();
    {
      MutexLock lock(mu_);
      if (stopping_) break;
    }
    switch (MonitorNode(*nodes[index], budget)) {
      case Outcome::kDeleted: ++stats.deleted; break;
      case Outcome::kTainted: ++stats.tainted; break;
      case Outcome::kUntainted: ++stats.untainted; break;
      case Outcome::kDeferred:
        ++stats.deferred;
        if (first_deferred == nodes.size()) first_deferred = index;
        break;
      case Outcome::kError: ++stats.errors; break;
      case Outcome::kNone: break;
    }
  }
  MutexLock lock(mu_);
  // Next pass starts with the first node this one could not afford.
  next_start_ = first_deferred < nodes.size() ? first_deferred : start;
  last_pass_ = stats;
  return stats;
}

NodeLifecycleController::Outcome NodeLifecycleController::MonitorNode(const kube::Node& node, int& budget) {
  std::string_view ready = node.ConditionStatus("Ready");
  if (ready == "True") {
    return HasTaint(node, kShutdownTaintKey) ? SetShutdownTaint(node, false) : Outcome::kNone;
  }
  if (node.deleting) return Outcome::kNone;
  if (node.provider_id.empty() && HasTaint(node, kUninitializedTaintKey)) {
    MutexLock lock(mu_);
    auto [it, inserted] = first_seen_uninitialized_.try_emplace(node.name, clock_.Now());
    if (clock_.Now() - it->second < options_.uninitialized_node_grace) return Outcome::kNone;
  }

  auto state = instances_.State(node, &budget);
  if (!state) {
    if (state.error().kind == ErrorKind::kTooManyRequests && budget <= 0) return Outcome::kDeferred;
    LOG(WARNING) << "node-lifecycle: checking instance of NotReady node " << node.name << ": "
                 << state.error().ToString() << " (not deleting)";
    return Outcome::kError;
  }
  if (!state->exists) {
    LOG(INFO) << "node-lifecycle: deleting node " << node.name << ": its instance " << state->instance_id
              << (state->lifecycle_state.empty() ? " no longer exists" : " is " + state->lifecycle_state);
    Record(node, kube::EventType::kNormal, "DeletingNode",
           "Deleting node " + node.name + " because it does not exist in the cloud provider");
    Status deleted = client_.Delete(NodePath(node.name), kube::Preconditions{.uid = node.uid, .resource_version = ""});
    if (!deleted && deleted.error().kind != ErrorKind::kNotFound) {
      LOG(WARNING) << "node-lifecycle: deleting node " << node.name << ": " << deleted.error().ToString();
      Record(node, kube::EventType::kWarning, "DeletingNodeFailed",
             "Failed deleting node " + node.name + ": " + deleted.error().ToString());
      return Outcome::kError;
    }
    instances_.Forget(node.name);
    return Outcome::kDeleted;
  }
  if (state->shutdown) {
    return HasTaint(node, kShutdownTaintKey) ? Outcome::kNone : SetShutdownTaint(node, true);
  }
  return HasTaint(node, kShutdownTaintKey) ? SetShutdownTaint(node, false) : Outcome::kNone;
}

NodeLifecycleController::Outcome NodeLifecycleController::SetShutdownTaint(const kube::Node& node, bool present) {
  auto outcome = PatchNodeConflictSafe(
      client_, node.name,
      [&](const json::Value& current) -> Result<std::optional<json::Document>> {
        return present ? AddTaintPatch(current, kShutdownTaintKey, kNoSchedule)
                       : RemoveTaintPatch(current, kShutdownTaintKey);
      },
      options_.max_conflict_retries);
  if (!outcome) {
    if (outcome.error().kind == ErrorKind::kNotFound) return Outcome::kNone;
    LOG(WARNING) << "node-lifecycle: " << (present ? "adding" : "removing") << " the shutdown taint of node "
                 << node.name << ": " << outcome.error().ToString();
    return Outcome::kError;
  }
  if (!outcome->patched) return Outcome::kNone;
  LOG(INFO) << "node-lifecycle: " << (present ? "tainted" : "untainted") << " node " << node.name
            << (present ? ": its instance is stopped" : "");
  return present ? Outcome::kTainted : Outcome::kUntainted;
}

}  // namespace ccm::cloud::nodecontroller
