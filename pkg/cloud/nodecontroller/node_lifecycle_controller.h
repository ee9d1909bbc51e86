// The cloud node lifecycle controller (kubernetes/cloud-provider's, for OCI). Every
// node_monitor_period, over the cached nodes:
// - Ready nodes lose node.cloudprovider.kubernetes.io/shutdown (no OCI call);
// - NotReady nodes (Ready False or Unknown) are looked up: an instance that is gone
//   (TERMINATING/TERMINATED, or a 404 confirmed by listing its compartment) deletes the Node;
//   a STOPPING/STOPPED one gets the shutdown taint (NoSchedule); a running one loses it.
//   Errors and ambiguous 404s (authorization) never delete: they are logged and the node is
//   looked at again next period.
// OCI calls per period are bounded by Instances' state cache and max_oci_calls_per_period
// (nodes over the budget wait for the next period, round robin).
#pragma once

#include <condition_variable>
#include <map>
#include <string>
#include <thread>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/cloud/instances/instances.h"
#include "pkg/kube/controller/reconcile_observer.h"
#include "pkg/kube/controller/sync_outcome.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/informer/projections.h"
#include "pkg/kube/informer/store.h"
#include "pkg/kube/rest_client.h"

namespace ccm::cloud::nodecontroller {

struct NodeLifecycleControllerOptions {
  Clock::Duration node_monitor_period = std::chrono::seconds(5);
  kube::EventRecorder* recorder = nullptr;  // null: only logged
  int max_oci_calls_per_period = 50;        // fresh instance lookups per pass
  // A still-uninitialized node without providerID is left alone this long after first seen.
  Clock::Duration uninitialized_node_grace = std::chrono::minutes(1);
  int max_conflict_retries = 5;
  // One outcome per pass (a pass with a failed node lookup or write is an error).
  kube::ReconcileObserver* reconcile_observer = nullptr;
};

struct MonitorPassStats {
  int deleted = 0;
  int tainted = 0;
  int untainted = 0;
  int deferred = 0;    // over the OCI call budget
  int errors = 0;
};

class NodeLifecycleController {
 public:
  // All references must outlive the controller; `nodes` is the Node informer's store.
  NodeLifecycleController(kube::RestClient& client, const kube::Store<kube::Node>& nodes,
                          instances::Instances& instances, const Clock& clock,
                          NodeLifecycleControllerOptions options = {});
  ~NodeLifecycleController();
  NodeLifecycleController(const NodeLifecycleController&) = delete;
  NodeLifecycleController& operator=(const NodeLifecycleController&) = delete;

  // Runs MonitorNodes() every node_monitor_period on a thread. Call after the informer synced.
  void Start();
  void Stop();  // idempotent

  static constexpr char kControllerName[] = "cloud-node-lifecycle";

  // One pass (what the loop runs).
  MonitorPassStats MonitorNodes();
  // A pass as the shared metrics see a sync: periodic, so it asks for no requeue.
  static kube::SyncOutcome OutcomeOf(const MonitorPassStats& pass);
  MonitorPassStats last_pass() const;

 private:
  enum class Outcome { kNone, kDeleted, kTainted, kUntainted, kDeferred, kError };
  Outcome MonitorNode(const kube::Node& node, int& budget);
  Outcome SetShutdownTaint(const kube::Node& node, bool present);
  void Loop();
  void Record(const kube::Node& node, kube::EventType type, const std::string& reason, const std::string& message);

  kube::RestClient& client_;
  const kube::Store<kube::Node>& nodes_;
  instances::Instances& instances_;
  const Clock& clock_;
  const NodeLifecycleControllerOptions options_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  bool started_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread loop_;
  MonitorPassStats last_pass_ GUARDED_BY(mu_);
  size_t next_start_ GUARDED_BY(mu_) = 0;                                   // round robin over passes
  std::map<std::string, Clock::TimePoint> first_seen_uninitialized_ GUARDED_BY(mu_);
};

}  // namespace ccm::cloud::nodecontroller
