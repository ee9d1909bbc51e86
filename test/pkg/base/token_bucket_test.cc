#include "pkg/base/token_bucket.h"

#include <gtest/gtest.h>

#include "test/mocks/simulated_clock.h"

namespace ccm {
namespace {

using std::chrono::milliseconds;

TEST(TokenBucketTest, BurstThenRefillAtQps) {
  testing::SimulatedClock clock;
  TokenBucket bucket(10, 3, clock);
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_FALSE(bucket.TryTake());
  clock.Advance(milliseconds(99));
  EXPECT_FALSE(bucket.TryTake());
  clock.Advance(milliseconds(2));
  EXPECT_TRUE(bucket.TryTake());
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
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(bucket.TryTake());
}

}  // namespace
}  // namespace ccm
