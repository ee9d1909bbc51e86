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

Clock::Duration TokenBucket::TryTakeSpare() {
  if (qps_ <= 0) return Clock::Duration::zero();
  MutexLock lock(mu_);
  Refill(clock_.Now());
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return Clock::Duration::zero();
  }
  auto wait = std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>((1 - tokens_) / qps_));
  return std::max<Clock::Duration>(wait, std::chrono::microseconds(1));
}

Clock::Duration TokenBucket::TakeSpare() {
  Clock::Duration waited = Clock::Duration::zero();
  for (Clock::Duration wait = TryTakeSpare(); wait > Clock::Duration::zero(); wait = TryTakeSpare()) {
    Mutex m;
    std::condition_variable cv;
    MutexLock lock(m);
    const Clock::TimePoint start = clock_.Now();
    const Clock::TimePoint deadline = start + wait;
    while (!clock_.WaitUntil(cv, lock.native(), deadline)) {
    }
    waited += clock_.Now() - start;
  }
  return waited;
}

Clock::Duration TokenBucket::Take() {
  auto wait = Reserve();
  if (wait <= Clock::Duration::zero()) return Clock::Duration::zero();
  Mutex m;
  std::condition_variable cv;
  MutexLock lock(m);
  auto deadline = clock_.Now() + wait;
  while (!clock_.WaitUntil(cv, lock.native(), deadline)) {
  }
  return wait;
}

}  // namespace ccm
