// How long a failed key waits before its retry (client-go's workqueue rate limiters).
// DefaultControllerRateLimiter = max(per-key exponential backoff, overall token bucket).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/base/token_bucket.h"

namespace ccm::kube {

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // The delay before `key` may be retried; records one more failure for it.
  virtual Clock::Duration When(const std::string& key) = 0;
  // Clears `key`'s failure history (call after a success).
  virtual void Forget(const std::string& key) = 0;
  virtual int NumRequeues(const std::string& key) = 0;
};

// base * 2^failures, capped at `max`.
class ItemExponentialRateLimiter final : public RateLimiter {
 public:
  ItemExponentialRateLimiter(Clock::Duration base, Clock::Duration max);
  Clock::Duration When(const std::string& key) override;
  void Forget(const std::string& key) override;
  int NumRequeues(const std::string& key) override;

 private:
  const Clock::Duration base_;
  const Clock::Duration max_;
  Mutex mu_;
  std::unordered_map<std::string, int> failures_ GUARDED_BY(mu_);
};

// Shared by all keys: bounds the overall retry rate. Keeps no per-key state.
class BucketRateLimiter final : public RateLimiter {
 public:
  BucketRateLimiter(double qps, int burst, const Clock& clock);
  Clock::Duration When(const std::string& key) override;
  void Forget(const std::string&) override {}
  int NumRequeues(const std::string&) override { return 0; }

 private:
  TokenBucket bucket_;
};

// The longest delay of all; every limiter sees every call.
class MaxOfRateLimiter final : public RateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters);
  Clock::Duration When(const std::string& key) override;
  void Forget(const std::string& key) override;
  int NumRequeues(const std::string& key) override;

 private:
  std::vector<std::unique_ptr<RateLimiter>> limiters_;
};

struct RateLimiterOptions {
  Clock::Duration base_delay = std::chrono::milliseconds(5);
  Clock::Duration max_delay = std::chrono::seconds(1000);
  double qps = 10;  // <= 0 disables the overall bucket
  int burst = 100;
};

std::unique_ptr<RateLimiter> DefaultControllerRateLimiter(const Clock& clock,
                                                          const RateLimiterOptions& options = {});

}  // namespace ccm::kube
