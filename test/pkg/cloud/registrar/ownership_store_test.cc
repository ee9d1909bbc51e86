#include "pkg/cloud/registrar/ownership_store.h"

#include <gtest/gtest.h>

#include "pkg/base/json.h"
#include "test/mocks/fake_rest_client.h"

namespace ccm::cloud::registrar {
namespace {

constexpr char kNs[] = "kube-system";
constexpr char kLb[] = "ocid1.networkloadbalancer.oc1.phx.aaaa";
const std::string kCollection = std::string("/api/v1/namespaces/") + kNs + "/configmaps";

Ownership Record(int nodes, int port, const std::string& source = "LBRegistrar/web") {
  Ownership o;
  for (int n = 0; n < nodes; ++n) {
    o.owned.insert("ocid1.instance.oc1.phx.anyhqljt" + std::string(47, 'x') + std::to_string(10000 + n) + ":" +
                   std::to_string(port));
  }
  o.sources = {source};
  return o;
}

TEST(ConfigMapOwnershipStoreTest, OneConfigMapPerBackendSetSoLargeLoadBalancersFit) {
  testing::FakeRestClient api{Clock::Real()};
  ConfigMapOwnershipStore store(api, kNs);
  // 50 sets x 500 instance-OCID backends: ~2.3 MB in all, far over the 1 MiB object limit
  // had it been one ConfigMap per load balancer.
  size_t largest = 0;
  for (int set = 0; set < 50; ++set) {
    ASSERT_TRUE(store.Save(kLb, "set-" + std::to_string(set), Record(500, 30000 + set)));
  }
  auto paths = api.Paths(kCollection);
  ASSERT_EQ(paths.size(), 50u);
  for (const auto& p : paths) largest = std::max(largest, api.Object(p)->size());
  EXPECT_LT(largest, 100u * 1024) << "one set's record";
  EXPECT_NE(api.Object(kCollection + "/" + ConfigMapOwnershipStore::ConfigMapName(kLb, "set-7")), std::nullopt);
}

TEST(ConfigMapOwnershipStoreTest, ANewInstanceReadsEveryRecordBack) {
  testing::FakeRestClient api{Clock::Real()};
  {
    ConfigMapOwnershipStore store(api, kNs);
    ASSERT_TRUE(store.Save(kLb, "http", Record(3, 30080)));
    ASSERT_TRUE(store.Save(kLb, "https", Record(2, 30443, "Service/shop/web")));
    ASSERT_TRUE(store.Save("ocid1.loadbalancer.oc1.phx.other", "tcp", Record(1, 31000)));
  }
  api.ClearRequests();
  ConfigMapOwnershipStore restarted(api, kNs);
  auto http = restarted.Load(kLb, "http");
  ASSERT_TRUE(http) << http.error().ToString();
  EXPECT_EQ(*http, Record(3, 30080));
  auto recorded = restarted.Recorded(kLb);
  ASSERT_TRUE(recorded);
  EXPECT_EQ(*recorded, (RecordedSets{{"http", {"LBRegistrar/web"}}, {"https", {"Service/shop/web"}}}));
  auto lbs = restarted.LoadBalancers();
  ASSERT_TRUE(lbs);
  EXPECT_EQ(lbs->size(), 2u);
  EXPECT_EQ(api.CountRequests("LIST"), 1) << "records are listed once, then served from memory";
  EXPECT_EQ(api.CountRequests("GET"), 0);
}

TEST(ConfigMapOwnershipStoreTest, AnUnchangedRecordIsNotWrittenAndAnEmptyOneIsDeleted) {
  testing::FakeRestClient api{Clock::Real()};
  ConfigMapOwnershipStore store(api, kNs);
  ASSERT_TRUE(store.Save(kLb, "http", Record(3, 30080)));
  api.ClearRequests();
  ASSERT_TRUE(store.Save(kLb, "http", Record(3, 30080)));
  EXPECT_EQ(api.requests().size(), 0u);
  ASSERT_TRUE(store.Save(kLb, "http", Ownership{}));
  EXPECT_EQ(api.CountRequests("DELETE"), 1);
  EXPECT_TRUE(api.Paths(kCollection).empty());
  EXPECT_TRUE(store.LoadBalancers()->empty());
  EXPECT_EQ(*store.Load(kLb, "http"), Ownership{});
}

TEST(ConfigMapOwnershipStoreTest, AConcurrentWriterIsRetriedOnItsVersion) {
  testing::FakeRestClient api{Clock::Real()};
  ConfigMapOwnershipStore store(api, kNs);
  ASSERT_TRUE(store.Save(kLb, "http", Record(1, 30080)));
  // Someone else (a previous leader) rewrote the record behind our cache.
  std::string path = kCollection + "/" + ConfigMapOwnershipStore::ConfigMapName(kLb, "http");
  auto obj = json::Parse(*api.Object(path), "cm");
  ASSERT_TRUE(obj);
  ASSERT_TRUE(api.Update(path, *api.Object(path)));
  ASSERT_TRUE(store.Save(kLb, "http", Record(2, 30080)));
  ConfigMapOwnershipStore fresh(api, kNs);
  EXPECT_EQ(fresh.Load(kLb, "http")->owned.size(), 2u);
}

TEST(ConfigMapOwnershipStoreTest, ADamagedRecordStopsTheControllerInsteadOfDisowningBackends) {
  testing::FakeRestClient api{Clock::Real()};
  std::string name = ConfigMapOwnershipStore::ConfigMapName(kLb, "http");
  ASSERT_TRUE(api.Seed(kCollection + "/" + name,
                       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name + R"(","namespace":"kube-system",)"
                       R"("labels":{"app.kubernetes.io/managed-by":"oci-lb-registrar-ccm"},"annotations":{)"
                       R"("nodes.peppy-ratio.dev/load-balancer-id":")" + std::string(kLb) +
                       R"(","nodes.peppy-ratio.dev/backend-set":"http"}},"data":{"ownership":"{not json"}})"));
  ConfigMapOwnershipStore store(api, kNs);
  auto loaded = store.Load(kLb, "http");
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find(name), std::string::npos) << loaded.error().message;
  EXPECT_FALSE(store.Save(kLb, "http", Ownership{}));
}

TEST(ConfigMapOwnershipStoreTest, ListFailureIsRetriedOnTheNextCall) {
  testing::FakeRestClient api{Clock::Real()};
  bool fail = true;
  api.SetReactor([&](const testing::FakeRequest& r) -> std::optional<Error> {
    if (fail && r.method == "LIST") return MakeError(ErrorKind::kUnavailable, "apiserver down");
    return std::nullopt;
  });
  ConfigMapOwnershipStore store(api, kNs);
  EXPECT_FALSE(store.Load(kLb, "http"));
  fail = false;
  EXPECT_TRUE(store.Load(kLb, "http"));
}

}  // namespace
}  // namespace ccm::cloud::registrar
