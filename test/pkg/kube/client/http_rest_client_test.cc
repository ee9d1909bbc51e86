#include "pkg/kube/client/http_rest_client.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "test/mocks/simulated_clock.h"
#include "test/pkg/kube/client/fake_http_transport.h"

namespace ccm::kube {
namespace {

using testing::FakeHttpTransport;
using testing::HeaderOf;

RestConfig Config(double qps = 0) {
  RestConfig c;
  c.host = "https://api.example:6443";
  c.token_source = std::make_shared<StaticTokenSource>("tok-1");
  c.qps = qps;
  c.burst = 2;
  return c;
}

TEST(HttpRestClientTest, GetSendsTokenAndAcceptAndReturnsBody) {
  FakeHttpTransport t;
  t.Push({.status = 200, .body = R"({"metadata":{"name":"n1"}})"});
  HttpRestClient client(Config(), t, Clock::Real());
  auto body = client.Get("/api/v1/nodes/n1");
  ASSERT_TRUE(body) << body.error().ToString();
  EXPECT_EQ(*body, R"({"metadata":{"name":"n1"}})");
  auto reqs = t.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].url, "https://api.example:6443/api/v1/nodes/n1");
  EXPECT_EQ(HeaderOf(reqs[0], "Authorization"), "Bearer tok-1");
  EXPECT_EQ(HeaderOf(reqs[0], "Accept"), "application/json");
}

TEST(HttpRestClientTest, ErrorsAreTypedAndNameTheRequest) {
  FakeHttpTransport t;
  t.Push({.status = 404, .body = R"({"kind":"Status","reason":"NotFound","message":"nodes \"x\" not found","code":404})"});
  HttpRestClient client(Config(), t, Clock::Real());
  auto body = client.Get("/api/v1/nodes/x");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(body.error().message.find("GET /api/v1/nodes/x"), std::string::npos);
  EXPECT_EQ(body.error().message.find("tok-1"), std::string::npos);
}

TEST(HttpRestClientTest, ListFollowsContinueAndReturnsLastResourceVersion) {
  FakeHttpTransport t;
  t.Push({.body = R"({"metadata":{"resourceVersion":"10","continue":"c1"},"items":[{"n":1},{"n":2}]})"});
  t.Push({.body = R"({"metadata":{"resourceVersion":"10","continue":"c 2"},"items":[{"n":3}]})"});
  t.Push({.body = R"({"metadata":{"resourceVersion":"11"},"items":[]})"});
  HttpRestClient client(Config(), t, Clock::Real());
  int items = 0, pages = 0;
  auto rv = client.List("/api/v1/nodes", {.label_selector = "a=b,c!=d", .limit = 2},
                        [&](const json::Document& page) -> Status {
                          ++pages;
                          items += static_cast<int>(page["items"].Size());
                          return {};
                        });
  ASSERT_TRUE(rv) << rv.error().ToString();
  EXPECT_EQ(*rv, "11");
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(items, 3);
  auto reqs = t.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].url, "https://api.example:6443/api/v1/nodes?labelSelector=a%3Db%2Cc%21%3Dd&limit=2");
  EXPECT_EQ(reqs[1].url, "https://api.example:6443/api/v1/nodes?labelSelector=a%3Db%2Cc%21%3Dd&limit=2&continue=c1");
  EXPECT_EQ(reqs[2].url, "https://api.example:6443/api/v1/nodes?labelSelector=a%3Db%2Cc%21%3Dd&limit=2&continue=c%202");
}

TEST(HttpRestClientTest, ListStopsOnPageCallbackError) {
  FakeHttpTransport t;
  t.Push({.body = R"({"metadata":{"resourceVersion":"10","continue":"c1"},"items":[]})"});
  HttpRestClient client(Config(), t, Clock::Real());
  auto rv = client.List("/api/v1/nodes", {}, [](const json::Document&) -> Status {
    return Fail(ErrorKind::kInternal, "stop here");
  });
  ASSERT_FALSE(rv);
  EXPECT_EQ(rv.error().message, "stop here");
  EXPECT_EQ(t.requests().size(), 1u);
}

TEST(HttpRestClientTest, WritesUseTheRightMethodsPathsAndContentTypes) {
  FakeHttpTransport t;
  for (int i = 0; i < 6; ++i) t.Push({.status = i == 0 ? 201 : 200, .body = "{}"});
  HttpRestClient client(Config(), t, Clock::Real());
  ASSERT_TRUE(client.Create("/api/v1/namespaces/d/services", "{\"a\":1}"));
  ASSERT_TRUE(client.Update("/api/v1/namespaces/d/services/s", "{}"));
  ASSERT_TRUE(client.UpdateStatus("/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/r", "{}"));
  ASSERT_TRUE(client.Patch("/api/v1/nodes/n", PatchType::kMerge, "{}"));
  ASSERT_TRUE(client.Patch("/api/v1/nodes/n", PatchType::kJson, "[]", true));
  ASSERT_TRUE(client.Patch("/api/v1/nodes/n", PatchType::kStrategicMerge, "{}"));
  auto r = t.requests();
  EXPECT_EQ(r[0].method, "POST");
  EXPECT_EQ(r[0].body, "{\"a\":1}");
  EXPECT_EQ(HeaderOf(r[0], "Content-Type"), "application/json");
  EXPECT_EQ(r[1].method, "PUT");
  EXPECT_EQ(r[2].url, "https://api.example:6443/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/r/status");
  EXPECT_EQ(HeaderOf(r[3], "Content-Type"), "application/merge-patch+json");
  EXPECT_EQ(r[4].url, "https://api.example:6443/api/v1/nodes/n/status");
  EXPECT_EQ(HeaderOf(r[4], "Content-Type"), "application/json-patch+json");
  EXPECT_EQ(HeaderOf(r[5], "Content-Type"), "application/strategic-merge-patch+json");
}

TEST(HttpRestClientTest, DeleteSendsPreconditions) {
  FakeHttpTransport t;
  t.Push({.status = 200, .body = "{}"});
  t.Push({.status = 409, .body = R"({"kind":"Status","reason":"Conflict","code":409,"message":"precondition failed"})"});
  HttpRestClient client(Config(), t, Clock::Real());
  ASSERT_TRUE(client.Delete("/api/v1/nodes/n"));
  auto st = client.Delete("/api/v1/nodes/n", {.uid = "u-1", .resource_version = "42"});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kConflict);
  auto r = t.requests();
  EXPECT_EQ(r[0].method, "DELETE");
  EXPECT_EQ(r[0].body, "");
  auto doc = json::Parse(r[1].body, "delete options");
  ASSERT_TRUE(doc);
  EXPECT_EQ(std::string((*doc)["preconditions"]["uid"].GetString()), "u-1");
  EXPECT_EQ(std::string((*doc)["preconditions"]["resourceVersion"].GetString()), "42");
}

TEST(HttpRestClientTest, WatchBuildsQueryAndDecodesChunkedEvents) {
  FakeHttpTransport t;
  t.Push({.status = 200,
          .chunks = {"{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceV",
                     "ersion\":\"5\"}}}\n{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}\n"}});
  HttpRestClient client(Config(), t, Clock::Real());
  std::vector<std::string> seen;
  auto st = client.Watch("/api/v1/nodes", {.resource_version = "4", .timeout_seconds = 420},
                         [&](const WatchEvent& e) {
                           seen.push_back(std::string(e.type) + ":" +
                                          e.object["metadata"]["resourceVersion"].GetString());
                           return true;
                         });
  ASSERT_TRUE(st) << st.error().ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED:5", "BOOKMARK:9"}));
  auto r = t.requests();
  EXPECT_EQ(r[0].url,
            "https://api.example:6443/api/v1/nodes?watch=true&resourceVersion=4&allowWatchBookmarks=true"
            "&timeoutSeconds=420");
  EXPECT_EQ(HeaderOf(r[0], "Authorization"), "Bearer tok-1");
}

TEST(HttpRestClientTest, WatchHttp410IsGone) {
  FakeHttpTransport t;
  t.Push({.status = 410, .body = R"({"kind":"Status","reason":"Expired","code":410,"message":"too old"})"});
  HttpRestClient client(Config(), t, Clock::Real());
  auto st = client.Watch("/api/v1/nodes", {.resource_version = "1"}, [](const WatchEvent&) { return true; });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kGone);
}

TEST(HttpRestClientTest, WatchErrorEvent410IsGone) {
  FakeHttpTransport t;
  t.Push({.status = 200,
          .body = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"reason\":\"Expired\",\"code\":410}}\n"});
  HttpRestClient client(Config(), t, Clock::Real());
  auto st = client.Watch("/api/v1/nodes", {.resource_version = "1"}, [](const WatchEvent&) { return true; });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kGone);
}

TEST(HttpRestClientTest, QpsLimitDelaysRequestsBeyondTheBurst) {
  ccm::testing::SimulatedClock clock;
  FakeHttpTransport t;
  for (int i = 0; i < 3; ++i) t.Push({.body = "{}"});
  HttpRestClient client(Config(/*qps=*/1), t, clock);  // burst 2
  ASSERT_TRUE(client.Get("/a"));
  ASSERT_TRUE(client.Get("/b"));
  std::atomic<bool> third_done{false};
  std::thread third([&] {
    EXPECT_TRUE(client.Get("/c"));
    third_done = true;
  });
  while (clock.waiters() == 0) std::this_thread::yield();
  EXPECT_FALSE(third_done.load());
  EXPECT_EQ(t.requests().size(), 2u);
  clock.Advance(std::chrono::seconds(1));
  third.join();
  EXPECT_EQ(t.requests().size(), 3u);
}

TEST(HttpRestClientTest, TheYieldingClientSharesTheBudgetAndLetsWaitingRequestsGoFirst) {
  ccm::testing::SimulatedClock clock;
  FakeHttpTransport t;
  for (int i = 0; i < 3; ++i) t.Push({.body = "{}"});
  RestConfig config = Config(/*qps=*/1);
  config.burst = 1;
  HttpRestClient client(config, t, clock);
  auto yielding = client.Yielding();
  ASSERT_TRUE(client.Get("/a"));  // the one token
  std::atomic<bool> y_done{false};
  std::thread y([&] {
    EXPECT_TRUE(yielding->Create("/y", "{}"));
    y_done = true;
  });
  while (clock.waiters() == 0) std::this_thread::yield();
  std::thread m([&] { EXPECT_TRUE(client.Get("/m")); });  // arrives later, queues for the next token
  while (clock.waiters() < 2) std::this_thread::yield();
  clock.Advance(std::chrono::seconds(1));
  m.join();
  ASSERT_EQ(t.requests().size(), 2u);
  EXPECT_EQ(t.requests()[1].url, "https://api.example:6443/m");
  EXPECT_FALSE(y_done.load()) << "the yielding request took the token a waiting request had reserved";
  while (!y_done.load()) {
    clock.Advance(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  y.join();
  ASSERT_EQ(t.requests().size(), 3u);
  EXPECT_EQ(t.requests()[2].url, "https://api.example:6443/y");
}

TEST(HttpRestClientTest, WatchIsNotRateLimited) {
  ccm::testing::SimulatedClock clock;
  FakeHttpTransport t;
  for (int i = 0; i < 5; ++i) t.Push({.status = 200, .body = ""});
  HttpRestClient client(Config(/*qps=*/1), t, clock);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client.Watch("/api/v1/nodes", {}, [](const WatchEvent&) { return true; }));
  }
  EXPECT_EQ(t.requests().size(), 5u);
}

class RecordingObserver final : public RequestObserver {
 public:
  void OnKubeRequest(std::string_view verb, int code) override { seen.push_back(std::string(verb) + ":" + std::to_string(code)); }
  void OnKubeRateLimiterWait(std::string_view verb, std::chrono::nanoseconds waited) override {
    std::lock_guard lock(mu);
    waits.emplace_back(std::string(verb), waited);
  }
  std::vector<std::string> seen;
  std::mutex mu;
  std::vector<std::pair<std::string, std::chrono::nanoseconds>> waits;
};

TEST(HttpRestClientTest, ObserverSeesHowLongEachRequestWaitedForTheQpsLimit) {
  ccm::testing::SimulatedClock clock;
  FakeHttpTransport t;
  for (int i = 0; i < 3; ++i) t.Push({.body = "{}"});
  RecordingObserver observer;
  RestConfig config = Config(/*qps=*/2);
  config.burst = 2;
  config.observer = &observer;
  HttpRestClient client(config, t, clock);
  ASSERT_TRUE(client.Get("/a"));
  ASSERT_TRUE(client.Get("/b"));
  std::thread third([&] { EXPECT_TRUE(client.Create("/c", "{}")); });
  while (clock.waiters() == 0) std::this_thread::yield();
  clock.Advance(std::chrono::milliseconds(500));
  third.join();
  std::lock_guard lock(observer.mu);
  ASSERT_EQ(observer.waits.size(), 3u);
  EXPECT_EQ(observer.waits[0], std::make_pair(std::string("get"), std::chrono::nanoseconds::zero()));
  EXPECT_EQ(observer.waits[1], std::make_pair(std::string("get"), std::chrono::nanoseconds::zero()));
  EXPECT_EQ(observer.waits[2].first, "create");
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(observer.waits[2].second).count(), 500);
}

TEST(HttpRestClientTest, ObserverSeesEveryRequestWithItsVerbAndCode) {
  FakeHttpTransport t;
  t.Push({.status = 200, .body = "{}"});
  t.Push({.body = R"({"metadata":{"resourceVersion":"3"},"items":[]})"});
  t.Push({.status = 201, .body = "{}"});
  t.Push({.status = 409, .body = R"({"kind":"Status","reason":"Conflict","code":409})"});
  t.Push({.status = 200, .body = "{}"});
  t.Push({.status = 200, .body = "{}"});
  t.Push({.status = 410, .body = R"({"kind":"Status","reason":"Expired","code":410})"});
  RecordingObserver observer;
  RestConfig config = Config();
  config.observer = &observer;
  HttpRestClient client(config, t, Clock::Real());
  ASSERT_TRUE(client.Get("/api/v1/nodes/n"));
  ASSERT_TRUE(client.List("/api/v1/nodes", {}, [](const json::Document&) -> Status { return {}; }));
  ASSERT_TRUE(client.Create("/api/v1/namespaces/d/configmaps", "{}"));
  ASSERT_FALSE(client.Update("/api/v1/namespaces/d/configmaps/c", "{}"));
  ASSERT_TRUE(client.Patch("/api/v1/nodes/n", PatchType::kMerge, "{}"));
  ASSERT_TRUE(client.Delete("/api/v1/nodes/n"));
  ASSERT_FALSE(client.Watch("/api/v1/nodes", {.resource_version = "1"}, [](const WatchEvent&) { return true; }));
  EXPECT_EQ(observer.seen, (std::vector<std::string>{"get:200", "list:200", "create:201", "update:409", "patch:200",
                                                     "delete:200", "watch:410"}));
}

TEST(HttpRestClientTest, QueryEscapeEncodesReservedCharacters) {
  EXPECT_EQ(QueryEscape("a=b,c in (x y)/~"), "a%3Db%2Cc%20in%20%28x%20y%29%2F~");
}

}  // namespace
}  // namespace ccm::kube
