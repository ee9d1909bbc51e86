// The fake's Kubernetes semantics are what other unit tests rely on: prove them.
#include "test/mocks/fake_rest_client.h"

#include <gtest/gtest.h>

#include <thread>

#include "test/mocks/simulated_clock.h"

namespace ccm::testing {
namespace {

const char* kLeases = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
const char* kLease = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/l";

std::string Rv(const std::string& text) {
  auto doc = json::Parse(text, "object");
  return json::String((*doc)["metadata"], "resourceVersion", "metadata").value();
}

class FakeRestClientTest : public ::testing::Test {
 protected:
  SimulatedClock clock_;
  FakeRestClient fake_{clock_};
};

TEST_F(FakeRestClientTest, CreateGetAndAlreadyExists) {
  EXPECT_EQ(fake_.Get(kLease).error().kind, ErrorKind::kNotFound);
  auto created = fake_.Create(kLeases, R"({"metadata":{"name":"l"},"spec":{"holderIdentity":"a"}})");
  ASSERT_TRUE(created) << created.error().ToString();
  auto got = fake_.Get(kLease);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, *created);
  auto doc = json::Parse(*got, "lease");
  EXPECT_EQ(json::String((*doc)["metadata"], "namespace", "").value(), "kube-system");
  EXPECT_FALSE(json::String((*doc)["metadata"], "uid", "").value().empty());
  auto again = fake_.Create(kLeases, R"({"metadata":{"name":"l"}})");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(again.error().code, "AlreadyExists");
  EXPECT_EQ(again.error().http_status, 409);
}

TEST_F(FakeRestClientTest, UpdateWithStaleResourceVersionConflicts) {
  auto created = fake_.Create(kLeases, R"({"metadata":{"name":"l"},"spec":{"holderIdentity":"a"}})");
  std::string rv1 = Rv(*created);
  auto updated = fake_.Update(kLease, R"({"metadata":{"name":"l","resourceVersion":")" + rv1 +
                                          R"("},"spec":{"holderIdentity":"b"}})");
  ASSERT_TRUE(updated) << updated.error().ToString();
  EXPECT_NE(Rv(*updated), rv1);
  auto stale = fake_.Update(kLease, R"({"metadata":{"name":"l","resourceVersion":")" + rv1 +
                                        R"("},"spec":{"holderIdentity":"c"}})");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
  EXPECT_NE(fake_.Object(kLease)->find("\"b\""), std::string::npos);
  EXPECT_EQ(fake_.Update(kLeases + std::string("/missing"), "{}").error().kind, ErrorKind::kNotFound);
}

TEST_F(FakeRestClientTest, UpdateKeepsStatusAndUpdateStatusKeepsSpec) {
  ASSERT_TRUE(fake_.Seed("/api/v1/nodes/n1", R"({"spec":{"a":1},"status":{"s":1}})"));
  ASSERT_TRUE(fake_.Update("/api/v1/nodes/n1", R"({"metadata":{"name":"n1"},"spec":{"a":2},"status":{"s":2}})"));
  auto doc = json::Parse(*fake_.Object("/api/v1/nodes/n1"), "node");
  EXPECT_EQ((*doc)["spec"]["a"].GetInt(), 2);
  EXPECT_EQ((*doc)["status"]["s"].GetInt(), 1);
  EXPECT_EQ((*doc)["metadata"]["generation"].GetInt(), 2);
  ASSERT_TRUE(fake_.UpdateStatus("/api/v1/nodes/n1", R"({"metadata":{"name":"n1"},"spec":{"a":3},"status":{"s":3}})"));
  doc = json::Parse(*fake_.Object("/api/v1/nodes/n1"), "node");
  EXPECT_EQ((*doc)["spec"]["a"].GetInt(), 2);
  EXPECT_EQ((*doc)["status"]["s"].GetInt(), 3);
}

TEST_F(FakeRestClientTest, MergeAndJsonPatch) {
  ASSERT_TRUE(fake_.Seed("/api/v1/namespaces/d/events/e", R"({"count":1,"message":"m","keep":true})"));
  auto patched = fake_.Patch("/api/v1/namespaces/d/events/e", kube::PatchType::kStrategicMerge,
                             R"({"count":2,"message":null})");
  ASSERT_TRUE(patched) << patched.error().ToString();
  auto doc = json::Parse(*patched, "event");
  EXPECT_EQ((*doc)["count"].GetInt(), 2);
  EXPECT_FALSE(doc->HasMember("message"));
  EXPECT_TRUE((*doc)["keep"].GetBool());
  ASSERT_TRUE(fake_.Patch("/api/v1/namespaces/d/events/e", kube::PatchType::kJson,
                          R"([{"op":"test","path":"/count","value":2},{"op":"replace","path":"/count","value":5}])"));
  doc = json::Parse(*fake_.Object("/api/v1/namespaces/d/events/e"), "event");
  EXPECT_EQ((*doc)["count"].GetInt(), 5);
  auto stale = fake_.Patch("/api/v1/namespaces/d/events/e", kube::PatchType::kMerge,
                           R"({"metadata":{"resourceVersion":"1"},"count":9})");
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
}

TEST_F(FakeRestClientTest, DeleteHonoursPreconditionsAndFinalizers) {
  ASSERT_TRUE(fake_.Seed("/api/v1/nodes/plain", "{}"));
  EXPECT_EQ(fake_.Delete("/api/v1/nodes/plain", {.resource_version = "1"}).error().kind, ErrorKind::kConflict);
  EXPECT_TRUE(fake_.Delete("/api/v1/nodes/plain"));
  EXPECT_FALSE(fake_.Object("/api/v1/nodes/plain"));

  ASSERT_TRUE(fake_.Seed("/api/v1/nodes/held", R"({"metadata":{"finalizers":["x/y"]}})"));
  EXPECT_TRUE(fake_.Delete("/api/v1/nodes/held"));
  auto held = fake_.Object("/api/v1/nodes/held");
  ASSERT_TRUE(held);
  EXPECT_NE(held->find("deletionTimestamp"), std::string::npos);
  ASSERT_TRUE(fake_.Patch("/api/v1/nodes/held", kube::PatchType::kMerge, R"({"metadata":{"finalizers":null}})"));
  EXPECT_FALSE(fake_.Object("/api/v1/nodes/held"));
}

TEST_F(FakeRestClientTest, ListFiltersAndPages) {
  ASSERT_TRUE(fake_.Seed("/api/v1/namespaces/a/services/s1", R"({"metadata":{"labels":{"app":"x"}},"spec":{"type":"LoadBalancer"}})"));
  ASSERT_TRUE(fake_.Seed("/api/v1/namespaces/b/services/s2", R"({"metadata":{"labels":{"app":"y"}},"spec":{"type":"ClusterIP"}})"));
  ASSERT_TRUE(fake_.Seed("/api/v1/namespaces/b/services/s3", R"({"metadata":{"labels":{"app":"x","tier":"t"}}})"));
  ASSERT_TRUE(fake_.Seed("/api/v1/namespaces/b/endpoints/s3", "{}"));
  auto names = [&](const std::string& path, kube::ListOptions options, int* pages = nullptr) {
    std::vector<std::string> out;
    auto rv = fake_.List(path, options, [&](const json::Document& page) -> Status {
      if (pages) ++*pages;
      for (auto& item : page["items"].GetArray()) out.push_back(item["metadata"]["name"].GetString());
      return {};
    });
    EXPECT_TRUE(rv);
    return out;
  };
  EXPECT_EQ(names("/api/v1/services", {}), (std::vector<std::string>{"s1", "s2", "s3"}));
  EXPECT_EQ(names("/api/v1/namespaces/b/services", {}), (std::vector<std::string>{"s2", "s3"}));
  EXPECT_EQ(names("/api/v1/services", {.label_selector = "app=x,!tier"}), (std::vector<std::string>{"s1"}));
  EXPECT_EQ(names("/api/v1/services", {.label_selector = "app in (x, y),tier"}), (std::vector<std::string>{"s3"}));
  EXPECT_EQ(names("/api/v1/services", {.field_selector = "spec.type!=ClusterIP"}), (std::vector<std::string>{"s1", "s3"}));
  int pages = 0;
  EXPECT_EQ(names("/api/v1/services", {.limit = 2}, &pages).size(), 3u);
  EXPECT_EQ(pages, 2);
}

TEST_F(FakeRestClientTest, WatchStreamsChangesAndAnswersGoneAfterCompaction) {
  ASSERT_TRUE(fake_.Seed("/api/v1/nodes/n1", "{}"));
  std::string rv = fake_.resource_version();
  std::vector<std::string> seen;
  std::thread watcher([&] {
    auto s = fake_.Watch("/api/v1/nodes", {.resource_version = rv}, [&](const kube::WatchEvent& e) {
      seen.push_back(std::string(e.type) + " " + e.object["metadata"]["name"].GetString());
      return seen.size() < 2;
    });
    EXPECT_TRUE(s);
  });
  ASSERT_TRUE(fake_.Seed("/api/v1/nodes/n2", "{}"));
  ASSERT_TRUE(fake_.Delete("/api/v1/nodes/n1"));
  watcher.join();
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED n2", "DELETED n1"}));

  fake_.CompactHistory();
  auto gone = fake_.Watch("/api/v1/nodes", {.resource_version = rv}, [](const kube::WatchEvent&) { return false; });
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::kGone);
}

TEST_F(FakeRestClientTest, ReactorInjectsFaultsAndRequestsAreRecorded) {
  fake_.SetReactor([](const FakeRequest& r) -> std::optional<Error> {
    if (r.method == "GET") return MakeError(ErrorKind::kUnavailable, "down");
    return std::nullopt;
  });
  EXPECT_EQ(fake_.Get(kLease).error().kind, ErrorKind::kUnavailable);
  EXPECT_TRUE(fake_.Create(kLeases, R"({"metadata":{"name":"l"}})"));
  EXPECT_EQ(fake_.CountRequests("GET"), 1);
  EXPECT_EQ(fake_.CountRequests("CREATE", kLeases), 1);
}

}  // namespace
}  // namespace ccm::testing
