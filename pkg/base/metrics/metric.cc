#include "pkg/base/metrics/metric.h"

#include <algorithm>
#include <cmath>

namespace ccm::metrics {

void Counter::Inc(double delta) {
  if (!(delta >= 0)) return;  // also rejects NaN
  value_.fetch_add(delta, std::memory_order_relaxed);
}

Histogram::Histogram(std::span<const double> upper_bounds)
    : bounds_(upper_bounds), counts_(new std::atomic<uint64_t>[upper_bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  if (std::isnan(value)) return;
  size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Snap() const {
  Snapshot s;
  s.upper_bounds.assign(bounds_.begin(), bounds_.end());
  s.cumulative_counts.reserve(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative_counts.push_back(running);
  }
  // Count derives from the buckets so _count always equals the +Inf bucket in one scrape.
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace ccm::metrics
