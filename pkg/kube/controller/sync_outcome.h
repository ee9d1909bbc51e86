// What one sync of a work-queue key decided, as one value: whether it succeeded (for metrics,
// logs and alerts) and when the key runs again (for the queue). They are separate facts: an
// error only a user can fix is an error, yet it waits on its own slow backoff rather than the
// queue's fast per-key retry; a success may still ask to run again (a work request to poll, a
// resync). Upstream's cloud-provider carries the same pair in RetryError.
#pragma once

#include <string>
#include <utility>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/kube/workqueue/queue_lane.h"

namespace ccm::kube {

enum class Requeue {
  kNo,           // forget the key until an event queues it again
  kAfter,        // run again after `after` (a timer), failures history forgotten
  kRateLimited,  // run again after the queue's per-key backoff (transient failures)
};

struct [[nodiscard]] SyncOutcome {
  Status status;
  // An error's CamelCase reason, as the resource's condition names it ("" = unclassified).
  std::string reason;
  Requeue requeue = Requeue::kNo;
  Clock::Duration after{};
  // With kAfter: kAhead when the next run finishes work already under way (QueueLane).
  QueueLane lane = QueueLane::kNormal;

  bool ok() const { return status.has_value(); }

  static SyncOutcome Done() { return {}; }
  // Succeeded; look again after `after` (zero or less: do not).
  static SyncOutcome DoneRequeueAfter(Clock::Duration after) {
    if (after <= Clock::Duration::zero()) return Done();
    return {.status = {}, .reason = "", .requeue = Requeue::kAfter, .after = after, .lane = QueueLane::kNormal};
  }
  // Failed for a reason that may pass by itself: the queue's backoff decides when to retry.
  static SyncOutcome Retry(Error error, std::string reason) {
    return {.status = std::unexpected(std::move(error)), .reason = std::move(reason),
            .requeue = Requeue::kRateLimited, .after = {}, .lane = QueueLane::kNormal};
  }
  // Failed; retry on the caller's own schedule (an error only a user can fix).
  static SyncOutcome RetryAfter(Error error, std::string reason, Clock::Duration after) {
    return {.status = std::unexpected(std::move(error)), .reason = std::move(reason), .requeue = Requeue::kAfter,
            .after = after, .lane = QueueLane::kNormal};
  }

  // Brings the next run forward to at most `d` from now (a rate-limited retry is left alone:
  // it comes sooner than any timer a sync asks for while failing).
  void RunAgainWithin(Clock::Duration d) {
    if (requeue == Requeue::kRateLimited) return;
    if (requeue == Requeue::kNo || d < after) {
      requeue = Requeue::kAfter;
      after = d;
    }
  }
};

}  // namespace ccm::kube
