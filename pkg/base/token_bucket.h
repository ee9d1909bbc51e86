// Client-side rate limit: `qps` tokens per second refill a bucket of `burst`. Shared by the
// OCI read/write limits and the Kubernetes client's QPS/burst.
#pragma once


#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"

namespace ccm {

class TokenBucket {
 public:
  // qps <= 0 means unlimited.
  TokenBucket(double qps, int burst, const Clock& clock);

  // Takes a token, returning how long the caller must wait before using it (zero if none).
  Clock::Duration Reserve();
  // Reserve() and sleep through the clock until the token is usable; returns the wait.
  Clock::Duration Take();
  // For work that may yield (status, Events): a token only when one is spare, i.e. no
  // reservation is queued for it. Returns zero having taken it, or how long until one may be
  // spare, having taken nothing; Reserve() callers arriving meanwhile go first.
  Clock::Duration TryTakeSpare();
  // TryTakeSpare() until it succeeds, sleeping through the clock; returns the time waited.
  Clock::Duration TakeSpare();

 private:
  void Refill(Clock::TimePoint now) REQUIRES(mu_);

  const double qps_;
  const double burst_;
  const Clock& clock_;
  Mutex mu_;
  double tokens_ GUARDED_BY(mu_);
  Clock::TimePoint last_ GUARDED_BY(mu_);
};

}  // namespace ccm
