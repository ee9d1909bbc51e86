#include "pkg/kube/informer/informer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "pkg/kube/informer/projections.h"
#include "test/mocks/simulated_clock.h"
#include "test/pkg/kube/informer/scripted_rest_client.h"

namespace ccm::kube {
namespace {

using testing::Events;
using testing::ScriptedRestClient;

std::string NodeJson(const std::string& name, const std::string& rv, const std::string& ready = "True",
                     const std::string& heartbeat = "2024-01-01T00:00:00Z") {
  return R"({"metadata":{"name":")" + name + R"(","uid":"uid-)" + name + R"(","resourceVersion":")" + rv +
         R"(","labels":{"zone":"a"}},"spec":{"providerID":"oci://)" + name +
         R"("},"status":{"conditions":[{"type":"Ready","status":")" + ready +
         R"(","lastHeartbeatTime":")" + heartbeat + R"("}]}})";
}

std::string Page(const std::string& rv, const std::vector<std::string>& items, const std::string& cont = "") {
  std::string s = R"({"metadata":{"resourceVersion":")" + rv + R"(","continue":")" + cont + R"("},"items":[)";
  for (size_t i = 0; i < items.size(); ++i) s += (i ? "," : "") + items[i];
  return s + "]}";
}

std::string Event(const std::string& type, const std::string& object) {
  return R"({"type":")" + type + R"(","object":)" + object + "}";
}

struct Recorder {
  std::mutex mu;
  std::vector<std::string> log;
  EventHandlers<Node> Handlers() {
    return {.on_add = [this](const Node& n) { Add("add " + n.name); },
            .on_update = [this](const Node& o, const Node& n) {
              Add("update " + n.name + " " + std::string(o.ConditionStatus("Ready")) + "->" +
                  std::string(n.ConditionStatus("Ready")));
            },
            .on_delete = [this](const Node& n) { Add("delete " + n.name); }};
  }
  void Add(std::string s) {
    std::lock_guard lock(mu);
    log.push_back(std::move(s));
  }
  std::vector<std::string> Snapshot() {
    std::lock_guard lock(mu);
    return log;
  }
};

template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return pred();
}

ReflectorOptions Options() {
  return ReflectorOptions{.name = "nodes", .path = "/api/v1/nodes", .page_size = 2, .seed = 42};
}

TEST(InformerTest, ListsPagesThenWatchesFromListResourceVersionWithBookmarks) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  client.PushList(std::vector<std::string>{Page("10", {NodeJson("a", "5"), NodeJson("b", "6")}, "c1"),
                                           Page("10", {NodeJson("c", "7")})});
  client.PushWatch(Events({Event("ADDED", NodeJson("d", "11")),
                           Event("BOOKMARK", R"({"metadata":{"resourceVersion":"15"}})")}));
  Informer<Node> informer(client, Options(), ProjectNode, clock);
  Recorder rec;
  informer.AddHandlers(rec.Handlers());
  EXPECT_FALSE(informer.HasSynced());
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return client.blocked_in_watch(); }));
  EXPECT_TRUE(informer.HasSynced());
  EXPECT_EQ(rec.Snapshot(), (std::vector<std::string>{"add a", "add b", "add c", "add d"}));
  auto calls = client.watch_calls();
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls[0].resource_version, "10");
  EXPECT_TRUE(calls[0].allow_bookmarks);
  EXPECT_GE(calls[0].timeout_seconds, 300);
  EXPECT_LT(calls[0].timeout_seconds, 600);
  // The stream ended: the next watch resumes from the bookmark's resourceVersion, no relist.
  EXPECT_EQ(calls[1].resource_version, "15");
  EXPECT_EQ(client.list_calls(), 1);
  informer.Stop();
}

TEST(InformerTest, UnchangedProjectionIsNotDeliveredAsUpdate) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  client.PushList(std::vector<std::string>{Page("10", {NodeJson("a", "5")})});
  client.PushWatch(Events({Event("MODIFIED", NodeJson("a", "11", "True", "2024-01-01T00:00:40Z")),
                           Event("MODIFIED", NodeJson("a", "12", "False", "2024-01-01T00:00:50Z"))}));
  Informer<Node> informer(client, Options(), ProjectNode, clock);
  Recorder rec;
  informer.AddHandlers(rec.Handlers());
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return client.blocked_in_watch(); }));
  EXPECT_EQ(rec.Snapshot(), (std::vector<std::string>{"add a", "update a True->False"}));
  // The store still holds the newest resourceVersion.
  EXPECT_EQ(informer.store().Get("a")->resource_version, "12");
  informer.Stop();
}

TEST(InformerTest, GoneRelistsAndDeliversDeletesAndUpdatesForWhatChanged) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  client.PushList(std::vector<std::string>{Page("10", {NodeJson("a", "5"), NodeJson("b", "6"), NodeJson("c", "7")})});
  client.PushWatch(Events({Event("DELETED", NodeJson("c", "11"))}, Fail(ErrorKind::kGone, "too old resource version")));
  // While disconnected: b vanished, a changed, d appeared.
  client.PushList(std::vector<std::string>{Page("30", {NodeJson("a", "25", "False"), NodeJson("d", "26")})});
  Informer<Node> informer(client, Options(), ProjectNode, clock);
  Recorder rec;
  informer.AddHandlers(rec.Handlers());
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return client.blocked_in_watch(); }));
  EXPECT_EQ(rec.Snapshot(), (std::vector<std::string>{"add a", "add b", "add c", "delete c", "update a True->False",
                                                      "add d", "delete b"}));
  EXPECT_EQ(client.list_calls(), 2);
  auto keys = informer.store().Keys();
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(client.watch_calls().back().resource_version, "30");
  informer.Stop();
}

TEST(InformerTest, FailuresBackOffExponentiallyWithJitterThroughTheClock) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  client.PushList(Fail(ErrorKind::kUnavailable, "connection refused"));
  client.PushList(Fail(ErrorKind::kUnavailable, "connection refused"));
  client.PushList(std::vector<std::string>{Page("10", {NodeJson("a", "5")})});
  Informer<Node> informer(client, Options(), ProjectNode, clock);
  informer.Start();
  // First failure: waits 0.8-1.2 s.
  ASSERT_TRUE(Eventually([&] { return clock.waiters() > 0; }));
  EXPECT_EQ(client.list_calls(), 1);
  clock.Advance(std::chrono::milliseconds(790));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(client.list_calls(), 1);  // not before the initial 0.8 s
  clock.Advance(std::chrono::milliseconds(420));
  ASSERT_TRUE(Eventually([&] { return client.list_calls() == 2 && clock.waiters() > 0; }));
  // Second failure: the delay doubled (1.6-2.4 s).
  clock.Advance(std::chrono::milliseconds(1590));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(client.list_calls(), 2);
  clock.Advance(std::chrono::milliseconds(820));
  ASSERT_TRUE(Eventually([&] { return informer.HasSynced(); }));
  EXPECT_EQ(client.list_calls(), 3);
  EXPECT_EQ(informer.reflector().failures(), 2);
  informer.Stop();
}

TEST(InformerTest, TransportFailureOfWatchRewatchesFromLastResourceVersionAfterBackoff) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  client.PushList(std::vector<std::string>{Page("10", {NodeJson("a", "5")})});
  client.PushWatch(Events({Event("MODIFIED", NodeJson("a", "12", "False"))},
                          Fail(ErrorKind::kUnavailable, "connection reset")));
  Informer<Node> informer(client, Options(), ProjectNode, clock);
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return clock.waiters() > 0; }));
  clock.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(Eventually([&] { return client.blocked_in_watch(); }));
  EXPECT_EQ(client.list_calls(), 1);  // a broken connection is not a reason to relist
  EXPECT_EQ(client.watch_calls().back().resource_version, "12");
  informer.Stop();
}

TEST(InformerTest, StopCancelsABlockedWatchPromptly) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  client.PushList(std::vector<std::string>{Page("10", {})});
  Informer<Node> informer(client, Options(), ProjectNode, clock);
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(std::chrono::hours(1)));
  ASSERT_TRUE(Eventually([&] { return client.blocked_in_watch(); }));
  auto start = std::chrono::steady_clock::now();
  informer.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(InformerTest, StopInterruptsABackoffWait) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  client.PushList(Fail(ErrorKind::kUnavailable, "down"));
  Informer<Node> informer(client, Options(), ProjectNode, clock);
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return clock.waiters() > 0; }));
  auto start = std::chrono::steady_clock::now();
  informer.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_FALSE(informer.HasSynced());
}

TEST(InformerTest, IndexesFollowUpdatesAndDeletes) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  client.PushList(std::vector<std::string>{Page("10", {NodeJson("a", "5"), NodeJson("b", "6")})});
  std::string moved = NodeJson("a", "11");
  size_t p = moved.find("oci://a");
  moved.replace(p, 7, "oci://z");
  client.PushWatch(Events({Event("MODIFIED", moved), Event("DELETED", NodeJson("b", "12"))}));
  Informer<Node> informer(client, Options(), ProjectNode, clock);
  informer.store().AddIndex("providerID", [](const Node& n) { return std::vector<std::string>{n.provider_id}; });
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return client.blocked_in_watch(); }));
  EXPECT_TRUE(informer.store().ByIndex("providerID", "oci://a").empty());
  EXPECT_TRUE(informer.store().ByIndex("providerID", "oci://b").empty());
  auto z = informer.store().ByIndex("providerID", "oci://z");
  ASSERT_EQ(z.size(), 1u);
  EXPECT_EQ(z[0]->name, "a");
  informer.Stop();
}

TEST(InformerTest, WatchTimeoutsAreRandomizedBetweenMinAndTwiceMin) {
  ccm::testing::SimulatedClock clock;
  ScriptedRestClient client;
  struct NullSink : ReflectorSink {
    void BeginList() override {}
    void ListItems(const json::Value&) override {}
    void EndList(bool) override {}
    void Apply(std::string_view, const json::Value&) override {}
  } sink;
  Reflector reflector(client, Options(), sink, clock);
  std::set<int> seen;
  for (int i = 0; i < 200; ++i) {
    int t = reflector.NextWatchTimeoutSeconds();
    EXPECT_GE(t, 300);
    EXPECT_LT(t, 600);
    seen.insert(t);
  }
  EXPECT_GT(seen.size(), 50u);
}

}  // namespace
}  // namespace ccm::kube
