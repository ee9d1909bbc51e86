#include "pkg/oci/transport/sleeper.h"

#include <algorithm>
#include <condition_variable>

#include "pkg/base/mutex.h"

namespace ccm::oci {

bool Sleeper::SleepFor(Clock::Duration d, const std::atomic<bool>* cancel) {
  return SleepUntil(clock().Now() + d, cancel);
}

bool ClockSleeper::SleepUntil(Clock::TimePoint deadline, const std::atomic<bool>* cancel) {
  // Nobody notifies this cv: waking in short slices is what lets a cancel flag stop the wait.
  constexpr auto kSlice = std::chrono::milliseconds(50);
  Mutex m;
  std::condition_variable cv;
  MutexLock lock(m);
  while (true) {
    if (cancel != nullptr && cancel->load()) return false;
    auto now = clock_.Now();
    if (now >= deadline) return true;
    clock_.WaitUntil(cv, lock.native(), std::min(deadline, now + kSlice));
  }
}

}  // namespace ccm::oci
