#include "pkg/base/metrics/metric.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace ccm::metrics {
namespace {

TEST(CounterTest, OnlyGoesUp) {
  Counter c;
  c.Inc();
  c.Inc(2.5);
  c.Inc(0);
  c.Inc(-1);
  c.Inc(std::nan(""));
  EXPECT_EQ(c.Value(), 3.5);
}

TEST(GaugeTest, GoesBothWays) {
  Gauge g;
  g.Set(10);
  g.Inc();
  g.Sub(4);
  g.Dec();
  g.Add(0.5);
  EXPECT_EQ(g.Value(), 6.5);
  g.Set(-2);
  EXPECT_EQ(g.Value(), -2);
}

TEST(HistogramTest, ABoundCountsInItsOwnBucketAndBucketsAreCumulative) {
  const std::vector<double> bounds = {0.1, 1, 10};
  Histogram h(bounds);
  for (double v : {0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 11.0, -3.0}) h.Observe(v);
  h.Observe(std::nan(""));
  h.Observe(std::numeric_limits<double>::infinity());
  Histogram::Snapshot s = h.Snap();
  EXPECT_EQ(s.upper_bounds, bounds);
  // <=0.1: 0.05 0.1 -3; <=1: +0.5 1; <=10: +5 10; +Inf: +11 +inf.
  EXPECT_EQ(s.cumulative_counts, (std::vector<uint64_t>{3, 5, 7, 9}));
  EXPECT_EQ(s.count, 9u) << "NaN is ignored";
  EXPECT_EQ(s.sum, std::numeric_limits<double>::infinity());
}

TEST(HistogramTest, SumAndCountOfFiniteObservations) {
  const std::vector<double> bounds = {1};
  Histogram h(bounds);
  h.Observe(0.25);
  h.Observe(2);
  Histogram::Snapshot s = h.Snap();
  EXPECT_EQ(s.sum, 2.25);
  EXPECT_EQ(s.count, 2u);
  EXPECT_EQ(s.cumulative_counts, (std::vector<uint64_t>{1, 2}));
}

TEST(HistogramTest, WithoutBoundsEverythingIsInTheInfBucket) {
  Histogram h(std::span<const double>{});
  h.Observe(1);
  h.Observe(2);
  EXPECT_EQ(h.Snap().cumulative_counts, (std::vector<uint64_t>{2}));
}

TEST(HistogramTest, ConcurrentObservationsAreAllCounted) {
  const std::vector<double> bounds = {0.5};
  Histogram h(bounds);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 1000; ++i) h.Observe(i % 2 == 0 ? 0.25 : 1.0);
    });
  }
  for (auto& t : threads) t.join();
  Histogram::Snapshot s = h.Snap();
  EXPECT_EQ(s.cumulative_counts, (std::vector<uint64_t>{2000, 4000}));
  EXPECT_EQ(s.sum, 2000 * 0.25 + 2000 * 1.0);
}

}  // namespace
}  // namespace ccm::metrics
