#include "pkg/kube/workqueue/rate_limiter.h"

#include <algorithm>

#include "pkg/base/mutex.h"

namespace ccm::kube {

ItemExponentialRateLimiter::ItemExponentialRateLimiter(Clock::Duration base, Clock::Duration max)
    : base_(base), max_(max) {}

Clock::Duration ItemExponentialRateLimiter::When(const std::string& key) {
  int exponent;
  {
    MutexLock lock(mu_);
    exponent = failures_[key]++;
  }
  // Doubling in floating point cannot overflow; anything beyond the cap is the cap.
  double delay = static_cast<double>(base_.count());
  for (int i = 0; i < exponent && delay < static_cast<double>(max_.count()); ++i) delay *= 2;
  if (delay >= static_cast<double>(max_.count())) return max_;
  return Clock::Duration(static_cast<Clock::Duration::rep>(delay));
}

void ItemExponentialRateLimiter::Forget(const std::string& key) {
  MutexLock lock(mu_);
  failures_.erase(key);
}

int ItemExponentialRateLimiter::NumRequeues(const std::string& key) {
  MutexLock lock(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

BucketRateLimiter::BucketRateLimiter(double qps, int burst, const Clock& clock)
    : bucket_(qps, burst, clock) {}

Clock::Duration BucketRateLimiter::When(const std::string&) { return bucket_.Reserve(); }

MaxOfRateLimiter::MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters)
    : limiters_(std::move(limiters)) {}

Clock::Duration MaxOfRateLimiter::When(const std::string& key) {
  Clock::Duration longest = Clock::Duration::zero();
  for (auto& limiter : limiters_) longest = std::max(longest, limiter->When(key));
  return longest;
}

void MaxOfRateLimiter::Forget(const std::string& key) {
  for (auto& limiter : limiters_) limiter->Forget(key);
}

int MaxOfRateLimiter::NumRequeues(const std::string& key) {
  int most = 0;
  for (auto& limiter : limiters_) most = std::max(most, limiter->NumRequeues(key));
  return most;
}

std::unique_ptr<RateLimiter> DefaultControllerRateLimiter(const Clock& clock,
                                                          const RateLimiterOptions& options) {
  std::vector<std::unique_ptr<RateLimiter>> limiters;
  limiters.push_back(std::make_unique<ItemExponentialRateLimiter>(options.base_delay, options.max_delay));
  if (options.qps > 0) {
    limiters.push_back(std::make_unique<BucketRateLimiter>(options.qps, options.burst, clock));
  }
  return std::make_unique<MaxOfRateLimiter>(std::move(limiters));
}

}  // namespace ccm::kube
