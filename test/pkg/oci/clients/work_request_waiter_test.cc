#include "pkg/oci/clients/work_request_waiter.h"

#include <gtest/gtest.h>

#include <thread>

#include "test/mocks/advancing_sleeper.h"
#include "test/mocks/mock_backend_set_api.h"

namespace ccm::oci {
namespace {

using std::chrono::milliseconds;
using ::testing::Return;

WorkRequestState State(WorkRequestPhase phase, std::string status, std::vector<std::string> errors = {}) {
  return {.id = "wr", .phase = phase, .status = std::move(status), .errors = std::move(errors)};
}

class WaiterTest : public ::testing::Test {
 protected:
  ccm::testing::SimulatedClock clock;
  ccm::testing::AdvancingSleeper sleeper{clock};
  ::testing::StrictMock<ccm::testing::MockBackendSetApi> api;
};

TEST_F(WaiterTest, PollsWithGrowingIntervalsUntilSucceeded) {
  auto pending = State(WorkRequestPhase::kPending, "IN_PROGRESS");
  WorkRequestWaiter waiter(sleeper, {.jitter = 0});
  int calls = 0;
  auto result = waiter.Wait(
      [&]() -> Result<WorkRequestState> {
        return ++calls < 9 ? pending : State(WorkRequestPhase::kSucceeded, "SUCCEEDED");
      },
      "wr");
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(result->status, "SUCCEEDED");
  auto d = sleeper.delays();
  ASSERT_EQ(d.size(), 8u);
  EXPECT_EQ(d[0], milliseconds(250));
  EXPECT_EQ(d[1], milliseconds(500));
  EXPECT_EQ(d[2], milliseconds(1000));
  EXPECT_EQ(d[4], milliseconds(4000));
  EXPECT_EQ(d[5], milliseconds(5000));
  EXPECT_EQ(d[7], milliseconds(5000));
  EXPECT_EQ(calls, 9);
}

TEST_F(WaiterTest, UsesTheBackendSetApi) {
  EXPECT_CALL(api, GetWorkRequest("wr"))
      .WillOnce(Return(State(WorkRequestPhase::kPending, "ACCEPTED")))
      .WillOnce(Return(State(WorkRequestPhase::kSucceeded, "SUCCEEDED")));
  WorkRequestWaiter waiter(sleeper);
  auto result = waiter.Wait(api, "wr");
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(sleeper.delays().size(), 1u);
}

TEST_F(WaiterTest, FailedCarriesOciErrorDetails) {
  EXPECT_CALL(api, GetWorkRequest("wr"))
      .WillOnce(Return(State(WorkRequestPhase::kFailed, "FAILED", {"BAD_INPUT: invalid port", "E2: other"})));
  auto result = WorkRequestWaiter(sleeper).Wait(api, "wr");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "WorkRequestFailed");
  EXPECT_EQ(result.error().message, "work request wr failed: BAD_INPUT: invalid port; E2: other");
}

TEST_F(WaiterTest, Canceled) {
  EXPECT_CALL(api, GetWorkRequest("wr")).WillOnce(Return(State(WorkRequestPhase::kCanceled, "CANCELED")));
  auto result = WorkRequestWaiter(sleeper).Wait(api, "wr");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kCanceled);
  EXPECT_EQ(result.error().code, "WorkRequestCanceled");
}

TEST_F(WaiterTest, TimesOutAtTheDeadline) {
  EXPECT_CALL(api, GetWorkRequest("wr")).WillRepeatedly(Return(State(WorkRequestPhase::kPending, "IN_PROGRESS")));
  auto start = clock.Now();
  auto result = WorkRequestWaiter(sleeper, {.timeout = std::chrono::seconds(60)}).Wait(api, "wr");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kTimeout);
  EXPECT_EQ(result.error().code, "WorkRequestTimeout");
  EXPECT_TRUE(result.error().retryable);
  EXPECT_NE(result.error().message.find("still IN_PROGRESS after 60 s"), std::string::npos) << result.error().message;
  EXPECT_EQ(clock.Now() - start, std::chrono::seconds(60));
}

TEST_F(WaiterTest, RetryablePollErrorsKeepPollingOthersStop) {
  EXPECT_CALL(api, GetWorkRequest("wr"))
      .WillOnce(Return(std::unexpected(MakeError(ErrorKind::kUnavailable, "503"))))
      .WillOnce(Return(State(WorkRequestPhase::kSucceeded, "SUCCEEDED")));
  EXPECT_TRUE(WorkRequestWaiter(sleeper).Wait(api, "wr"));

  EXPECT_CALL(api, GetWorkRequest("gone"))
      .WillOnce(Return(std::unexpected(MakeError(ErrorKind::kNotFound, "404"))));
  auto result = WorkRequestWaiter(sleeper).Wait(api, "gone");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(result.error().message.find("polling work request gone"), std::string::npos);
}

TEST_F(WaiterTest, CancelFlagStopsWaiting) {
  std::atomic<bool> cancel{false};
  sleeper.set_on_sleep([&] { cancel = true; });
  EXPECT_CALL(api, GetWorkRequest("wr")).WillOnce(Return(State(WorkRequestPhase::kPending, "IN_PROGRESS")));
  auto result = WorkRequestWaiter(sleeper).Wait(api, "wr", &cancel);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kCanceled);
  EXPECT_EQ(result.error().code, "");
}

TEST(WaiterRealSleeperTest, ShutdownInterruptsALongWaitPromptly) {
  ccm::testing::SimulatedClock clock;
  ClockSleeper sleeper(clock);
  ::testing::NiceMock<ccm::testing::MockBackendSetApi> api;
  ON_CALL(api, GetWorkRequest).WillByDefault(Return(State(WorkRequestPhase::kPending, "IN_PROGRESS")));
  std::atomic<bool> cancel{false};
  Result<WorkRequestState> result = State(WorkRequestPhase::kPending, "");
  std::thread t([&] { result = WorkRequestWaiter(sleeper).Wait(api, "wr", &cancel); });
  while (clock.waiters() == 0) std::this_thread::yield();
  cancel = true;  // the simulated clock never moves: only the flag can end the wait
  t.join();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kCanceled);
}

}  // namespace
}  // namespace ccm::oci
