#include "pkg/base/token_bucket.h"

#include <gtest/gtest.h>

#include <thread>

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

TEST(TokenBucketTest, ASpareTokenIsTakenOnlyWhenNoReservationWaitsForIt) {
  testing::SimulatedClock clock;
  TokenBucket bucket(10, 2, clock);
  EXPECT_EQ(bucket.TryTakeSpare(), Clock::Duration::zero());
  EXPECT_EQ(bucket.Reserve(), Clock::Duration::zero());
  // Empty: nothing spare for 100 ms, and asking takes nothing.
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.TryTakeSpare()).count(), 100);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.TryTakeSpare()).count(), 100);
  // A reservation made meanwhile goes first, and pushes the spare token further out.
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()).count(), 100);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.TryTakeSpare()).count(), 200);
  clock.Advance(milliseconds(100));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.TryTakeSpare()).count(), 100);
  clock.Advance(milliseconds(100));
  EXPECT_EQ(bucket.TryTakeSpare(), Clock::Duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()).count(), 100) << "the spare token was taken";
}

TEST(TokenBucketTest, TakeSpareSleepsUntilATokenIsSpare) {
  testing::SimulatedClock clock;
  TokenBucket bucket(10, 1, clock);
  ASSERT_EQ(bucket.Reserve(), Clock::Duration::zero());
  Clock::Duration waited{};
  std::thread low([&] { waited = bucket.TakeSpare(); });
  while (clock.waiters() == 0) std::this_thread::yield();
  clock.Advance(milliseconds(100));
  low.join();
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(waited).count(), 100);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()).count(), 100) << "the low request took its token";
}

TEST(TokenBucketTest, NonPositiveQpsIsUnlimited) {
  testing::SimulatedClock clock;
  TokenBucket bucket(0, 1, clock);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(bucket.Reserve(), Clock::Duration::zero()) << i;
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(bucket.TryTakeSpare(), Clock::Duration::zero()) << i;
}

}  // namespace
}  // namespace ccm
