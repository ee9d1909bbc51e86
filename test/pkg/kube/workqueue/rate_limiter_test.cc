#include "pkg/kube/workqueue/rate_limiter.h"

#include <gtest/gtest.h>

#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ItemExponentialRateLimiterTest, DoublesFromBaseUntilTheCap) {
  ItemExponentialRateLimiter limiter(milliseconds(5), seconds(1000));
  Clock::Duration expected = milliseconds(5);
  for (int failure = 0; failure < 18; ++failure) {
    EXPECT_EQ(limiter.When("a"), expected) << "failure " << failure;
    expected *= 2;
  }
  // 5 ms * 2^18 = 1310.72 s is past the cap; it stays there however many failures follow.
  EXPECT_EQ(limiter.When("a"), seconds(1000));
  for (int i = 0; i < 100; ++i) limiter.When("a");
  EXPECT_EQ(limiter.When("a"), seconds(1000));
  EXPECT_EQ(limiter.NumRequeues("a"), 120);
}

TEST(ItemExponentialRateLimiterTest, KeysAreIndependentAndForgetResets) {
  ItemExponentialRateLimiter limiter(milliseconds(5), seconds(1000));
  limiter.When("a");
  limiter.When("a");
  EXPECT_EQ(limiter.When("b"), milliseconds(5));
  EXPECT_EQ(limiter.NumRequeues("a"), 2);
  EXPECT_EQ(limiter.NumRequeues("b"), 1);
  limiter.Forget("a");
  EXPECT_EQ(limiter.NumRequeues("a"), 0);
  EXPECT_EQ(limiter.When("a"), milliseconds(5));
}

TEST(DefaultControllerRateLimiterTest, TokenBucketBoundsTheOverallRetryRate) {
  testing::SimulatedClock clock;
  auto limiter = DefaultControllerRateLimiter(clock);  // 10 qps, burst 100
  // The burst covers 100 first failures: each waits only its own 5 ms.
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(limiter->When("key-" + std::to_string(i)), milliseconds(5)) << i;
  }
  // Then keys queue behind the bucket at 10 per second.
  EXPECT_EQ(limiter->When("key-100"), milliseconds(100));
  EXPECT_EQ(limiter->When("key-101"), milliseconds(200));
  // One second later 10 tokens have refilled, all spoken for by those two reservations and
  // the next eight.
  clock.Advance(seconds(1));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(limiter->When("late-" + std::to_string(i)), milliseconds(5));
  EXPECT_EQ(limiter->When("late-8"), milliseconds(100));
}

TEST(DefaultControllerRateLimiterTest, PerKeyBackoffWinsWhenLonger) {
  testing::SimulatedClock clock;
  auto limiter = DefaultControllerRateLimiter(clock, {.base_delay = milliseconds(5),
                                                      .max_delay = seconds(1000),
                                                      .qps = 10,
                                                      .burst = 100});
  for (int i = 0; i < 10; ++i) limiter->When("a");
  EXPECT_EQ(limiter->When("a"), milliseconds(5 * 1024));
  EXPECT_EQ(limiter->NumRequeues("a"), 11);
  limiter->Forget("a");
  EXPECT_EQ(limiter->NumRequeues("a"), 0);
}

TEST(DefaultControllerRateLimiterTest, ConfigurableAndBucketCanBeDisabled) {
  testing::SimulatedClock clock;
  auto limiter = DefaultControllerRateLimiter(
      clock, {.base_delay = milliseconds(100), .max_delay = milliseconds(250), .qps = 0, .burst = 0});
  EXPECT_EQ(limiter->When("a"), milliseconds(100));
  EXPECT_EQ(limiter->When("a"), milliseconds(200));
  EXPECT_EQ(limiter->When("a"), milliseconds(250));
  for (int i = 0; i < 500; ++i) EXPECT_EQ(limiter->When("k" + std::to_string(i)), milliseconds(100));
}

}  // namespace
}  // namespace ccm::kube
