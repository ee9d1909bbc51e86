#include "pkg/base/memory_trimmer.h"

#include <malloc.h>

namespace ccm {

MemoryTrimmer::MemoryTrimmer(const Clock& clock, Clock::Duration period, std::function<void()> trim)
    : clock_(clock), period_(period), trim_(trim ? std::move(trim) : [] { malloc_trim(0); }) {
  thread_ = std::thread([this] { Loop(); });
}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void MemoryTrimmer::Loop() {
  std::unique_lock lock(mu_);
  Clock::TimePoint next = clock_.Now() + period_;
  while (!stop_) {
    if (!clock_.WaitUntil(cv_, lock, next)) continue;  // woken early: stopping, or spurious
    lock.unlock();
    trim_();
    lock.lock();
    next = clock_.Now() + period_;
  }
}

}  // namespace ccm
