#include "pkg/base/token_bucket.h"

#include <algorithm>
#include <condition_variable>

namespace ccm {

TokenBucket::TokenBucket(double qps, int burst, const Clock& clock)
    : qps_(qps), burst_(std::max(1, burst)), clock_(clock), tokens_(std::max(1, burst)), last_(clock.Now()) {}

void TokenBucket::Refill(Clock::TimePoint now) {
  if (now <= last_) return;
  double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
  last_ = now;
}

Clock::Duration TokenBucket::Reserve() {
  if (qps_ <= 0) return Clock::Duration::zero();
  MutexLock lock(mu_);
  Refill(clock_.Now());
  tokens_ -= 1;  // may go negative: later callers queue behind this reservation
  if (tokens_ >= 0) return Clock::Duration::zero();
  return std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(-tokens_ / qps_));
}

void TokenBucket::Take() {
  auto wait = Reserve();
  if (wait <= Clock::Duration::zero()) return;
  Mutex m;
  std::condition_variable cv;
  MutexLock lock(m);
  auto deadline = clock_.Now() + wait;
  while (!clock_.WaitUntil(cv, lock.native(), deadline)) {
  }
}

}  // namespace ccm
