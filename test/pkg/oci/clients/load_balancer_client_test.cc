#include "pkg/oci/clients/load_balancer_client.h"

#include <gtest/gtest.h>

#include "pkg/base/json.h"
#include "test/pkg/oci/oci_test_env.h"

namespace ccm::oci {
namespace {

using test::HeaderOf;
using test::kLbEndpoint;
using test::OciTestEnv;

constexpr const char* kLb = "ocid1.loadbalancer.oc1.phx.a";
constexpr const char* kBase = "https://127.0.0.1:8443/20170115";
constexpr const char* kSet = R"({"name":"bs","policy":"ROUND_ROBIN","backends":[
  {"name":"10.0.0.1:80","ipAddress":"10.0.0.1","port":80,"weight":1,"backup":false,"drain":false,"offline":false}],
  "healthChecker":{"protocol":"HTTP","port":10256,"urlPath":"/healthz"},
  "sslConfiguration":{"certificateName":"c"}})";

class LbClientTest : public ::testing::Test {
 protected:
  OciTestEnv env;
  LoadBalancerClient client{*env.transport, kLbEndpoint};
};

TEST_F(LbClientTest, GetLoadBalancer) {
  env.Respond(200, R"({"id":"ocid1.loadbalancer.oc1.phx.a","lifecycleState":"ACTIVE"})");
  auto lb = client.GetLoadBalancer(kLb);
  ASSERT_TRUE(lb) << lb.error().ToString();
  EXPECT_EQ(env.requests[0].method, "GET");
  EXPECT_EQ(env.requests[0].url, std::string(kBase) + "/loadBalancers/" + kLb);
}

TEST_F(LbClientTest, GetAndUpdateBackendSetWithEtag) {
  env.Respond(200, kSet, {{"etag", "E1"}});
  auto set = client.GetBackendSet(kLb, "bs");
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(env.requests[0].url, std::string(kBase) + "/loadBalancers/" + kLb + "/backendSets/bs");
  EXPECT_EQ(set->etag, "E1");

  env.Respond(204, "", {{"opc-work-request-id", "wr-1"}});
  auto wr = client.UpdateBackendSet(kLb, *set);
  ASSERT_TRUE(wr) << wr.error().ToString();
  EXPECT_EQ(*wr, "wr-1");
  const auto& put = env.requests[1];
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.url, std::string(kBase) + "/loadBalancers/" + kLb + "/backendSets/bs");
  EXPECT_EQ(HeaderOf(put, "if-match"), "E1");
  EXPECT_EQ(put.body, LbUpdateBackendSetBody(*set));
  EXPECT_NE(put.body.find(R"("sslConfiguration":{"certificateName":"c"})"), std::string::npos);
}

TEST_F(LbClientTest, BackendOperationsEscapeNames) {
  env.Respond(200, R"([{"name":"10.0.0.1:80","ipAddress":"10.0.0.1","port":80}])");
  auto list = client.ListBackends(kLb, "bs");
  ASSERT_TRUE(list);
  EXPECT_EQ(env.requests[0].url, std::string(kBase) + "/loadBalancers/" + kLb + "/backendSets/bs/backends");

  env.Respond(204, "", {{"opc-work-request-id", "wr-c"}});
  LbBackend b{.ip_address = "10.0.0.2", .port = 8080, .weight = 2};
  ASSERT_EQ(client.CreateBackend(kLb, "bs", b).value(), "wr-c");
  EXPECT_EQ(env.requests[1].method, "POST");
  EXPECT_EQ(env.requests[1].url, std::string(kBase) + "/loadBalancers/" + kLb + "/backendSets/bs/backends");
  EXPECT_EQ(env.requests[1].body, R"({"ipAddress":"10.0.0.2","port":8080,"weight":2,"backup":false,"drain":false,"offline":false})");

  env.Respond(204, "", {{"opc-work-request-id", "wr-u"}});
  b.drain = true;
  ASSERT_EQ(client.UpdateBackend(kLb, "bs", b).value(), "wr-u");
  EXPECT_EQ(env.requests[2].method, "PUT");
  EXPECT_EQ(env.requests[2].url, std::string(kBase) + "/loadBalancers/" + kLb + "/backendSets/bs/backends/10.0.0.2%3A8080");
  EXPECT_EQ(env.requests[2].body, R"({"weight":2,"backup":false,"drain":true,"offline":false})");

  env.Respond(204, "", {{"opc-work-request-id", "wr-d"}});
  ASSERT_EQ(client.DeleteBackend(kLb, "my set", "10.0.0.2:8080").value(), "wr-d");
  EXPECT_EQ(env.requests[3].method, "DELETE");
  EXPECT_EQ(env.requests[3].url,
            std::string(kBase) + "/loadBalancers/" + kLb + "/backendSets/my%20set/backends/10.0.0.2%3A8080");
  EXPECT_EQ(env.requests[3].body, "");
}

TEST_F(LbClientTest, WorkRequests) {
  env.Respond(200, R"({"id":"wr1","lifecycleState":"IN_PROGRESS","message":"m"})");
  auto wr = client.GetWorkRequest("wr1");
  ASSERT_TRUE(wr);
  EXPECT_EQ(env.requests[0].url, std::string(kBase) + "/loadBalancerWorkRequests/wr1");
  env.Respond(200, R"([{"id":"a","lifecycleState":"SUCCEEDED"}])", {{"opc-next-page", "P2"}});
  env.Respond(200, R"([{"id":"b","lifecycleState":"FAILED"}])");
  auto list = client.ListWorkRequests(kLb);
  ASSERT_TRUE(list) << list.error().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].id, "b");
  EXPECT_EQ(env.requests[1].url, std::string(kBase) + "/loadBalancers/" + kLb + "/workRequests?limit=100");
  EXPECT_EQ(env.requests[2].url, std::string(kBase) + "/loadBalancers/" + kLb + "/workRequests?limit=100&page=P2");
}

TEST_F(LbClientTest, MissingWorkRequestHeaderIsAnError) {
  env.Respond(204, "", {{"opc-request-id", "R1"}});
  auto wr = client.DeleteBackend(kLb, "bs", "1.1.1.1:80");
  ASSERT_FALSE(wr);
  EXPECT_EQ(wr.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_EQ(wr.error().request_id, "R1");
  EXPECT_NE(wr.error().message.find("opc-work-request-id"), std::string::npos);
}

TEST_F(LbClientTest, MalformedResponsesNameTheOperationAndRequest) {
  env.Respond(200, R"({"name":"bs","policy":"RR","healthChecker":{},"backends":[{"ipAddress":"x","port":"80"}]})",
              {{"opc-request-id", "R7"}});
  auto set = client.GetBackendSet(kLb, "bs");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_EQ(set.error().request_id, "R7");
  EXPECT_EQ(set.error().http_status, 200);
  EXPECT_NE(set.error().message.find("GetBackendSet: field backends[0].port must be an integer"), std::string::npos)
      << set.error().message;

  env.Respond(200, R"({"id":"ocid1.loadbalancer)");
  auto lb = client.GetLoadBalancer(kLb);
  ASSERT_FALSE(lb);
  EXPECT_NE(lb.error().message.find("not valid JSON"), std::string::npos);

  env.Respond(200, std::string(100u << 20, '['));
  auto huge = client.ListBackends(kLb, "bs");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().kind, ErrorKind::kMalformedResponse);
}

TEST_F(LbClientTest, ServiceErrorsPassThrough) {
  env.Respond(404, R"({"code":"NotAuthorizedOrNotFound","message":"nope"})", {{"opc-request-id", "R404"}});
  auto set = client.GetBackendSet(kLb, "bs");
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(set.error().code, "NotAuthorizedOrNotFound");
  EXPECT_EQ(set.error().request_id, "R404");
}

}  // namespace
}  // namespace ccm::oci
