#include "pkg/base/backoff.h"

#include <algorithm>
#include <cmath>

namespace ccm {

Backoff::Backoff(BackoffPolicy policy, uint64_t seed) : policy_(policy), rng_(seed) {}

std::chrono::milliseconds Backoff::Next() {
  double base = static_cast<double>(policy_.initial.count()) * std::pow(policy_.factor, attempt_);
  base = std::min(base, static_cast<double>(policy_.max.count()));
  if (attempt_ < 64) ++attempt_;
  std::uniform_real_distribution<double> dist(0.0, policy_.jitter);
  double delay = std::min(base * (1.0 + dist(rng_)), static_cast<double>(policy_.max.count()));
  return std::chrono::milliseconds(static_cast<int64_t>(delay));
}

}  // namespace ccm
