// Informers against a real kube-apiserver that this binary restarts and compacts: the cache
// must end equal to the server's list after an API-server restart and after a forced 410
// relist (deleting what vanished while disconnected); a rotated token file is picked up.
#include "pkg/kube/informer/informer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "pkg/base/curl_transport.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/informer/projections.h"
#include "test/integration/kube/kube_test_util.h"

namespace ccm::kube {
namespace {

using testing::AdminConfig;
using testing::ConfigMap;
using testing::CreateNamespace;
using testing::Eventually;

// A ConfigMap projection is enough to exercise the reflector with any kind.
struct Cm {
  std::string namespace_name, name, resource_version, value;
  bool operator==(const Cm& o) const { return name == o.name && value == o.value; }
};
std::string ObjectKey(const Cm& c) { return c.namespace_name + "/" + c.name; }
Result<Cm> ProjectCm(const json::Value& o) {
  const auto& m = o["metadata"];
  Cm c{m["namespace"].GetString(), m["name"].GetString(), m["resourceVersion"].GetString(), ""};
  if (o.HasMember("data") && o["data"].HasMember("v")) c.value = o["data"]["v"].GetString();
  return c;
}

// Passes everything through, except that while paused watches are cut and refused, so the
// informer falls behind while the test changes the cluster.
class PausableClient final : public RestClient {
 public:
  explicit PausableClient(RestClient& inner) : inner_(inner) {}
  void Pause(bool p) { paused_ = p; }
  int gone_seen() const { return gone_seen_; }

  Result<std::string> Get(const std::string& p) override { return inner_.Get(p); }
  Result<std::string> List(const std::string& p, const ListOptions& o,
                           const std::function<Status(const json::Document&)>& f) override {
    if (paused_) return Fail(ErrorKind::kUnavailable, "paused by test");
    return inner_.List(p, o, f);
  }
  Result<std::string> Create(const std::string& p, const std::string& b) override { return inner_.Create(p, b); }
  Result<std::string> Update(const std::string& p, const std::string& b) override { return inner_.Update(p, b); }
  Result<std::string> UpdateStatus(const std::string& p, const std::string& b) override {
    return inner_.UpdateStatus(p, b);
  }
  Result<std::string> Patch(const std::string& p, PatchType t, const std::string& b, bool s) override {
    return inner_.Patch(p, t, b, s);
  }
  Status Delete(const std::string& p, const Preconditions& pre) override { return inner_.Delete(p, pre); }
  Status Watch(const std::string& p, const WatchOptions& o, const std::function<bool(const WatchEvent&)>& f,
               const std::atomic<bool>* cancel) override {
    if (paused_) return Fail(ErrorKind::kUnavailable, "paused by test");
    std::atomic<bool> inner_cancel{false}, done{false};
    std::thread monitor([&] {
      while (!done) {
        if (paused_ || (cancel && cancel->load())) inner_cancel = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
    Status st = inner_.Watch(p, o, f, &inner_cancel);
    done = true;
    monitor.join();
    if (!st && st.error().kind == ErrorKind::kGone) ++gone_seen_;
    return st;
  }

 private:
  RestClient& inner_;
  std::atomic<bool> paused_{false};
  std::atomic<int> gone_seen_{0};
};

class InformerIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plane_ = new envtest::ControlPlane();
    rotating_tokens_[0] = plane_->AddTokenUser("rotating-user", {"system:masters"});
    rotating_tokens_[1] = plane_->AddTokenUser("rotating-user", {"system:masters"});
    auto st = plane_->Start();
    ASSERT_TRUE(st) << st.error().ToString();
  }
  static void TearDownTestSuite() {
    delete plane_;
    plane_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(plane_, nullptr);
    config_ = AdminConfig(*plane_);
    config_.qps = 0;
    client_ = HttpRestClient::Create(config_, Clock::Real());
  }

  std::set<std::string> ServerNames(const std::string& ns) {
    std::set<std::string> names;
    auto rv = client_->List("/api/v1/namespaces/" + ns + "/configmaps", {}, [&](const json::Document& page) -> Status {
      for (const auto& item : page["items"].GetArray()) names.insert(item["metadata"]["name"].GetString());
      return {};
    });
    EXPECT_TRUE(rv) << rv.error().ToString();
    return names;
  }
  static std::set<std::string> CacheNames(const Informer<Cm>& informer) {
    std::set<std::string> names;
    for (const auto& c : informer.store().List()) names.insert(c->name);
    return names;
  }

  static inline envtest::ControlPlane* plane_ = nullptr;
  static inline std::string rotating_tokens_[2];
  RestConfig config_;
  std::unique_ptr<HttpRestClient> client_;
};

ReflectorOptions CmOptions(const std::string& ns) {
  return ReflectorOptions{.name = "configmaps", .path = "/api/v1/namespaces/" + ns + "/configmaps", .page_size = 2};
}

TEST_F(InformerIntegrationTest, WatchSurvivesApiServerRestartAndCacheMatchesServer) {
  const std::string ns = "restart";
  ASSERT_TRUE(CreateNamespace(*client_, ns));
  std::string base = "/api/v1/namespaces/" + ns + "/configmaps";
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client_->Create(base, ConfigMap(ns, "before-" + std::to_string(i), "1")));
  Informer<Cm> informer(*client_, CmOptions(ns), ProjectCm, Clock::Real());
  std::atomic<int> deletes{0};
  informer.AddHandlers({.on_delete = [&](const Cm&) { ++deletes; }});
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(std::chrono::seconds(30)));
  EXPECT_EQ(CacheNames(informer), ServerNames(ns));

  plane_->StopApiServer();
  ASSERT_TRUE(plane_->StartApiServer());
  ASSERT_TRUE(client_->Create(base, ConfigMap(ns, "after", "2")));
  ASSERT_TRUE(client_->Delete(base + "/before-0"));
  ASSERT_TRUE(client_->Patch(base + "/before-1", PatchType::kMerge, R"({"data":{"v":"changed"}})"));

  EXPECT_TRUE(Eventually([&] {
    auto c = informer.store().Get(ns + "/before-1");
    return CacheNames(informer) == ServerNames(ns) && c && c->value == "changed";
  })) << "cache did not converge after restart";
  EXPECT_GE(deletes.load(), 1);
  EXPECT_GE(informer.reflector().watches(), 2);
  informer.Stop();
}

TEST_F(InformerIntegrationTest, GoneAfterCompactionRelistsAndDeletesWhatVanished) {
  const std::string ns = "compact";
  ASSERT_TRUE(CreateNamespace(*client_, ns));
  std::string base = "/api/v1/namespaces/" + ns + "/configmaps";
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(client_->Create(base, ConfigMap(ns, "cm-" + std::to_string(i), "1")));
  PausableClient pausable(*client_);
  Informer<Cm> informer(pausable, CmOptions(ns), ProjectCm, Clock::Real());
  std::mutex mu;
  std::set<std::string> deleted;
  informer.AddHandlers({.on_delete = [&](const Cm& c) {
    std::lock_guard lock(mu);
    deleted.insert(c.name);
  }});
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(std::chrono::seconds(30)));
  int lists_before = informer.reflector().lists();

  pausable.Pause(true);
  ASSERT_TRUE(Eventually([&] { return informer.reflector().failures() > 0; }));
  ASSERT_TRUE(client_->Delete(base + "/cm-0"));
  ASSERT_TRUE(client_->Delete(base + "/cm-1"));
  ASSERT_TRUE(client_->Create(base, ConfigMap(ns, "new", "1")));
  // Move the revision well past the informer's and compact it away.
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(client_->Patch(base + "/new", PatchType::kMerge,
                                                          R"({"data":{"v":")" + std::to_string(i) + R"("}})"));
  ASSERT_TRUE(plane_->CompactEtcd());
  // The API server's watch cache would still replay the missed events; a restarted server's
  // cache starts at the compacted revision, so the informer's resourceVersion is now too old.
  plane_->StopApiServer();
  ASSERT_TRUE(plane_->StartApiServer());
  pausable.Pause(false);

  EXPECT_TRUE(Eventually([&] { return CacheNames(informer) == ServerNames(ns); }));
  EXPECT_GE(pausable.gone_seen(), 1) << "the watch was expected to answer 410 Gone";
  EXPECT_GT(informer.reflector().lists(), lists_before);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(deleted, (std::set<std::string>{"cm-0", "cm-1"}));
  }
  informer.Stop();
}

TEST_F(InformerIntegrationTest, RotatedTokenFileIsPickedUp) {
  std::string dir = plane_->work_dir();
  std::string token_path = dir + "/rotating-token";
  auto write = [&](const std::string& token) { std::ofstream(token_path, std::ios::trunc) << token << "\n"; };
  write(rotating_tokens_[0]);
  RestConfig cfg = config_;
  cfg.token_source = std::make_shared<FileTokenSource>(token_path, Clock::Real());
  auto client = HttpRestClient::Create(cfg, Clock::Real());
  ASSERT_TRUE(client->Get("/api/v1/namespaces/default")) << "first token rejected";
  write("not-a-valid-token-at-all");
  auto rejected = client->Get("/api/v1/namespaces/default");
  ASSERT_FALSE(rejected) << "the token file was not re-read";
  EXPECT_EQ(rejected.error().kind, ErrorKind::kUnauthenticated);
  EXPECT_EQ(rejected.error().message.find("not-a-valid-token"), std::string::npos);
  write(rotating_tokens_[1]);
  auto ok = client->Get("/api/v1/namespaces/default");
  ASSERT_TRUE(ok) << ok.error().ToString();
}

}  // namespace
}  // namespace ccm::kube
