#include "pkg/base/clock.h"

namespace ccm {

Clock& Clock::Real() {
  static RealClock clock;
  return clock;
}

Clock::TimePoint RealClock::Now() const { return std::chrono::steady_clock::now(); }

Clock::WallTime RealClock::WallNow() const { return std::chrono::system_clock::now(); }

bool RealClock::WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                          TimePoint deadline) const {
  return cv.wait_until(lock, deadline) == std::cv_status::timeout || std::chrono::steady_clock::now() >= deadline;
}

}  // namespace ccm
