// HttpRestClient against a real kube-apiserver: CRUD, pagination, patches, preconditions,
// optimistic concurrency, validation errors, secrets and connection reuse.
#include "pkg/kube/client/http_rest_client.h"

#include <gtest/gtest.h>

#include "pkg/base/base64.h"
#include "pkg/base/curl_transport.h"
#include "pkg/kube/client/secrets.h"
#include "test/envtest/shared_control_plane.h"
#include "test/integration/kube/kube_test_util.h"

namespace ccm::kube {
namespace {

using testing::AdminConfig;
using testing::ConfigMap;
using testing::CreateNamespace;

class RestClientIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plane_ = &envtest::SharedControlPlane();
    config_ = AdminConfig(*plane_);
    ASSERT_FALSE(config_.host.empty()) << "kubeconfig of the control plane did not load";
    config_.qps = 0;  // tests measure the server, not the limiter
    transport_ = std::make_unique<CurlTransport>(CurlTransportOptions{.tls = config_.tls});
    client_ = std::make_unique<HttpRestClient>(config_, *transport_, Clock::Real());
  }

  std::string Namespace(const std::string& base) {
    std::string ns = base + "-" + std::to_string(counter_++) + "-" + std::to_string(getpid());
    auto st = CreateNamespace(*client_, ns);
    EXPECT_TRUE(st) << st.error().ToString();
    return ns;
  }

  static std::string FieldOf(const std::string& body, const char* a, const char* b) {
    auto doc = json::Parse(body, "object");
    if (!doc || !doc->HasMember(a) || !(*doc)[a].HasMember(b)) return "";
    const auto& v = (*doc)[a][b];
    return v.IsString() ? v.GetString() : json::Serialize(v);
  }

  envtest::ControlPlane* plane_ = nullptr;
  RestConfig config_;
  std::unique_ptr<CurlTransport> transport_;
  std::unique_ptr<HttpRestClient> client_;
  static inline int counter_ = 0;
};

TEST_F(RestClientIntegrationTest, CreateGetUpdateDelete) {
  std::string ns = Namespace("crud");
  std::string base = "/api/v1/namespaces/" + ns + "/configmaps";
  auto created = client_->Create(base, ConfigMap(ns, "a", "1"));
  ASSERT_TRUE(created) << created.error().ToString();
  auto got = client_->Get(base + "/a");
  ASSERT_TRUE(got);
  EXPECT_EQ(FieldOf(*got, "data", "v"), "1");
  auto dup = client_->Create(base, ConfigMap(ns, "a", "1"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(dup.error().code, "AlreadyExists");

  std::string rv = FieldOf(*got, "metadata", "resourceVersion");
  std::string body = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":")" + ns +
                     R"(","resourceVersion":")" + rv + R"("},"data":{"v":"2"}})";
  auto updated = client_->Update(base + "/a", body);
  ASSERT_TRUE(updated) << updated.error().ToString();
  EXPECT_EQ(FieldOf(*updated, "data", "v"), "2");
  // The same write again carries a stale resourceVersion.
  auto stale = client_->Update(base + "/a", body);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(stale.error().http_status, 409);

  ASSERT_TRUE(client_->Delete(base + "/a"));
  auto gone = client_->Get(base + "/a");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::kNotFound);
}

TEST_F(RestClientIntegrationTest, ListFollowsPagesWithLimit) {
  std::string ns = Namespace("pages");
  std::string base = "/api/v1/namespaces/" + ns + "/configmaps";
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(client_->Create(base, ConfigMap(ns, "cm-" + std::to_string(i), std::to_string(i))));
  }
  int pages = 0;
  std::vector<std::string> names;
  auto rv = client_->List(base, {.limit = 3}, [&](const json::Document& page) -> Status {
    ++pages;
    for (const auto& item : page["items"].GetArray()) {
      std::string name = item["metadata"]["name"].GetString();
      if (name.starts_with("cm-")) names.push_back(name);
    }
    return {};
  });
  ASSERT_TRUE(rv) << rv.error().ToString();
  EXPECT_FALSE(rv->empty());
  EXPECT_GE(pages, 3);  // 7 configmaps (+ kube-root-ca.crt) in pages of 3
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-5", "cm-6"}));
}

TEST_F(RestClientIntegrationTest, MergeAndJsonPatch) {
  std::string ns = Namespace("patch");
  std::string base = "/api/v1/namespaces/" + ns + "/configmaps";
  ASSERT_TRUE(client_->Create(base, ConfigMap(ns, "p", "1")));
  auto merged = client_->Patch(base + "/p", PatchType::kMerge, R"({"data":{"w":"merged"}})");
  ASSERT_TRUE(merged) << merged.error().ToString();
  EXPECT_EQ(FieldOf(*merged, "data", "w"), "merged");
  EXPECT_EQ(FieldOf(*merged, "data", "v"), "1");
  auto patched = client_->Patch(base + "/p", PatchType::kJson,
                                R"([{"op":"replace","path":"/data/v","value":"json"},{"op":"remove","path":"/data/w"}])");
  ASSERT_TRUE(patched) << patched.error().ToString();
  EXPECT_EQ(FieldOf(*patched, "data", "v"), "json");
  EXPECT_EQ(FieldOf(*patched, "data", "w"), "");
  auto failed_test = client_->Patch(base + "/p", PatchType::kJson, R"([{"op":"test","path":"/data/v","value":"nope"}])");
  ASSERT_FALSE(failed_test);
}

TEST_F(RestClientIntegrationTest, DeleteWithMismatchedPreconditionIsConflict) {
  std::string ns = Namespace("precond");
  std::string base = "/api/v1/namespaces/" + ns + "/configmaps";
  auto created = client_->Create(base, ConfigMap(ns, "d", "1"));
  ASSERT_TRUE(created);
  auto st = client_->Delete(base + "/d", {.uid = "00000000-0000-0000-0000-000000000000"});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kConflict);
  auto rv_mismatch = client_->Delete(base + "/d", {.resource_version = "1"});
  ASSERT_FALSE(rv_mismatch);
  EXPECT_EQ(rv_mismatch.error().kind, ErrorKind::kConflict);
  ASSERT_TRUE(client_->Get(base + "/d"));  // still there
  ASSERT_TRUE(client_->Delete(base + "/d", {.uid = FieldOf(*created, "metadata", "uid")}));
  EXPECT_FALSE(client_->Get(base + "/d"));
}

TEST_F(RestClientIntegrationTest, InvalidObjectNamesTheField) {
  std::string ns = Namespace("invalid");
  auto r = client_->Create("/api/v1/namespaces/" + ns + "/services",
                           R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
                               "spec":{"ports":[{"port":70000}]}})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(r.error().code, "Invalid");
  EXPECT_NE(r.error().message.find("spec.ports[0].port"), std::string::npos) << r.error().message;
}

TEST_F(RestClientIntegrationTest, GetSecretKeyDecodes) {
  std::string ns = Namespace("secret");
  ASSERT_TRUE(client_->Create("/api/v1/namespaces/" + ns + "/secrets",
                              R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"oci"},"data":{"key":")" +
                                  Base64Encode("pem-bytes\n") + R"("}})"));
  auto v = GetSecretKey(*client_, ns, "oci", "key");
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_EQ(*v, "pem-bytes\n");
}

TEST_F(RestClientIntegrationTest, SteadyRequestsReuseConnections) {
  std::string ns = Namespace("reuse");
  long before = transport_->connections_opened();
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(client_->Get("/api/v1/namespaces/" + ns));
  }
  long opened = transport_->connections_opened() - before;
  EXPECT_LE(opened, 1) << "a new connection per request";
  EXPECT_GE(transport_->connections_opened(), 1);
}

TEST_F(RestClientIntegrationTest, WatchStreamsEventsAndCancels) {
  std::string ns = Namespace("watch");
  std::string base = "/api/v1/namespaces/" + ns + "/configmaps";
  auto listed = client_->List(base, {}, [](const json::Document&) -> Status { return {}; });
  ASSERT_TRUE(listed);
  std::string rv = *listed;
  std::atomic<bool> cancel{false};
  std::atomic<int> added{0};
  std::thread watcher([&] {
    auto st = client_->Watch(base, {.resource_version = rv, .timeout_seconds = 60},
                             [&](const WatchEvent& e) {
                               if (e.type == "ADDED") ++added;
                               return true;
                             },
                             &cancel);
    EXPECT_TRUE(st) << st.error().ToString();
  });
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client_->Create(base, ConfigMap(ns, "w" + std::to_string(i), "x")));
  EXPECT_TRUE(testing::Eventually([&] { return added.load() == 3; }));
  auto start = std::chrono::steady_clock::now();
  cancel = true;
  watcher.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace ccm::kube
