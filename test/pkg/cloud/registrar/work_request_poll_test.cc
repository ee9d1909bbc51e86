#include "pkg/cloud/registrar/work_request_poll.h"

#include <gtest/gtest.h>

#include <vector>

namespace ccm::cloud::registrar {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

int64_t Ms(Clock::Duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

TEST(WorkRequestPollScheduleTest, StepsGrowFromTheFirstPollAndAreCapped) {
  WorkRequestPollSchedule poll(milliseconds(200), seconds(5));
  EXPECT_EQ(Ms(poll.FirstPoll()), 200);
  // Looks at ages 0.2, 0.3, 0.45, 0.675, 1.0125 s ...: the wait from each look to the next.
  std::vector<int64_t> looks;
  Clock::Duration age = milliseconds(200);
  for (int i = 0; i < 5; ++i) {
    looks.push_back(Ms(age));
    age += poll.NextPollDelay(milliseconds(200), age);
  }
  EXPECT_EQ(looks, (std::vector<int64_t>{200, 300, 450, 675, 1012}));
  // Far into a long work request the step is the cap.
  EXPECT_LE(Ms(poll.NextPollDelay(milliseconds(200), seconds(600))), 5000);
  Clock::Duration late = seconds(600);
  Clock::Duration next = late + poll.NextPollDelay(milliseconds(200), late);
  EXPECT_EQ(Ms(poll.NextPollDelay(milliseconds(200), next)), 5000);
}

TEST(WorkRequestPollScheduleTest, AnEventTriggeredLookDoesNotMoveTheSchedule) {
  WorkRequestPollSchedule poll(milliseconds(200), seconds(5));
  // From age 0.5 s the next look is at 0.675 s, whatever triggered the run at 0.5 s.
  EXPECT_EQ(Ms(poll.NextPollDelay(milliseconds(200), milliseconds(500))), 175);
  EXPECT_EQ(Ms(poll.NextPollDelay(milliseconds(200), milliseconds(650))), 25);
}

TEST(WorkRequestPollScheduleTest, LearnsTheLatencyFromTheIntervalItFinishedIn) {
  WorkRequestPollSchedule poll(milliseconds(200), seconds(5));
  // Pending at 1.9 s, done at 2.1 s: about 2 s; the next first look comes 100 ms before it.
  poll.ObserveCompletion(milliseconds(1900), milliseconds(2100));
  EXPECT_EQ(Ms(poll.expected_latency()), 2000);
  EXPECT_EQ(Ms(poll.FirstPoll()), 1900);
  // A short work request is looked at a tenth early.
  WorkRequestPollSchedule fast(milliseconds(200), seconds(5));
  fast.ObserveCompletion(milliseconds(400), milliseconds(600));
  EXPECT_EQ(Ms(fast.FirstPoll()), 450);
  // Done at the first look: only an upper bound, so look earlier next time, never later.
  poll.ObserveCompletion(milliseconds(-1), milliseconds(1900));
  EXPECT_EQ(Ms(poll.expected_latency()), 1520);
  // The first look stays within [first poll, max poll].
  WorkRequestPollSchedule slow(milliseconds(200), seconds(5));
  slow.ObserveCompletion(seconds(60), seconds(62));
  EXPECT_EQ(Ms(slow.FirstPoll()), 5000);
}

}  // namespace
}  // namespace ccm::cloud::registrar
