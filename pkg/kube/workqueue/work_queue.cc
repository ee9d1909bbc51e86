#include "pkg/kube/workqueue/work_queue.h"

#include <algorithm>
#include <functional>

#include "pkg/base/mutex.h"

namespace ccm::kube {

WorkQueue::WorkQueue(const Clock& clock, WorkQueueOptions options)
    : clock_(clock),
      name_(std::move(options.name)),
      observer_(options.observer),
      rate_limiter_(options.rate_limiter ? std::move(options.rate_limiter)
                                         : DefaultControllerRateLimiter(clock)) {
  timer_ = std::thread([this] { TimerLoop(); });
}

WorkQueue::~WorkQueue() {
  ShutDown();
  StopTimer();
}

void WorkQueue::Enqueue(const std::string& key, QueueLane lane) {
  if (lane == QueueLane::kAhead) {
    queue_.insert(queue_.begin() + static_cast<std::ptrdiff_t>(ahead_), key);
    ++ahead_;
  } else {
    queue_.push_back(key);
  }
  if (observer_) observer_->OnDepth(name_, queue_.size());
  cv_.notify_one();
}

void WorkQueue::Add(const std::string& key, QueueLane lane) {
  MutexLock lock(mu_);
  if (shutting_down_) return;
  if (dirty_.contains(key)) {
    if (lane != QueueLane::kAhead) return;
    if (processing_.contains(key)) {
      ahead_after_done_.insert(key);
      return;
    }
    auto at = std::find(queue_.begin() + static_cast<std::ptrdiff_t>(ahead_), queue_.end(), key);
    if (at == queue_.end()) return;  // already ahead
    queue_.erase(at);
    Enqueue(key, lane);
    return;
  }
  dirty_.insert(key);
  if (observer_) observer_->OnAdd(name_);
  added_at_.try_emplace(key, clock_.Now());
  if (processing_.contains(key)) {  // Done() queues it again
    if (lane == QueueLane::kAhead) ahead_after_done_.insert(key);
    return;
  }
  Enqueue(key, lane);
}

void WorkQueue::AddAfter(const std::string& key, Clock::Duration delay, QueueLane lane) {
  if (ShuttingDown()) return;
  if (delay <= Clock::Duration::zero()) {
    Add(key, lane);
    return;
  }
  Clock::TimePoint ready_at = clock_.Now() + delay;
  MutexLock lock(delay_mu_);
  if (stop_timer_) return;
  auto [it, inserted] = waiting_.try_emplace(key, Delayed{ready_at, lane});
  if (!inserted) {
    if (lane == QueueLane::kAhead) it->second.lane = lane;
    if (it->second.ready_at <= ready_at) return;
    it->second.ready_at = ready_at;
  }
  heap_.push(Waiting{ready_at, next_seq_++, key});
  delay_cv_.notify_all();
}

void WorkQueue::AddRateLimited(const std::string& key) {
  {
    MutexLock lock(mu_);
    if (shutting_down_) return;
    if (observer_) observer_->OnRetry(name_);
  }
  AddAfter(key, rate_limiter_->When(key));
}

void WorkQueue::Forget(const std::string& key) { rate_limiter_->Forget(key); }

int WorkQueue::NumRequeues(const std::string& key) { return rate_limiter_->NumRequeues(key); }

std::optional<std::string> WorkQueue::Get() {
  MutexLock lock(mu_);
  cv_.wait(lock.native(), [this] {
    mu_.AssertHeld();
    return !queue_.empty() || shutting_down_;
  });
  if (queue_.empty()) return std::nullopt;
  std::string key = std::move(queue_.front());
  queue_.pop_front();
  if (ahead_ > 0) --ahead_;
  processing_.insert(key);
  dirty_.erase(key);
  Clock::TimePoint now = clock_.Now();
  if (auto it = added_at_.find(key); it != added_at_.end()) {
    if (observer_) observer_->OnQueueLatency(name_, now - it->second);
    added_at_.erase(it);
  }
  started_at_[key] = now;
  if (observer_) observer_->OnDepth(name_, queue_.size());
  return key;
}

void WorkQueue::Done(const std::string& key) {
  MutexLock lock(mu_);
  if (processing_.erase(key) == 0) return;
  if (auto it = started_at_.find(key); it != started_at_.end()) {
    if (observer_) observer_->OnWorkDuration(name_, clock_.Now() - it->second);
    started_at_.erase(it);
  }
  QueueLane lane = ahead_after_done_.erase(key) > 0 ? QueueLane::kAhead : QueueLane::kNormal;
  if (dirty_.contains(key)) Enqueue(key, lane);
  // Wakes a Get() for the re-queued key and a ShutDownWithDrain() waiting for processing_.
  cv_.notify_all();
}

void WorkQueue::ShutDown() {
  {
    MutexLock lock(mu_);
    shutting_down_ = true;
    cv_.notify_all();
  }
  MutexLock lock(delay_mu_);
  stop_timer_ = true;
  delay_cv_.notify_all();
}

void WorkQueue::ShutDownWithDrain() {
  ShutDown();
  MutexLock lock(mu_);
  cv_.wait(lock.native(), [this] {
    mu_.AssertHeld();
    return processing_.empty();
  });
}

bool WorkQueue::ShuttingDown() const {
  MutexLock lock(mu_);
  return shutting_down_;
}

size_t WorkQueue::Len() const {
  MutexLock lock(mu_);
  return queue_.size();
}

size_t WorkQueue::NumWaiting() const {
  MutexLock lock(delay_mu_);
  return waiting_.size();
}

void WorkQueue::StopTimer() {
  {
    MutexLock lock(delay_mu_);
    stop_timer_ = true;
    delay_cv_.notify_all();
  }
  if (timer_.joinable()) timer_.join();
}

void WorkQueue::TimerLoop() {
  MutexLock lock(delay_mu_);
  while (!stop_timer_) {
    if (heap_.empty()) {
      delay_cv_.wait(lock.native());
      continue;
    }
    Clock::TimePoint now = clock_.Now();
    std::vector<std::pair<std::string, QueueLane>> ready;
    while (!heap_.empty() && heap_.top().ready_at <= now) {
      Waiting w = heap_.top();
      heap_.pop();
      auto it = waiting_.find(w.key);
      if (it == waiting_.end() || it->second.ready_at != w.ready_at) continue;  // superseded
      ready.emplace_back(std::move(w.key), it->second.lane);
      waiting_.erase(it);
    }
    if (!ready.empty()) {
      lock.Unlock();
      for (const auto& [key, lane] : ready) Add(key, lane);
      lock.Lock();
      continue;
    }
    if (!heap_.empty()) clock_.WaitUntil(delay_cv_, lock.native(), heap_.top().ready_at);
  }
}

}  // namespace ccm::kube
