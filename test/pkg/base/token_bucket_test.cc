#include "pkg/base/token_bucket.h"

#include <gtest/gtest.h>

#include "test/mocks/simulated_clock.h"

namespace ccm {
namespace {

using std::chrono::milliseconds;

TEST(TokenBucketTest, BurstThenRefillAtQps) {
  testing::SimulatedClock clock;
  TokenBucket bucket(10, 3, clock);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(bucket.Reserve(), Clock::Duration::zero()) << i;
  clock.Advance(milliseconds(100));
  EXPECT_EQ(bucket.Reserve(), Clock::Duration::zero()) << "one token refilled in 1/qps";
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()).count(), 100);
}

TEST(TokenBucketTest, AnIdleBucketRefillsOnlyToItsBurst) {
  testing::SimulatedClock clock;
  TokenBucket bucket(10, 3, clock);
  EXPECT_EQ(bucket.Reserve(), Clock::Duration::zero());
  clock.Advance(std::chrono::seconds(60));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(bucket.Reserve(), Clock::Duration::zero()) << i;
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()).count(), 100);
}

TEST(TokenBucketTest, ReservationsQueueBehindEachOther) {
  testing::SimulatedClock clock;
  TokenBucket bucket(2, 1, clock);
  EXPECT_EQ(bucket.Reserve(), Clock::Duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()).count(), 500);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()).count(), 1000);
}

TEST(TokenBucketTest, NonPositiveQpsIsUnlimited) {
  testing::SimulatedClock clock;
  TokenBucket bucket(0, 1, clock);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(bucket.Reserve(), Clock::Duration::zero()) << i;
}

}  // namespace
}  // namespace ccm
