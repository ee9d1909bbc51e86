#include "pkg/kube/workqueue/work_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Bounds real waiting for another thread; simulated time never depends on it.
constexpr auto kThreadTimeout = seconds(10);

std::optional<std::string> GetWithin(WorkQueue& queue) {
  auto got = std::async(std::launch::async, [&] { return queue.Get(); });
  if (got.wait_for(kThreadTimeout) != std::future_status::ready) {
    ADD_FAILURE() << "Get() did not return";
    queue.ShutDown();
  }
  return got.get();
}

// True when `f` is still running after a short real wait: used only to show a call blocks.
template <typename T>
bool StillBlocked(std::future<T>& f) {
  return f.wait_for(milliseconds(50)) == std::future_status::timeout;
}

// Waits (real time, bounded) for the timer thread to make `n` keys ready.
bool LenBecomes(const WorkQueue& queue, size_t n) {
  for (auto deadline = std::chrono::steady_clock::now() + kThreadTimeout; std::chrono::steady_clock::now() < deadline;) {
    if (queue.Len() == n) return true;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return false;
}

class WorkQueueTest : public ::testing::Test {
 protected:
  testing::SimulatedClock clock_;
};

TEST_F(WorkQueueTest, KeyQueuedTwiceIsQueuedOnce) {
  WorkQueue queue(clock_);
  queue.Add("a");
  queue.Add("b");
  queue.Add("a");
  EXPECT_EQ(queue.Len(), 2u);
  EXPECT_EQ(GetWithin(queue), "a");
  EXPECT_EQ(GetWithin(queue), "b");
  EXPECT_EQ(queue.Len(), 0u);
}

TEST_F(WorkQueueTest, KeyAddedWhileProcessingIsHandedOutAgainOnlyAfterDone) {
  WorkQueue queue(clock_);
  queue.Add("a");
  ASSERT_EQ(GetWithin(queue), "a");
  queue.Add("a");
  queue.Add("a");
  EXPECT_EQ(queue.Len(), 0u) << "a processing key must not be handed to a second worker";
  queue.Done("a");
  EXPECT_EQ(queue.Len(), 1u);
  EXPECT_EQ(GetWithin(queue), "a");
  queue.Done("a");
  EXPECT_EQ(queue.Len(), 0u);
}

TEST_F(WorkQueueTest, DoneWithoutReAddDoesNotRequeue) {
  WorkQueue queue(clock_);
  queue.Add("a");
  ASSERT_EQ(GetWithin(queue), "a");
  queue.Done("a");
  EXPECT_EQ(queue.Len(), 0u);
  queue.Add("a");
  EXPECT_EQ(queue.Len(), 1u);
}

TEST_F(WorkQueueTest, GetBlocksUntilAKeyArrives) {
  WorkQueue queue(clock_);
  auto got = std::async(std::launch::async, [&] { return queue.Get(); });
  EXPECT_TRUE(StillBlocked(got));
  queue.Add("x");
  ASSERT_EQ(got.wait_for(kThreadTimeout), std::future_status::ready);
  EXPECT_EQ(got.get(), "x");
}

TEST_F(WorkQueueTest, ShutDownWakesBlockedGetters) {
  WorkQueue queue(clock_);
  auto got = std::async(std::launch::async, [&] { return queue.Get(); });
  EXPECT_TRUE(StillBlocked(got));
  queue.ShutDown();
  ASSERT_EQ(got.wait_for(kThreadTimeout), std::future_status::ready);
  EXPECT_EQ(got.get(), std::nullopt);
  EXPECT_TRUE(queue.ShuttingDown());
}

TEST_F(WorkQueueTest, KeysQueuedBeforeShutDownAreStillHandedOutNewOnesAreNot) {
  WorkQueue queue(clock_);
  queue.Add("a");
  queue.ShutDown();
  queue.Add("b");
  queue.AddAfter("c", seconds(1));
  queue.AddRateLimited("d");
  EXPECT_EQ(queue.Len(), 1u);
  EXPECT_EQ(queue.NumWaiting(), 0u);
  EXPECT_EQ(GetWithin(queue), "a");
  EXPECT_EQ(GetWithin(queue), std::nullopt);
}

TEST_F(WorkQueueTest, ShutDownWithDrainWaitsForInFlightKeys) {
  WorkQueue queue(clock_);
  queue.Add("a");
  queue.Add("b");
  ASSERT_EQ(GetWithin(queue), "a");
  ASSERT_EQ(GetWithin(queue), "b");
  auto drained = std::async(std::launch::async, [&] { queue.ShutDownWithDrain(); });
  EXPECT_TRUE(StillBlocked(drained));
  queue.Done("a");
  EXPECT_TRUE(StillBlocked(drained)) << "b is still processing";
  queue.Done("b");
  EXPECT_EQ(drained.wait_for(kThreadTimeout), std::future_status::ready);
}

TEST_F(WorkQueueTest, ShutDownWithDrainReturnsAtOnceWhenIdle) {
  WorkQueue queue(clock_);
  auto drained = std::async(std::launch::async, [&] { queue.ShutDownWithDrain(); });
  EXPECT_EQ(drained.wait_for(kThreadTimeout), std::future_status::ready);
}

TEST_F(WorkQueueTest, DelayedAddsBecomeReadyInDeadlineOrder) {
  WorkQueue queue(clock_);
  queue.AddAfter("c", seconds(3));
  queue.AddAfter("a", seconds(1));
  queue.AddAfter("b", seconds(2));
  EXPECT_EQ(queue.Len(), 0u);
  EXPECT_EQ(queue.NumWaiting(), 3u);

  clock_.Advance(milliseconds(999));
  EXPECT_EQ(queue.NumWaiting(), 3u);
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(GetWithin(queue), "a");
  EXPECT_EQ(queue.NumWaiting(), 2u);
  clock_.Advance(seconds(1));
  EXPECT_EQ(GetWithin(queue), "b");
  clock_.Advance(seconds(1));
  EXPECT_EQ(GetWithin(queue), "c");
  EXPECT_EQ(queue.NumWaiting(), 0u);
}

TEST_F(WorkQueueTest, EarliestDeadlineWinsForDuplicateDelayedAdds) {
  WorkQueue queue(clock_);
  queue.AddAfter("late-then-early", seconds(5));
  queue.AddAfter("late-then-early", seconds(1));
  queue.AddAfter("early-then-late", seconds(2));
  queue.AddAfter("early-then-late", seconds(10));
  EXPECT_EQ(queue.NumWaiting(), 2u);

  clock_.Advance(seconds(1));
  EXPECT_EQ(GetWithin(queue), "late-then-early");
  clock_.Advance(seconds(1));
  EXPECT_EQ(GetWithin(queue), "early-then-late");
  EXPECT_EQ(queue.NumWaiting(), 0u);
  queue.Done("late-then-early");
  queue.Done("early-then-late");
  // The superseded 5 s and 10 s entries add nothing later.
  clock_.Advance(seconds(20));
  queue.Add("marker");
  EXPECT_EQ(GetWithin(queue), "marker");
  EXPECT_EQ(queue.Len(), 0u);
}

TEST_F(WorkQueueTest, AheadLaneIsHandedOutBeforeNormalKeysInOrder) {
  WorkQueue queue(clock_);
  queue.Add("n1");
  queue.Add("a1", QueueLane::kAhead);
  queue.Add("n2");
  queue.Add("a2", QueueLane::kAhead);
  EXPECT_EQ(GetWithin(queue), "a1");
  EXPECT_EQ(GetWithin(queue), "a2");
  EXPECT_EQ(GetWithin(queue), "n1");
  queue.Add("a3", QueueLane::kAhead);
  EXPECT_EQ(GetWithin(queue), "a3") << "an ahead key added after a normal key was handed out still goes first";
  EXPECT_EQ(GetWithin(queue), "n2");
  EXPECT_EQ(queue.Len(), 0u);
}

TEST_F(WorkQueueTest, QueuedNormalKeyMovesAheadWhenAddedAhead) {
  WorkQueue queue(clock_);
  queue.Add("n1");
  queue.Add("n2");
  queue.Add("x");
  queue.Add("x", QueueLane::kAhead);
  queue.Add("n1");  // a normal re-add leaves it where it is
  EXPECT_EQ(queue.Len(), 3u) << "moving a key must not duplicate it";
  EXPECT_EQ(GetWithin(queue), "x");
  EXPECT_EQ(GetWithin(queue), "n1");
  EXPECT_EQ(GetWithin(queue), "n2");
}

TEST_F(WorkQueueTest, KeyAddedAheadWhileProcessingGoesAheadAfterDone) {
  WorkQueue queue(clock_);
  queue.Add("x");
  ASSERT_EQ(GetWithin(queue), "x");
  queue.Add("n1");
  queue.Add("x", QueueLane::kAhead);
  queue.Done("x");
  EXPECT_EQ(GetWithin(queue), "x");
  queue.Done("x");
  EXPECT_EQ(GetWithin(queue), "n1");
  queue.Done("n1");
  // The lane is not remembered past the run it was asked for.
  queue.Add("n2");
  queue.Add("x");
  EXPECT_EQ(GetWithin(queue), "n2");
}

TEST_F(WorkQueueTest, DelayedAheadKeyJoinsTheAheadLaneWhenDue) {
  WorkQueue queue(clock_);
  queue.AddAfter("poll", seconds(2), QueueLane::kAhead);
  queue.AddAfter("resync", seconds(1));
  queue.AddAfter("resync-too", seconds(1), QueueLane::kAhead);
  queue.AddAfter("resync-too", seconds(3));  // earlier deadline kept, and its lane
  clock_.Advance(seconds(1));
  ASSERT_TRUE(LenBecomes(queue, 2));
  ASSERT_EQ(GetWithin(queue), "resync-too");
  queue.Add("event");
  clock_.Advance(seconds(1));
  ASSERT_TRUE(LenBecomes(queue, 3));
  EXPECT_EQ(GetWithin(queue), "poll");
  EXPECT_EQ(GetWithin(queue), "resync");
  EXPECT_EQ(GetWithin(queue), "event");
}

TEST_F(WorkQueueTest, NonPositiveDelayAddsImmediately) {
  WorkQueue queue(clock_);
  queue.AddAfter("now", Clock::Duration::zero());
  queue.AddAfter("past", -seconds(1));
  EXPECT_EQ(queue.Len(), 2u);
}

TEST_F(WorkQueueTest, AddRateLimitedFollowsPerKeyBackoff) {
  WorkQueue queue(clock_);
  // Failures 1..4 wait 5, 10, 20, 40 ms.
  for (Clock::Duration delay : {milliseconds(5), milliseconds(10), milliseconds(20), milliseconds(40)}) {
    queue.AddRateLimited("a");
    EXPECT_EQ(queue.NumWaiting(), 1u);
    clock_.Advance(delay - milliseconds(1));
    EXPECT_EQ(queue.NumWaiting(), 1u) << "ready too early for delay " << delay.count();
    clock_.Advance(milliseconds(1));
    ASSERT_EQ(GetWithin(queue), "a");
    queue.Done("a");
  }
  EXPECT_EQ(queue.NumRequeues("a"), 4);
  queue.Forget("a");
  EXPECT_EQ(queue.NumRequeues("a"), 0);
  queue.AddRateLimited("a");
  clock_.Advance(milliseconds(5));
  EXPECT_EQ(GetWithin(queue), "a");
}

TEST_F(WorkQueueTest, CustomRateLimiterIsUsed) {
  WorkQueue queue(clock_, {.rate_limiter = DefaultControllerRateLimiter(
                               clock_, {.base_delay = seconds(2), .max_delay = seconds(3), .qps = 0})});
  queue.AddRateLimited("a");
  clock_.Advance(milliseconds(1999));
  EXPECT_EQ(queue.NumWaiting(), 1u);
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(GetWithin(queue), "a");
}

TEST_F(WorkQueueTest, OneKeyIsNeverProcessedByTwoWorkersAndLastAddIsAlwaysProcessed) {
  WorkQueue queue(clock_);
  constexpr int kKeys = 3;
  constexpr int kAddsPerKey = 3000;
  std::mutex mu;
  std::set<std::string> in_flight;
  std::atomic<int> overlaps{0};
  std::array<std::atomic<int>, kKeys> version{};
  std::map<std::string, int> processed_version;

  auto worker = [&] {
    while (auto key = queue.Get()) {
      int k = (*key)[0] - 'a';
      int seen = version[k].load();
      {
        std::lock_guard lock(mu);
        if (!in_flight.insert(*key).second) ++overlaps;
      }
      std::this_thread::yield();
      {
        std::lock_guard lock(mu);
        in_flight.erase(*key);
        processed_version[*key] = std::max(processed_version[*key], seen);
      }
      queue.Done(*key);
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) workers.emplace_back(worker);
  for (int round = 1; round <= kAddsPerKey; ++round) {
    for (int k = 0; k < kKeys; ++k) {
      version[k].store(round);
      queue.Add(std::string(1, static_cast<char>('a' + k)));
    }
  }
  // Every key's final add must be processed after it was made; wait for that, bounded.
  auto deadline = std::chrono::steady_clock::now() + kThreadTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::lock_guard lock(mu);
    bool all = true;
    for (int k = 0; k < kKeys; ++k) {
      all = all && processed_version[std::string(1, static_cast<char>('a' + k))] == kAddsPerKey;
    }
    if (all) break;
  }
  queue.ShutDownWithDrain();
  for (auto& t : workers) t.join();
  EXPECT_EQ(overlaps.load(), 0);
  for (int k = 0; k < kKeys; ++k) {
    EXPECT_EQ(processed_version[std::string(1, static_cast<char>('a' + k))], kAddsPerKey) << k;
  }
}

class RecordingObserver : public WorkQueueObserver {
 public:
  void OnAdd(const std::string& queue) override { adds++, name = queue; }
  void OnDepth(const std::string&, size_t depth) override { last_depth = depth; }
  void OnRetry(const std::string&) override { retries++; }
  void OnQueueLatency(const std::string&, Clock::Duration waited) override { latency = waited; }
  void OnWorkDuration(const std::string&, Clock::Duration worked) override { work = worked; }
  int adds = 0, retries = 0;
  size_t last_depth = 99;
  std::string name;
  Clock::Duration latency{}, work{};
};

TEST_F(WorkQueueTest, ObserverSeesAddsDepthRetriesLatencyAndWorkDuration) {
  RecordingObserver observer;
  WorkQueue queue(clock_, {.name = "services", .observer = &observer});
  queue.Add("a");
  queue.Add("a");
  queue.Add("b");
  EXPECT_EQ(observer.adds, 2);
  EXPECT_EQ(observer.name, "services");
  EXPECT_EQ(observer.last_depth, 2u);
  clock_.Advance(seconds(2));
  ASSERT_EQ(GetWithin(queue), "a");
  EXPECT_EQ(observer.latency, seconds(2));
  EXPECT_EQ(observer.last_depth, 1u);
  clock_.Advance(seconds(3));
  queue.Done("a");
  EXPECT_EQ(observer.work, seconds(3));
  queue.AddRateLimited("a");
  EXPECT_EQ(observer.retries, 1);
}

}  // namespace
}  // namespace ccm::kube
