// Time is injected: production code reads it through Clock so tests can move it by hand.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace ccm {

class Clock {
 public:
  using Duration = std::chrono::steady_clock::duration;
  using TimePoint = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;
  // Monotonic time, for timeouts, backoff and lease expiry.
  virtual TimePoint Now() const = 0;
  // Wall time, for HTTP Date headers, RFC 3339 timestamps and token expiry.
  virtual WallTime WallNow() const = 0;
  // Waits on `cv` (with `lock` held) until `deadline` or a notify; a simulated clock wakes
  // waiters when it is advanced. Returns true when the deadline has passed.
  virtual bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                         TimePoint deadline) const = 0;

  // The process-wide real clock.
  static Clock& Real();
};

// The only code that reads the system's clocks (hack/check-clock.sh holds everything else to it).
class RealClock final : public Clock {
 public:
  TimePoint Now() const override;
  WallTime WallNow() const override;
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline) const override;
};

}  // namespace ccm
