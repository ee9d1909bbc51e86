#include "pkg/oci/clients/network_load_balancer_client.h"

#include <gtest/gtest.h>

#include "test/pkg/oci/oci_test_env.h"

namespace ccm::oci {
namespace {

using test::HeaderOf;
using test::kNlbEndpoint;
using test::OciTestEnv;

constexpr const char* kNlb = "ocid1.networkloadbalancer.oc1.phx.n";
const std::string kBase = std::string("https://127.0.0.1:8443/20200501/networkLoadBalancers/") + kNlb;

class NlbClientTest : public ::testing::Test {
 protected:
  OciTestEnv env;
  NetworkLoadBalancerClient client{*env.transport, kNlbEndpoint};
};

TEST_F(NlbClientTest, GetNetworkLoadBalancerAndBackendSet) {
  env.Respond(200, R"({"id":"ocid1.networkloadbalancer.oc1.phx.n","lifecycleState":"ACTIVE"})");
  ASSERT_TRUE(client.GetNetworkLoadBalancer(kNlb));
  EXPECT_EQ(env.requests[0].url, kBase);
  env.Respond(200, R"({"name":"bs","isPreserveSource":false,"healthChecker":{"protocol":"TCP"},"backends":[]})",
              {{"etag", "E"}});
  auto set = client.GetBackendSet(kNlb, "bs");
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(env.requests[1].url, kBase + "/backendSets/bs");
  env.Respond(204, "", {{"opc-work-request-id", "wr"}});
  ASSERT_EQ(client.UpdateBackendSet(kNlb, *set).value(), "wr");
  EXPECT_EQ(env.requests[2].method, "PUT");
  EXPECT_EQ(HeaderOf(env.requests[2], "if-match"), "E");
  EXPECT_EQ(env.requests[2].body, R"({"isPreserveSource":false,"backends":[],"healthChecker":{"protocol":"TCP"}})");
}

TEST_F(NlbClientTest, BackendsByTargetIdAndIp) {
  env.Respond(200, R"({"items":[{"name":"10.0.0.1:80","ipAddress":"10.0.0.1","port":80}]})", {{"opc-next-page", "n2"}});
  env.Respond(200, R"({"items":[{"name":"ocid1.instance.oc1..i:80","targetId":"ocid1.instance.oc1..i","port":80}]})");
  auto list = client.ListBackends(kNlb, "bs");
  ASSERT_TRUE(list) << list.error().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(env.requests[1].url, kBase + "/backendSets/bs/backends?limit=100&page=n2");

  env.Respond(204, "", {{"opc-work-request-id", "c"}});
  NlbBackend b{.target_id = "ocid1.instance.oc1..i", .port = 80, .is_drain = true};
  ASSERT_EQ(client.CreateBackend(kNlb, "bs", b).value(), "c");
  EXPECT_EQ(env.requests[2].method, "POST");
  EXPECT_EQ(env.requests[2].url, kBase + "/backendSets/bs/backends");
  EXPECT_EQ(env.requests[2].body, R"({"targetId":"ocid1.instance.oc1..i","port":80,"isBackup":false,"isDrain":true,"isOffline":false})");

  env.Respond(204, "", {{"opc-work-request-id", "u"}});
  ASSERT_EQ(client.UpdateBackend(kNlb, "bs", b).value(), "u");
  EXPECT_EQ(env.requests[3].url, kBase + "/backendSets/bs/backends/ocid1.instance.oc1..i%3A80");
  EXPECT_EQ(env.requests[3].body, R"({"isBackup":false,"isDrain":true,"isOffline":false})");

  env.Respond(204, "", {{"opc-work-request-id", "d"}});
  ASSERT_EQ(client.DeleteBackend(kNlb, "bs", "10.0.0.1:80").value(), "d");
  EXPECT_EQ(env.requests[4].method, "DELETE");
  EXPECT_EQ(env.requests[4].url, kBase + "/backendSets/bs/backends/10.0.0.1%3A80");
}

TEST_F(NlbClientTest, WorkRequestsAndErrors) {
  env.Respond(200, R"({"id":"wr","status":"FAILED","operationType":"UPDATE_BACKENDSET","percentComplete":100})");
  auto wr = client.GetWorkRequest("wr");
  ASSERT_TRUE(wr);
  EXPECT_EQ(env.requests[0].url, "https://127.0.0.1:8443/20200501/workRequests/wr");
  env.Respond(200, R"({"items":[{"code":"E1","message":"bad backend"}]})");
  auto errors = client.ListWorkRequestErrors("wr");
  ASSERT_TRUE(errors);
  EXPECT_EQ(env.requests[1].url, "https://127.0.0.1:8443/20200501/workRequests/wr/errors?limit=100");
}

TEST_F(NlbClientTest, RepeatedPageTokenStopsTheLoop) {
  env.Respond(200, R"({"items":[]})", {{"opc-next-page", "same"}});
  env.Respond(200, R"({"items":[]})", {{"opc-next-page", "same"}});
  auto list = client.ListBackends(kNlb, "bs");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_EQ(env.requests.size(), 2u);
}

TEST_F(NlbClientTest, MalformedPageNamesThePage) {
  env.Respond(200, R"({"items":[]})", {{"opc-next-page", "p2"}});
  env.Respond(200, R"({"items":[{"port":80}]})");
  auto list = client.ListBackends(kNlb, "bs");
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find("page 2"), std::string::npos) << list.error().message;
  EXPECT_NE(list.error().message.find("items[0].ipAddress"), std::string::npos);
}

}  // namespace
}  // namespace ccm::oci
