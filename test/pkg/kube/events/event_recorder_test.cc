#include "pkg/kube/events/event_recorder.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "pkg/kube/meta_time.h"
#include "test/mocks/fake_rest_client.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

ObjectReference Service() {
  return {.kind = "Service", .namespace_ = "web", .name = "frontend", .uid = "uid-1", .api_version = "v1",
          .resource_version = "42"};
}
ObjectReference Node(const std::string& name = "node-a") {
  return {.kind = "Node", .name = name, .uid = "uid-" + name, .api_version = "v1"};
}

class EventRecorderTest : public ::testing::Test {
 protected:
  EventRecorderOptions Options() {
    EventRecorderOptions o;
    o.instance = "ccm-0";
    o.host = "host-1";
    return o;
  }
  std::vector<json::Document> Events(const std::string& ns) {
    std::vector<json::Document> out;
    for (const auto& path : fake_.Paths("/api/v1/namespaces/" + ns + "/events")) {
      out.push_back(std::move(*json::Parse(*fake_.Object(path), "event")));
    }
    return out;
  }
  static std::string Str(const json::Value& v, const char* field) {
    return json::String(v, field, "").value();
  }

  testing::SimulatedClock clock_;
  testing::FakeRestClient fake_{clock_};
};

TEST_F(EventRecorderTest, CreatesACoreV1EventInTheObjectsNamespace) {
  AsyncEventRecorder recorder(fake_, Options(), clock_);
  recorder.Record(Service(), EventType::kWarning, "SyncFailed", "backend set bs1: 409 conflict");
  ASSERT_TRUE(recorder.Flush());
  auto events = Events("web");
  ASSERT_EQ(events.size(), 1u);
  const auto& e = events[0];
  EXPECT_TRUE(Str(e["metadata"], "name").starts_with("frontend."));
  EXPECT_EQ(Str(e["involvedObject"], "kind"), "Service");
  EXPECT_EQ(Str(e["involvedObject"], "namespace"), "web");
  EXPECT_EQ(Str(e["involvedObject"], "name"), "frontend");
  EXPECT_EQ(Str(e["involvedObject"], "uid"), "uid-1");
  EXPECT_EQ(Str(e["involvedObject"], "apiVersion"), "v1");
  EXPECT_EQ(Str(e["involvedObject"], "resourceVersion"), "42");
  EXPECT_EQ(Str(e, "reason"), "SyncFailed");
  EXPECT_EQ(Str(e, "message"), "backend set bs1: 409 conflict");
  EXPECT_EQ(Str(e, "type"), "Warning");
  EXPECT_EQ(Str(e["source"], "component"), "oci-lb-registrar-ccm");
  EXPECT_EQ(Str(e["source"], "host"), "host-1");
  EXPECT_EQ(Str(e, "reportingComponent"), "oci-lb-registrar-ccm");
  EXPECT_EQ(Str(e, "reportingInstance"), "ccm-0");
  EXPECT_EQ(Str(e, "firstTimestamp"), FormatTime(clock_.WallNow()));
  EXPECT_EQ(Str(e, "lastTimestamp"), FormatTime(clock_.WallNow()));
  EXPECT_EQ(e["count"].GetInt(), 1);
  EXPECT_EQ(recorder.stats().created, 1u);
}

TEST_F(EventRecorderTest, ClusterScopedObjectsGetEventsInDefault) {
  AsyncEventRecorder recorder(fake_, Options(), clock_);
  recorder.Record(Node(), EventType::kNormal, "Registered", "added to 2 backend sets");
  recorder.Record({.kind = "LBRegistrar", .name = "r1", .api_version = "nodes.peppy-ratio.dev/v1alpha1"},
                  EventType::kNormal, "Ready", "ok");
  ASSERT_TRUE(recorder.Flush());
  auto events = Events("default");
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : events) EXPECT_FALSE(e["involvedObject"].HasMember("namespace"));
}

TEST_F(EventRecorderTest, RepeatsWithinTheWindowIncrementCountOnOneEvent) {
  AsyncEventRecorder recorder(fake_, Options(), clock_);
  std::string first = FormatTime(clock_.WallNow());
  for (int i = 0; i < 3; ++i) {
    recorder.Record(Service(), EventType::kNormal, "BackendsUpdated", "3 backends");
    ASSERT_TRUE(recorder.Flush());
    clock_.Advance(minutes(4));
  }
  auto events = Events("web");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["count"].GetInt(), 3);
  EXPECT_EQ(Str(events[0], "firstTimestamp"), first);
  EXPECT_EQ(Str(events[0], "lastTimestamp"), FormatTime(clock_.WallNow() - minutes(4)));
  EXPECT_EQ(fake_.CountRequests("CREATE"), 1);
  EXPECT_EQ(fake_.CountRequests("PATCH"), 2);
  EXPECT_EQ(recorder.stats().patched, 2u);

  // A different message, type or object is a different event.
  recorder.Record(Service(), EventType::kNormal, "BackendsUpdated", "4 backends");
  recorder.Record(Service(), EventType::kWarning, "BackendsUpdated", "3 backends");
  ASSERT_TRUE(recorder.Flush());
  EXPECT_EQ(Events("web").size(), 3u);
}

TEST_F(EventRecorderTest, RepeatAfterTheWindowStartsANewEvent) {
  AsyncEventRecorder recorder(fake_, Options(), clock_);
  recorder.Record(Service(), EventType::kNormal, "BackendsUpdated", "3 backends");
  ASSERT_TRUE(recorder.Flush());
  clock_.Advance(minutes(10) + seconds(1));
  recorder.Record(Service(), EventType::kNormal, "BackendsUpdated", "3 backends");
  ASSERT_TRUE(recorder.Flush());
  auto events = Events("web");
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : events) EXPECT_EQ(e["count"].GetInt(), 1);
}

TEST_F(EventRecorderTest, DeletedEventIsRecreated) {
  AsyncEventRecorder recorder(fake_, Options(), clock_);
  recorder.Record(Service(), EventType::kNormal, "X", "m");
  ASSERT_TRUE(recorder.Flush());
  for (const auto& path : fake_.Paths("/api/v1/namespaces/web/events")) ASSERT_TRUE(fake_.Delete(path));
  recorder.Record(Service(), EventType::kNormal, "X", "m");
  ASSERT_TRUE(recorder.Flush());
  auto events = Events("web");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["count"].GetInt(), 1);
}

TEST_F(EventRecorderTest, SpamFilterAllowsABurstPerObjectThenOnePerFiveMinutes) {
  AsyncEventRecorder recorder(fake_, Options(), clock_);
  for (int i = 0; i < 30; ++i) {
    recorder.Record(Node("noisy"), EventType::kWarning, "R" + std::to_string(i), "m");
  }
  recorder.Record(Node("quiet"), EventType::kNormal, "R", "m");
  ASSERT_TRUE(recorder.Flush());
  EXPECT_EQ(recorder.stats().dropped_spam, 5u);
  EXPECT_EQ(recorder.stats().created, 26u);

  clock_.Advance(minutes(5));
  recorder.Record(Node("noisy"), EventType::kWarning, "Late1", "m");
  recorder.Record(Node("noisy"), EventType::kWarning, "Late2", "m");
  ASSERT_TRUE(recorder.Flush());
  EXPECT_EQ(recorder.stats().created, 27u);
  EXPECT_EQ(recorder.stats().dropped_spam, 6u);
}

TEST_F(EventRecorderTest, RecordNeverWaitsForTheApiAndDropsWhenTheQueueIsFull) {
  std::promise<void> unblock;
  std::shared_future<void> released = unblock.get_future().share();
  std::atomic<int> entered{0};
  fake_.SetReactor([&](const testing::FakeRequest&) -> std::optional<Error> {
    ++entered;
    released.wait();
    return std::nullopt;
  });
  auto options = Options();
  options.queue_capacity = 10;
  options.spam_burst = 100000;
  AsyncEventRecorder recorder(fake_, options, clock_);
  // The API is stuck until we release it; if Record() waited on it this would never return.
  auto recording = std::async(std::launch::async, [&] {
    for (int i = 0; i < 2000; ++i) recorder.Record(Node("n" + std::to_string(i)), EventType::kNormal, "R", "m");
  });
  ASSERT_EQ(recording.wait_for(seconds(10)), std::future_status::ready) << "Record() blocked on the API";
  while (entered.load() == 0) std::this_thread::yield();
  unblock.set_value();
  ASSERT_TRUE(recorder.Flush());
  auto stats = recorder.stats();
  EXPECT_EQ(stats.created + stats.dropped_queue_full, 2000u);
  EXPECT_GE(stats.dropped_queue_full, 2000u - 11u);
  EXPECT_LE(stats.created, 11u);
  EXPECT_EQ(fake_.Paths("/api/v1/namespaces/default/events").size(), stats.created);
}

TEST_F(EventRecorderTest, RetriesTransientFailures) {
  std::atomic<int> failures{1};
  fake_.SetReactor([&](const testing::FakeRequest& r) -> std::optional<Error> {
    if (r.method == "CREATE" && failures.fetch_sub(1) > 0) return MakeError(ErrorKind::kUnavailable, "503");
    return std::nullopt;
  });
  auto options = Options();
  options.retry_delay = seconds(2);
  AsyncEventRecorder recorder(fake_, options, clock_);
  recorder.Record(Service(), EventType::kNormal, "R", "m");
  while (clock_.waiters() == 0) std::this_thread::yield();  // parked in the retry wait
  EXPECT_EQ(fake_.CountRequests("CREATE"), 1);
  clock_.Advance(seconds(2));
  ASSERT_TRUE(recorder.Flush());
  EXPECT_EQ(fake_.CountRequests("CREATE"), 2);
  EXPECT_EQ(recorder.stats().created, 1u);
  EXPECT_EQ(Events("web").size(), 1u);
}

TEST_F(EventRecorderTest, PermanentFailuresAreCountedNotRetried) {
  fake_.SetReactor([&](const testing::FakeRequest&) -> std::optional<Error> {
    return MakeError(ErrorKind::kForbidden, "events is forbidden");
  });
  AsyncEventRecorder recorder(fake_, Options(), clock_);
  recorder.Record(Service(), EventType::kNormal, "R", "m");
  ASSERT_TRUE(recorder.Flush());
  EXPECT_EQ(recorder.stats().failed, 1u);
  EXPECT_EQ(fake_.CountRequests("CREATE"), 1);
}

TEST_F(EventRecorderTest, ShutdownWritesWhatIsQueuedThenDropsNewEvents) {
  AsyncEventRecorder recorder(fake_, Options(), clock_);
  for (int i = 0; i < 5; ++i) recorder.Record(Node("n" + std::to_string(i)), EventType::kNormal, "R", "m");
  recorder.Shutdown();
  EXPECT_EQ(recorder.stats().created, 5u);
  recorder.Record(Service(), EventType::kNormal, "R", "m");
  EXPECT_EQ(recorder.stats().dropped_queue_full, 1u);
  EXPECT_EQ(Events("web").size(), 0u);
}

// Found by the scale benchmark: with the API server gone, a shutdown wrote a full queue one
// failing request at a time, 33 s past the SIGTERM.
TEST_F(EventRecorderTest, ShutdownStopsWritingWhenTheDrainTimeRunsOut) {
  std::atomic<bool> gate{false};
  fake_.SetReactor([&](const testing::FakeRequest& r) -> std::optional<Error> {
    if (r.method != "CREATE") return std::nullopt;
    while (!gate.load()) std::this_thread::yield();
    clock_.Advance(std::chrono::milliseconds(500));  // each failing request takes half a second
    return MakeError(ErrorKind::kUnavailable, "connection refused");
  });
  auto options = Options();
  options.shutdown_drain = seconds(2);
  options.max_attempts = 1;
  options.queue_capacity = 1u << 20;  // only a shutdown refuses an event here
  AsyncEventRecorder recorder(fake_, options, clock_);
  for (int i = 0; i < 10; ++i) recorder.Record(Node("n" + std::to_string(i)), EventType::kNormal, "R", "m");
  std::thread stopper([&] { recorder.Shutdown(); });
  // A refused Record() proves the shutdown (and its deadline) began; earlier probes queue.
  uint64_t probes = 0;
  while (recorder.stats().dropped_queue_full == 0) {
    recorder.Record(Node("probe"), EventType::kNormal, "R", "m");
    ++probes;
    std::this_thread::yield();
  }
  gate = true;
  stopper.join();
  EventRecorderStats stats = recorder.stats();
  const uint64_t queued = 10 + probes - 1;
  EXPECT_EQ(stats.failed + stats.dropped_shutdown, queued);
  EXPECT_EQ(stats.failed, 4u) << "four half-second writes fit in the two-second drain";
  EXPECT_EQ(stats.dropped_shutdown, queued - 4);
}

}  // namespace
}  // namespace ccm::kube
