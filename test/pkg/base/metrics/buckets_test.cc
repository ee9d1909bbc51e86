#include "pkg/base/metrics/buckets.h"

#include <gtest/gtest.h>

namespace ccm::metrics {
namespace {

// Prometheus' DefBuckets, as its client libraries define them.
TEST(BucketsTest, PrometheusDefaults) {
  EXPECT_EQ(DefaultBuckets(), (std::vector<double>{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}));
}

}  // namespace
}  // namespace ccm::metrics
