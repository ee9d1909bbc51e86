#include "pkg/base/memory_trimmer.h"

#include <malloc.h>

#include "pkg/base/mutex.h"

namespace ccm {

MemoryTrimmer::MemoryTrimmer(const Clock& clock, Clock::Duration period, std::function<void()> trim)
    : clock_(clock), period_(period), trim_(trim ? std::move(trim) : [] { malloc_trim(0); }) {
  thread_ = std::thread([this] { Loop(); });
}

MemoryTrimmer::~MemoryTrimmer() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void MemoryTrimmer::Loop() {
  MutexLock lock(mu_);
  Clock::TimePoint next = clock_.Now() + period_;
  while (!stop_) {
    if (!clock_.WaitUntil(cv_, lock.native(), next)) continue;  // woken early: stopping, or spurious
    lock.Unlock();
    trim_();
    lock.Lock();
    next = clock_.Now() + period_;
  }
}

}  // namespace ccm
