#include "pkg/kube/controller/queue_driver.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <vector>

#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct Seen {
  std::string controller, key, reason;
  bool ok;
};

class RecordingObserver final : public ReconcileObserver {
 public:
  void OnReconcile(const std::string& controller, const std::string& key, const SyncOutcome& outcome,
                   Clock::Duration) override {
    std::lock_guard lock(mu);
    seen.push_back({controller, key, outcome.reason, outcome.ok()});
  }
  std::mutex mu;
  std::vector<Seen> seen;
};

Error Unauthorized() { return MakeError(ErrorKind::kUnauthenticated, "bad signature"); }

class QueueDriverTest : public ::testing::Test {
 protected:
  // One key through the driver with the outcome `next`.
  void Process(const std::string& key, SyncOutcome next) {
    queue.Add(key);
    outcome = std::move(next);
    ASSERT_TRUE(driver.ProcessNext());
  }
  testing::SimulatedClock clock;
  WorkQueue queue{clock, {.name = "service"}};
  SyncOutcome outcome;
  RecordingObserver observer;
  QueueDriver driver{queue, clock, [this](const std::string&) { return outcome; },
                     {.controller = "service", .workers = 1, .observer = &observer}};
};

TEST_F(QueueDriverTest, SuccessForgetsTheKey) {
  Process("lb/a", SyncOutcome::Retry(Unauthorized(), "OCIError"));
  EXPECT_EQ(queue.NumRequeues("lb/a"), 1);
  clock.Advance(seconds(1));
  ASSERT_TRUE(driver.ProcessNext());  // the retry, due now
  outcome = SyncOutcome::Done();
  EXPECT_EQ(queue.NumRequeues("lb/a"), 2);
  Process("lb/a", SyncOutcome::Done());
  EXPECT_EQ(queue.NumRequeues("lb/a"), 0);
}

TEST_F(QueueDriverTest, TransientErrorsRetryOnTheQueuesBackoff) {
  Process("lb/a", SyncOutcome::Retry(Unauthorized(), "OCIThrottled"));
  EXPECT_EQ(queue.NumRequeues("lb/a"), 1);
  EXPECT_EQ(queue.NumWaiting(), 1u);
}

TEST_F(QueueDriverTest, AnErrorOnItsOwnScheduleWaitsExactlyThatLongAndResetsTheBackoff) {
  Process("lb/a", SyncOutcome::Retry(Unauthorized(), "OCIError"));
  clock.Advance(seconds(1));
  outcome = SyncOutcome::RetryAfter(Unauthorized(), "OCIUnauthorized", seconds(5));
  ASSERT_TRUE(driver.ProcessNext());
  EXPECT_EQ(queue.NumRequeues("lb/a"), 0);
  EXPECT_EQ(queue.NumWaiting(), 1u);
  clock.Advance(seconds(5) - milliseconds(1));
  EXPECT_EQ(queue.Len(), 0u);
  clock.Advance(milliseconds(1));
  for (int i = 0; i < 100 && queue.Len() == 0; ++i) std::this_thread::sleep_for(milliseconds(5));  // timer thread
  EXPECT_EQ(queue.Len(), 1u);
}

TEST_F(QueueDriverTest, AnAheadOutcomeRunsBeforeKeysQueuedMeanwhile) {
  SyncOutcome poll = SyncOutcome::DoneRequeueAfter(seconds(2));
  poll.lane = QueueLane::kAhead;
  Process("lb/writing", poll);
  queue.Add("lb/reading-1");
  queue.Add("lb/reading-2");
  clock.Advance(seconds(2));
  for (int i = 0; i < 200 && queue.Len() < 3; ++i) std::this_thread::sleep_for(milliseconds(5));  // timer thread
  ASSERT_EQ(queue.Len(), 3u);
  EXPECT_EQ(queue.Get(), "lb/writing");
  queue.Done("lb/writing");
  EXPECT_EQ(queue.Get(), "lb/reading-1");
  queue.Done("lb/reading-1");
}

TEST_F(QueueDriverTest, EveryRunIsObservedWithItsOutcome) {
  Process("lb/a", SyncOutcome::DoneRequeueAfter(seconds(300)));
  Process("lb/b", SyncOutcome::RetryAfter(Unauthorized(), "OCIUnauthorized", seconds(5)));
  Process("src/x", SyncOutcome::Retry(Unauthorized(), "SecretNotFound"));
  std::lock_guard lock(observer.mu);
  ASSERT_EQ(observer.seen.size(), 3u);
  EXPECT_EQ(observer.seen[0].key, "lb/a");
  EXPECT_TRUE(observer.seen[0].ok);
  // An error a user must fix is an error, even though it is not retried at once.
  EXPECT_FALSE(observer.seen[1].ok);
  EXPECT_EQ(observer.seen[1].reason, "OCIUnauthorized");
  EXPECT_FALSE(observer.seen[2].ok);
  EXPECT_EQ(observer.seen[2].controller, "service");
}

TEST(SyncOutcomeTest, RunAgainWithinKeepsTheEarlierTimer) {
  SyncOutcome done = SyncOutcome::Done();
  done.RunAgainWithin(seconds(5));
  EXPECT_EQ(done.requeue, Requeue::kAfter);
  EXPECT_EQ(done.after, seconds(5));
  SyncOutcome resync = SyncOutcome::DoneRequeueAfter(seconds(300));
  resync.RunAgainWithin(seconds(5));
  EXPECT_EQ(resync.after, seconds(5));
  SyncOutcome poll = SyncOutcome::DoneRequeueAfter(milliseconds(200));
  poll.RunAgainWithin(seconds(5));
  EXPECT_EQ(poll.after, milliseconds(200));
  SyncOutcome retry = SyncOutcome::Retry(Unauthorized(), "OCIError");
  retry.RunAgainWithin(seconds(5));
  EXPECT_EQ(retry.requeue, Requeue::kRateLimited);
  EXPECT_EQ(SyncOutcome::DoneRequeueAfter(Clock::Duration::zero()).requeue, Requeue::kNo);
}

}  // namespace
}  // namespace ccm::kube
