// A Sleeper for unit tests: every wait returns at once after moving the simulated clock to
// its deadline, and is recorded so tests can assert exact delays.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "pkg/oci/transport/sleeper.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::testing {

class AdvancingSleeper final : public oci::Sleeper {
 public:
  explicit AdvancingSleeper(SimulatedClock& clock) : clock_(clock) {}

  bool SleepUntil(Clock::TimePoint deadline, const std::atomic<bool>* cancel) override {
    if (cancel != nullptr && cancel->load()) return false;
    auto now = clock_.Now();
    Clock::Duration d = deadline > now ? deadline - now : Clock::Duration::zero();
    {
      std::lock_guard lock(mu_);
      delays_.push_back(d);
    }
    clock_.Advance(d);
    if (on_sleep_) on_sleep_();
    return !(cancel != nullptr && cancel->load());
  }
  const Clock& clock() const override { return clock_; }

  std::vector<Clock::Duration> delays() const {
    std::lock_guard lock(mu_);
    return delays_;
  }
  // Runs after each sleep (e.g. to set a cancel flag mid-wait).
  void set_on_sleep(std::function<void()> f) { on_sleep_ = std::move(f); }

 private:
  SimulatedClock& clock_;
  mutable std::mutex mu_;
  std::vector<Clock::Duration> delays_;
  std::function<void()> on_sleep_;
};

}  // namespace ccm::testing
