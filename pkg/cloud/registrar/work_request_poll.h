// When to look at a submitted work request again. A writer never waits on one: it submits,
// and its next run polls at the time this schedule gives. The first look comes shortly (a
// tenth, at most 100 ms) before the latency this load balancer's work requests have shown
// (learned from the interval in which each one finished), so completion is noticed within
// about 100 ms with two looks; later looks follow steps growing from 100 ms to `max_poll`. The schedule is a function of the write's
// age alone, so extra runs triggered by events neither delay nor hurry it.
#pragma once

#include "pkg/base/clock.h"

namespace ccm::cloud::registrar {

class WorkRequestPollSchedule {
 public:
  WorkRequestPollSchedule(Clock::Duration first_poll, Clock::Duration max_poll)
      : first_poll_(first_poll), max_poll_(max_poll) {}

  // The first look after a submission, fixed at submission time.
  Clock::Duration FirstPoll() const;
  // The wait until the next look at a write first looked at after `first_poll`, now `age` old.
  Clock::Duration NextPollDelay(Clock::Duration first_poll, Clock::Duration age) const;
  // A work request found finished at `age`; `last_pending_age` is its age when a look last
  // found it pending (negative: never).
  void ObserveCompletion(Clock::Duration last_pending_age, Clock::Duration age);

  Clock::Duration expected_latency() const { return expected_latency_; }

 private:
  Clock::Duration first_poll_;
  Clock::Duration max_poll_;
  Clock::Duration expected_latency_{};
};

}  // namespace ccm::cloud::registrar
