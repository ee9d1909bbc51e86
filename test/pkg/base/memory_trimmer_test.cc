#include "pkg/base/memory_trimmer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test/mocks/simulated_clock.h"

namespace ccm {
namespace {

// Spins until `pred` holds; the simulated clock decides when trims are due, not this wait.
template <typename Pred>
bool Eventually(Pred pred) {
  for (int i = 0; i < 5000 && !pred(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return pred();
}

TEST(MemoryTrimmerTest, TrimsOncePerPeriodAndStopsPromptly) {
  testing::SimulatedClock clock;
  std::atomic<int> trims{0};
  {
    MemoryTrimmer trimmer(clock, std::chrono::seconds(5), [&] { ++trims; });
    ASSERT_TRUE(Eventually([&] { return clock.waiters() == 1; }));
    clock.Advance(std::chrono::seconds(4));
    ASSERT_TRUE(Eventually([&] { return clock.waiters() == 1; }));
    EXPECT_EQ(trims.load(), 0) << "not due before the period";
    clock.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(Eventually([&] { return trims.load() == 1; }));
    ASSERT_TRUE(Eventually([&] { return clock.waiters() == 1; }));
    clock.Advance(std::chrono::seconds(5));
    ASSERT_TRUE(Eventually([&] { return trims.load() == 2; }));
  }  // the destructor must not wait for the next period
  EXPECT_EQ(trims.load(), 2);
}

}  // namespace
}  // namespace ccm
