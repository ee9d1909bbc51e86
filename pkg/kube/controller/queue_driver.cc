#include "pkg/kube/controller/queue_driver.h"

#include <glog/logging.h>

#include <algorithm>

namespace ccm::kube {

QueueDriver::QueueDriver(WorkQueue& queue, const Clock& clock, SyncFn sync, QueueDriverOptions options)
    : queue_(queue), clock_(clock), sync_(std::move(sync)), options_(std::move(options)) {}

QueueDriver::~QueueDriver() { Stop(); }

void QueueDriver::Start() {
  if (started_) return;
  started_ = true;
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    workers_.emplace_back([this] {
      while (ProcessNext()) {
      }
    });
  }
}

void QueueDriver::Stop() {
  if (!started_) return;
  started_ = false;
  queue_.ShutDownWithDrain();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

bool QueueDriver::ProcessNext() {
  auto key = queue_.Get();
  if (!key) return false;
  Clock::TimePoint began = clock_.Now();
  SyncOutcome outcome = sync_(*key);
  if (!outcome.ok()) {
    LOG(WARNING) << options_.controller << ": " << *key << ": "
                 << (outcome.reason.empty() ? "" : outcome.reason + ": ") << outcome.status.error().ToString()
                 << (outcome.requeue == Requeue::kRateLimited
                         ? " (retry " + std::to_string(queue_.NumRequeues(*key) + 1) + ")"
                         : "");
  }
  Apply(queue_, *key, outcome);
  if (options_.observer != nullptr) options_.observer->OnReconcile(options_.controller, *key, outcome, clock_.Now() - began);
  queue_.Done(*key);
  return true;
}

void QueueDriver::Apply(WorkQueue& queue, const std::string& key, const SyncOutcome& outcome) {
  switch (outcome.requeue) {
    case Requeue::kNo: queue.Forget(key); break;
    case Requeue::kRateLimited: queue.AddRateLimited(key); break;
    case Requeue::kAfter:
      queue.Forget(key);
      queue.AddAfter(key, outcome.after, outcome.lane);
      break;
  }
}

}  // namespace ccm::kube
