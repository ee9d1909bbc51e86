// The work-queue driver every controller runs its keys on: workers take a key, call the
// controller's sync, and turn the SyncOutcome into the queue's bookkeeping (forget, rate-limited
// requeue, requeue after a delay) and into one metrics call. Controllers only decide outcomes;
// none touches Forget/AddRateLimited itself, so the rules are the same everywhere.
//
//   QueueDriver driver(queue, clock, [this](const std::string& k) { return Sync(k); },
//                      {.controller = "service", .workers = 2, .observer = metrics});
//   driver.Start(); ... driver.Stop();
#pragma once

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/kube/controller/reconcile_observer.h"
#include "pkg/kube/controller/sync_outcome.h"
#include "pkg/kube/workqueue/work_queue.h"

namespace ccm::kube {

struct QueueDriverOptions {
  std::string controller;                // the metrics label and the log prefix
  int workers = 1;
  ReconcileObserver* observer = nullptr;  // not owned; must outlive the driver
};

class QueueDriver {
 public:
  using SyncFn = std::function<SyncOutcome(const std::string& key)>;

  // `queue` and `clock` must outlive the driver.
  QueueDriver(WorkQueue& queue, const Clock& clock, SyncFn sync, QueueDriverOptions options);
  ~QueueDriver();
  QueueDriver(const QueueDriver&) = delete;
  QueueDriver& operator=(const QueueDriver&) = delete;

  void Start();
  // Stops taking keys, lets running syncs finish (their outcomes are still applied to the
  // queue, which ignores new adds once shut down), joins the workers. Idempotent.
  void Stop();

  // Takes one key (blocking), syncs it and applies the outcome; false once the queue is shut
  // down and empty. What each worker loops on.
  bool ProcessNext();

  // The queue bookkeeping one outcome means for `key` (a key being processed).
  static void Apply(WorkQueue& queue, const std::string& key, const SyncOutcome& outcome);

 private:
  WorkQueue& queue_;
  const Clock& clock_;
  const SyncFn sync_;
  const QueueDriverOptions options_;
  std::vector<std::thread> workers_;
  bool started_ = false;
};

}  // namespace ccm::kube
