// Jittered exponential backoff (client-go's shape: start, double, cap, reset when healthy).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace ccm {

struct BackoffPolicy {
  std::chrono::milliseconds initial{800};
  std::chrono::milliseconds max{30000};
  double factor = 2.0;
  double jitter = 0.5;  // each delay is stretched by up to this fraction at random
};

class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy = {}, uint64_t seed = std::random_device{}());
  // The next delay; grows until the cap.
  std::chrono::milliseconds Next();
  void Reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  int attempt_ = 0;
};

}  // namespace ccm
