// Waiting (backoff, rate limits) goes through Sleeper so it is cancellable
// and so tests can jump the simulated clock instead of sleeping.
#pragma once

#include <atomic>

#include "pkg/base/clock.h"

namespace ccm::oci {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Returns false when `cancel` became true before `deadline`; true once the deadline passed.
  virtual bool SleepUntil(Clock::TimePoint deadline, const std::atomic<bool>* cancel) = 0;
  bool SleepFor(Clock::Duration d, const std::atomic<bool>* cancel);
  virtual const Clock& clock() const = 0;
};

// Waits on the clock, checking `cancel` at least every `poll` of real time.
class ClockSleeper final : public Sleeper {
 public:
  explicit ClockSleeper(const Clock& clock) : clock_(clock) {}
  bool SleepUntil(Clock::TimePoint deadline, const std::atomic<bool>* cancel) override;
  const Clock& clock() const override { return clock_; }

 private:
  const Clock& clock_;
};

}  // namespace ccm::oci
