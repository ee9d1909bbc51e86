#include "pkg/cloud/registrar/retry_limiter.h"

#include <gtest/gtest.h>

#include "test/mocks/simulated_clock.h"

namespace ccm::cloud::registrar {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Two minutes of OCI down is ~15 failed runs of a load balancer; at client-go's 1000 s cap the
// next retry would then be minutes after OCI is back.
TEST(RetryLimiterTest, ALongOutageNeverPushesTheNextRetryPastTheCap) {
  testing::SimulatedClock clock;
  auto limiter = NewRetryLimiter(clock, SyncSettings{});
  Clock::Duration last{};
  for (int failure = 0; failure < 40; ++failure) {
    clock.Advance(seconds(30));  // runs are spread out, so the overall bucket never binds
    last = limiter->When("lb/a");
    EXPECT_LE(last, seconds(20)) << "failure " << failure;
  }
  EXPECT_EQ(last, seconds(20));
}

TEST(RetryLimiterTest, BacksOffPerLoadBalancerAndResetsOnSuccess) {
  testing::SimulatedClock clock;
  SyncSettings settings;
  settings.max_transient_error_backoff = seconds(8);
  auto limiter = NewRetryLimiter(clock, settings);
  EXPECT_EQ(limiter->When("lb/a"), milliseconds(5));
  EXPECT_EQ(limiter->When("lb/a"), milliseconds(10));
  EXPECT_EQ(limiter->When("lb/b"), milliseconds(5)) << "another load balancer's failures do not count";
  for (int i = 0; i < 20; ++i) limiter->When("lb/a");
  EXPECT_EQ(limiter->When("lb/a"), seconds(8));
  limiter->Forget("lb/a");
  EXPECT_EQ(limiter->When("lb/a"), milliseconds(5));
}

}  // namespace
}  // namespace ccm::cloud::registrar
