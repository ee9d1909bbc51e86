// The three sample kinds. Updates are lock-free atomics, so a handle kept by the caller
// (Family<T>::WithLabels) costs one atomic add per observation on the hot path.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace ccm::metrics {

class Counter {
 public:
  // Negative and NaN increments are ignored: a counter only goes up.
  void Inc(double delta = 1);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  void Sub(double delta) { Add(-delta); }
  void Inc() { Add(1); }
  void Dec() { Add(-1); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `upper_bounds` is sorted, finite and outlives the histogram (the family owns it).
  explicit Histogram(std::span<const double> upper_bounds);

  // NaN is ignored; a value equal to a bound counts in that bound's bucket (le = "<=").
  void Observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;        // without +Inf
    std::vector<uint64_t> cumulative_counts;  // one per bound, then the +Inf bucket
    double sum = 0;
    uint64_t count = 0;  // equals the +Inf bucket
  };
  Snapshot Snap() const;

 private:
  std::span<const double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, not cumulative; last is +Inf
  std::atomic<double> sum_{0};
};

}  // namespace ccm::metrics
