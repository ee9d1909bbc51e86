// A rate-limited, delaying work queue of string keys with client-go's guarantees:
// - a key queued twice is queued once;
// - a key is never handed to two workers at once (it is "processing" from Get() to Done());
// - a key added while it is processing is handed out again after Done();
// - AddAfter() holds a key until its deadline; for a key already waiting the earliest wins;
// - a key added in the ahead lane is handed out before every key of the normal lane (FIFO
//   within each lane): a key whose run finishes work already under way (a write in flight)
//   does not wait behind keys that start new work; a queued key moves ahead when so added;
// - AddRateLimited() delays by the rate limiter (default: max(5 ms * 2^failures capped at
//   1000 s, token bucket 10 qps burst 100)); Forget() resets a key's failures.
// Time comes from the injected Clock, so tests drive delays with a simulated clock.
//
// Worker loop:
//   while (auto key = queue.Get()) {
//     Status s = Reconcile(*key);
//     if (s) queue.Forget(*key); else queue.AddRateLimited(*key);
//     queue.Done(*key);
//   }
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/kube/workqueue/queue_lane.h"
#include "pkg/kube/workqueue/rate_limiter.h"

namespace ccm::kube {

// Metrics hook. Called with the queue's lock held: implementations must be quick and must
// not call back into the queue.
class WorkQueueObserver {
 public:
  virtual ~WorkQueueObserver() = default;
  virtual void OnAdd(const std::string& /*queue*/) {}  // a key became queued (not a duplicate)
  virtual void OnDepth(const std::string& /*queue*/, size_t /*depth*/) {}
  virtual void OnRetry(const std::string& /*queue*/) {}  // AddRateLimited
  virtual void OnQueueLatency(const std::string& /*queue*/, Clock::Duration /*waited*/) {}
  virtual void OnWorkDuration(const std::string& /*queue*/, Clock::Duration /*worked*/) {}
};

struct WorkQueueOptions {
  std::string name;                           // passed to the observer
  WorkQueueObserver* observer = nullptr;      // not owned; must outlive the queue
  std::unique_ptr<RateLimiter> rate_limiter;  // null = DefaultControllerRateLimiter(clock)
};

class WorkQueue {
 public:
  explicit WorkQueue(const Clock& clock, WorkQueueOptions options = {});
  // Shuts down (without draining) and stops the timer thread.
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Ignored after shutdown.
  void Add(const std::string& key, QueueLane lane = QueueLane::kNormal);
  // delay <= 0 adds now. A key already waiting keeps the earlier deadline and the ahead lane
  // if either add asked for it.
  void AddAfter(const std::string& key, Clock::Duration delay, QueueLane lane = QueueLane::kNormal);
  void AddRateLimited(const std::string& key);
  void Forget(const std::string& key);
  int NumRequeues(const std::string& key);

  // Blocks until a key is available; nullopt once shut down and empty. Keys queued before
  // shutdown are still handed out.
  std::optional<std::string> Get();
  // Must follow every key returned by Get().
  void Done(const std::string& key);

  // Stops accepting keys and wakes blocked Get() calls.
  void ShutDown();
  // ShutDown(), then waits until every key handed out has been Done().
  void ShutDownWithDrain();
  bool ShuttingDown() const;

  // Keys ready to be handed out (excludes waiting and processing keys).
  size_t Len() const;
  // Keys held by AddAfter() and not yet due.
  size_t NumWaiting() const;

 private:
  struct Waiting {
    Clock::TimePoint ready_at;
    uint64_t seq;  // FIFO among equal deadlines
    std::string key;
    bool operator>(const Waiting& o) const {
      return ready_at != o.ready_at ? ready_at > o.ready_at : seq > o.seq;
    }
  };

  struct Delayed {
    Clock::TimePoint ready_at;
    QueueLane lane;
  };

  void TimerLoop();
  void StopTimer();
  // Puts a ready key at the end of its lane.
  void Enqueue(const std::string& key, QueueLane lane) REQUIRES(mu_);

  const Clock& clock_;
  const std::string name_;
  WorkQueueObserver* const observer_;
  const std::unique_ptr<RateLimiter> rate_limiter_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_ GUARDED_BY(mu_);
  size_t ahead_ GUARDED_BY(mu_) = 0;  // the first ahead_ keys of queue_ are in the ahead lane
  std::unordered_set<std::string> ahead_after_done_ GUARDED_BY(mu_);  // processing, re-added ahead
  std::unordered_set<std::string> dirty_ GUARDED_BY(mu_);
  std::unordered_set<std::string> processing_ GUARDED_BY(mu_);
  std::unordered_map<std::string, Clock::TimePoint> added_at_ GUARDED_BY(mu_);
  std::unordered_map<std::string, Clock::TimePoint> started_at_ GUARDED_BY(mu_);
  bool shutting_down_ GUARDED_BY(mu_) = false;

  // Delayed adds, driven by one timer thread. Stale heap entries (superseded by an earlier
  // deadline for the same key) are skipped when popped.
  mutable Mutex delay_mu_;
  std::condition_variable delay_cv_;
  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<Waiting>> heap_ GUARDED_BY(delay_mu_);
  std::unordered_map<std::string, Delayed> waiting_ GUARDED_BY(delay_mu_);
  uint64_t next_seq_ GUARDED_BY(delay_mu_) = 0;
  bool stop_timer_ GUARDED_BY(delay_mu_) = false;
  std::thread timer_;
};

}  // namespace ccm::kube
