#include "pkg/oci/transport/sleeper.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test/mocks/simulated_clock.h"

namespace ccm::oci {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ClockSleeperTest, APastDeadlineReturnsAtOnce) {
  testing::SimulatedClock clock;
  ClockSleeper sleeper(clock);
  EXPECT_TRUE(sleeper.SleepUntil(clock.Now(), nullptr));
  EXPECT_TRUE(sleeper.SleepFor(Clock::Duration::zero(), nullptr));
  EXPECT_EQ(&sleeper.clock(), &clock);
}

TEST(ClockSleeperTest, ACancelledWaitReturnsFalseBeforeWaiting) {
  testing::SimulatedClock clock;
  ClockSleeper sleeper(clock);
  std::atomic<bool> cancel{true};
  EXPECT_FALSE(sleeper.SleepFor(seconds(10), &cancel));
}

TEST(ClockSleeperTest, SleepsUntilTheClockReachesTheDeadline) {
  testing::SimulatedClock clock;
  ClockSleeper sleeper(clock);
  const Clock::TimePoint start = clock.Now();
  std::atomic<bool> done{false};
  bool result = false;
  std::thread t([&] {
    result = sleeper.SleepFor(seconds(1), nullptr);
    done = true;
  });
  // Simulated time moves in steps; the sleeper wakes each 50 ms slice and goes back to sleep.
  for (int i = 0; i < 19; ++i) {
    while (!clock.Parked(1)) std::this_thread::yield();
    clock.Advance(milliseconds(50));
  }
  while (!clock.Parked(1)) std::this_thread::yield();
  EXPECT_FALSE(done) << "950 ms of the second have passed";
  clock.Advance(milliseconds(50));
  t.join();
  EXPECT_TRUE(result);
  EXPECT_EQ(clock.Now() - start, seconds(1));
}

TEST(ClockSleeperTest, ACancelDuringTheWaitIsSeenWithinOneSlice) {
  testing::SimulatedClock clock;
  ClockSleeper sleeper(clock);
  std::atomic<bool> cancel{false};
  bool result = true;
  std::thread t([&] { result = sleeper.SleepFor(seconds(60), &cancel); });
  while (!clock.Parked(1)) std::this_thread::yield();
  cancel = true;
  clock.Advance(milliseconds(50));
  t.join();
  EXPECT_FALSE(result);
}

}  // namespace
}  // namespace ccm::oci
