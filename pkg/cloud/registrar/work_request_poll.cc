#include "pkg/cloud/registrar/work_request_poll.h"

#include <algorithm>

namespace ccm::cloud::registrar {

Clock::Duration WorkRequestPollSchedule::FirstPoll() const {
  if (expected_latency_ == Clock::Duration::zero()) return first_poll_;
  Clock::Duration early = std::min<Clock::Duration>(expected_latency_ / 10, std::chrono::milliseconds(100));
  return std::clamp<Clock::Duration>(expected_latency_ - early, first_poll_, max_poll_);
}

Clock::Duration WorkRequestPollSchedule::NextPollDelay(Clock::Duration first_poll, Clock::Duration age) const {
  Clock::Duration at = first_poll;
  Clock::Duration step = std::chrono::milliseconds(100);
  while (at <= age) {
    at += step;
    step = std::min<Clock::Duration>(step * 3 / 2, max_poll_);
  }
  return at - age;
}

void WorkRequestPollSchedule::ObserveCompletion(Clock::Duration last_pending_age, Clock::Duration age) {
  if (last_pending_age < Clock::Duration::zero()) {
    // Done at the first look: `age` is only an upper bound, inflated by however late the
    // worker ran. Learning it would feed on itself (a constant delay d settles at ~10 d), so
    // look earlier next time instead; a look that finds it pending then brackets the latency.
    Clock::Duration bound = expected_latency_ == Clock::Duration::zero() ? age : std::min(age, expected_latency_);
    expected_latency_ = bound * 4 / 5;
    return;
  }
  Clock::Duration observed = (last_pending_age + age) / 2;
  expected_latency_ = expected_latency_ == Clock::Duration::zero() ? observed : (expected_latency_ + observed) / 2;
}

}  // namespace ccm::cloud::registrar
