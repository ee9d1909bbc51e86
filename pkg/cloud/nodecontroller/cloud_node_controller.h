// The cloud node controller (kubernetes/cloud-provider's, for OCI):
// - a Node carrying node.cloudprovider.kubernetes.io/uninitialized gets its status.addresses,
//   then, in one conflict-safe patch, spec.providerID (only when empty), the topology and
//   instance-type labels, and the taint removed. Until all of that succeeded the taint stays;
//   failures become Warning events on the Node and the key is retried with backoff;
// - every node_status_update_frequency, initialized nodes with an OCI providerID get their
//   addresses refreshed (PATCHed only when they differ).
//
//   CloudNodeController nodes(client, node_informer, instances, clock, {.recorder = &events});
//   node_informer.Start();   // the controller must be constructed first (it adds handlers)
//   nodes.Start(); ... nodes.Stop();
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/cloud/instances/instances.h"
#include "pkg/kube/controller/queue_driver.h"
#include "pkg/kube/controller/sync_outcome.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/informer/informer.h"
#include "pkg/kube/informer/projections.h"
#include "pkg/kube/rest_client.h"
#include "pkg/kube/workqueue/work_queue.h"

namespace ccm::cloud::nodecontroller {

struct CloudNodeControllerOptions {
  Clock::Duration node_status_update_frequency = std::chrono::minutes(5);
  int workers = 1;
  kube::EventRecorder* recorder = nullptr;  // null: failures are only logged
  kube::ReconcileObserver* reconcile_observer = nullptr;
  int max_conflict_retries = 5;
  // Retry of a node whose initialization failed: per-node exponential backoff.
  kube::RateLimiterOptions retry{.base_delay = std::chrono::milliseconds(500),
                                 .max_delay = std::chrono::minutes(5),
                                 .qps = 10,
                                 .burst = 100};
};

class CloudNodeController {
 public:
  // All references must outlive the controller. Registers handlers on `nodes`: construct
  // before nodes.Start().
  CloudNodeController(kube::RestClient& client, kube::Informer<kube::Node>& nodes,
                      instances::Instances& instances, const Clock& clock,
                      CloudNodeControllerOptions options = {});
  ~CloudNodeController();
  CloudNodeController(const CloudNodeController&) = delete;
  CloudNodeController& operator=(const CloudNodeController&) = delete;

  // Starts the workers and the address refresh loop; queues tainted nodes already cached.
  void Start();
  // Stops accepting work, waits for the running syncs, joins the threads. Idempotent.
  void Stop();

  static constexpr char kControllerName[] = "cloud-node";

  // One reconcile of node `name` from the cache (what a worker runs).
  kube::SyncOutcome SyncNode(const std::string& name);
  // One address refresh pass over all initialized nodes (what the refresh loop runs).
  void UpdateNodeStatuses();

  kube::WorkQueue& queue() { return queue_; }
  int initialized() const { return initialized_.load(); }

 private:
  struct HandlerLink;

  void Enqueue(const kube::Node& node);
  void RefreshLoop();
  void Warn(const kube::Node& node, const std::string& reason, const std::string& message);
  // false: the node was deleted meanwhile.
  Result<bool> Initialize(const kube::Node& node);

  kube::RestClient& client_;
  kube::Informer<kube::Node>& nodes_;
  instances::Instances& instances_;
  const Clock& clock_;
  const CloudNodeControllerOptions options_;
  kube::WorkQueue queue_;
  kube::QueueDriver driver_;
  std::shared_ptr<HandlerLink> link_;
  std::atomic<int> initialized_{0};

  Mutex mu_;
  std::condition_variable cv_;
  bool started_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread refresher_;
};

}  // namespace ccm::cloud::nodecontroller
