#include "pkg/oci/models/load_balancer_models.h"

#include <gtest/gtest.h>

#include "pkg/base/json.h"

namespace ccm::oci {
namespace {

constexpr const char* kBackendSet = R"({
  "name": "bs1",
  "policy": "LEAST_CONNECTIONS",
  "backends": [
    {"name": "10.0.0.1:8080", "ipAddress": "10.0.0.1", "port": 8080, "weight": 3, "maxConnections": 300,
     "backup": true, "drain": false, "offline": true, "futureBackendField": {"x": 1}},
    {"ipAddress": "10.0.0.2", "port": 8080, "weight": 1, "backup": false, "drain": true, "offline": false}
  ],
  "healthChecker": {"protocol": "HTTP", "urlPath": "/healthz", "port": 10256, "returnCode": 200, "retries": 3,
                    "timeoutInMillis": 3000, "intervalInMillis": 10000, "responseBodyRegex": "^ok$",
                    "isForcePlainText": true, "futureHcField": "kept"},
  "sslConfiguration": {"certificateName": "cert", "verifyDepth": 3, "verifyPeerCertificate": true,
                       "protocols": ["TLSv1.2"], "cipherSuiteName": "suite"},
  "sessionPersistenceConfiguration": {"cookieName": "X-Oracle-BMC-LBS-Route", "disableFallback": true},
  "lbCookieSessionPersistenceConfiguration": {"cookieName": "lb", "maxAgeInSeconds": 3600, "isSecure": true},
  "backendMaxConnections": 500,
  "futureSetting": [1, 2, 3]
})";

std::string Canon(std::string_view text) {
  auto doc = json::Parse(text, "test");
  EXPECT_TRUE(doc) << text;
  return json::Serialize(*doc);
}

TEST(LbModelsTest, ParsesBackendSet) {
  auto set = ParseLbBackendSet(kBackendSet);
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(set->name, "bs1");
  EXPECT_EQ(set->policy, "LEAST_CONNECTIONS");
  ASSERT_EQ(set->backends.size(), 2u);
  EXPECT_EQ(set->backends[0].name, "10.0.0.1:8080");
  EXPECT_EQ(set->backends[0].weight, 3);
  EXPECT_EQ(set->backends[0].max_connections, 300);
  EXPECT_TRUE(set->backends[0].backup);
  EXPECT_TRUE(set->backends[0].offline);
  EXPECT_EQ(set->backends[1].name, "10.0.0.2:8080");  // derived when absent
  EXPECT_TRUE(set->backends[1].drain);
  EXPECT_FALSE(set->backends[1].max_connections.has_value());
  EXPECT_EQ(set->health_checker.protocol, "HTTP");
  EXPECT_EQ(set->health_checker.url_path, "/healthz");
  EXPECT_EQ(set->health_checker.port, 10256);
  EXPECT_EQ(set->health_checker.interval_in_millis, 10000);
  EXPECT_EQ(set->health_checker.response_body_regex, "^ok$");
  EXPECT_TRUE(set->health_checker.is_force_plain_text);
  EXPECT_EQ(set->backend_max_connections, 500);
}

TEST(LbModelsTest, UpdateBodyCarriesEveryPublishedSettingAndNothingElse) {
  auto set = ParseLbBackendSet(kBackendSet);
  ASSERT_TRUE(set);
  auto body = json::Parse(LbUpdateBackendSetBody(*set), "body");
  ASSERT_TRUE(body);
  auto original = json::Parse(kBackendSet, "original");
  // Settings a PUT would clear if omitted: carried whole (every field they have is published).
  for (const char* field : {"policy", "sslConfiguration", "sessionPersistenceConfiguration",
                            "lbCookieSessionPersistenceConfiguration", "backendMaxConnections"}) {
    const json::Value* got = json::Find(*body, field);
    ASSERT_NE(got, nullptr) << field;
    EXPECT_EQ(json::Serialize(*got), json::Serialize(*json::Find(*original, field))) << field;
  }
  // The health checker as HealthCheckerDetails: every published field, the unknown one dropped.
  EXPECT_EQ(json::Serialize((*body)["healthChecker"]),
            Canon(R"({"protocol":"HTTP","urlPath":"/healthz","port":10256,"returnCode":200,"retries":3,
                     "timeoutInMillis":3000,"intervalInMillis":10000,"responseBodyRegex":"^ok$","isForcePlainText":true})"));
  // Not part of UpdateBackendSetDetails: neither read-only members nor ones OCI has not published.
  EXPECT_EQ(json::Find(*body, "name"), nullptr);
  EXPECT_EQ(json::Find(*body, "futureSetting"), nullptr);
  const auto& backends = (*body)["backends"];
  ASSERT_EQ(backends.Size(), 2u);
  EXPECT_EQ(json::Serialize(backends[0]),
            Canon(R"({"ipAddress":"10.0.0.1","port":8080,"weight":3,"maxConnections":300,"backup":true,
                     "drain":false,"offline":true})"));
  EXPECT_EQ(json::Serialize(backends[1]),
            Canon(R"({"ipAddress":"10.0.0.2","port":8080,"weight":1,"backup":false,"drain":true,"offline":false})"));
}

TEST(LbModelsTest, NestedSettingsKeepOnlyTheirDetailsModelsFields) {
  auto set = ParseLbBackendSet(R"({"name":"b","policy":"ROUND_ROBIN","backends":[],
      "healthChecker":{"protocol":"TCP","port":80,"readOnlyStatus":"x"},
      "sslConfiguration":{"certificateName":"c","protocols":["TLSv1.3"],"futureSsl":1},
      "sessionPersistenceConfiguration":{"cookieName":"*","disableFallback":false,"future":true},
      "lbCookieSessionPersistenceConfiguration":{"cookieName":"lb","domain":"example.com","path":"/","isHttpOnly":true,"x":1}})");
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(LbUpdateBackendSetBody(*set),
            Canon(R"({"policy":"ROUND_ROBIN","backends":[],"healthChecker":{"protocol":"TCP","port":80},
                     "sslConfiguration":{"certificateName":"c","protocols":["TLSv1.3"]},
                     "sessionPersistenceConfiguration":{"cookieName":"*","disableFallback":false},
                     "lbCookieSessionPersistenceConfiguration":{"cookieName":"lb","domain":"example.com","path":"/","isHttpOnly":true}})"));
}

TEST(LbModelsTest, AbsentOptionalSettingsStayAbsent) {
  auto set = ParseLbBackendSet(R"({"name":"b","policy":"ROUND_ROBIN","backends":[],
                                   "healthChecker":{"protocol":"TCP","port":80}})");
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(LbUpdateBackendSetBody(*set),
            Canon(R"({"policy":"ROUND_ROBIN","backends":[],"healthChecker":{"protocol":"TCP","port":80}})"));
}

TEST(LbModelsTest, BackendBodies) {
  LbBackend b{.name = "10.0.0.9:443", .ip_address = "10.0.0.9", .port = 443};
  EXPECT_EQ(LbCreateBackendBody(b), R"({"ipAddress":"10.0.0.9","port":443,"backup":false,"drain":false,"offline":false})");
  b.weight = 5;
  b.drain = true;
  EXPECT_EQ(LbUpdateBackendBody(b), R"({"weight":5,"backup":false,"drain":true,"offline":false})");
  b.weight.reset();
  EXPECT_EQ(LbUpdateBackendBody(b), R"({"weight":1,"backup":false,"drain":true,"offline":false})");
}

struct MalformedCase {
  const char* body;
  const char* expected;  // substring of the error message
};

class LbMalformedTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(LbMalformedTest, GivesAClearError) {
  auto set = ParseLbBackendSet(GetParam().body);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_NE(set.error().message.find(GetParam().expected), std::string::npos) << set.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, LbMalformedTest,
    ::testing::Values(
        MalformedCase{R"({"name":"b","policy":"RR","backends":[{"ipAddress":"1.2.3.4","port":)", "not valid JSON"},
        MalformedCase{"", "not valid JSON"},
        MalformedCase{"[]", "must be a JSON object"},
        MalformedCase{R"({"name":"b","policy":"RR"})", "field healthChecker is required"},
        MalformedCase{R"({"policy":"RR","healthChecker":{}})", "field name is required"},
        MalformedCase{R"({"name":"b","policy":"RR","healthChecker":{},"backends":{}})", "field backends must be an array"},
        MalformedCase{R"({"name":"b","policy":"RR","healthChecker":{},"backends":[{"ipAddress":"1.2.3.4","port":"80"}]})",
                      "field backends[0].port must be an integer"},
        MalformedCase{R"({"name":"b","policy":"RR","healthChecker":{},"backends":[{"port":80}]})",
                      "field backends[0].ipAddress is required"},
        MalformedCase{R"({"name":"b","policy":"RR","healthChecker":{},"backends":[7]})", "field backends[0] must be an object"},
        MalformedCase{R"({"name":"b","policy":"RR","healthChecker":{"port":"x"}})", "field healthChecker.port must be an integer"},
        MalformedCase{R"({"name":"b","policy":"RR","healthChecker":{},"sslConfiguration":"on"})",
                      "field sslConfiguration must be an object"},
        MalformedCase{R"({"name":"b","policy":"RR","healthChecker":{},"backends":[{"ipAddress":"1.2.3.4","port":80,"drain":"yes"}]})",
                      "field backends[0].drain must be a boolean"}));

TEST(LbModelsTest, LoadBalancer) {
  auto lb = ParseLoadBalancer(R"({"id":"ocid1.loadbalancer.oc1..a","displayName":"lb","lifecycleState":"ACTIVE",
      "ipAddresses":[{"ipAddress":"1.2.3.4","isPublic":true},{"ipAddress":"10.0.0.5"}],
      "backendSets":{"a":{"name":"a"},"b":{"name":"b"}},"listeners":{}})");
  ASSERT_TRUE(lb) << lb.error().ToString();
  EXPECT_EQ(lb->id, "ocid1.loadbalancer.oc1..a");
  EXPECT_EQ(lb->lifecycle_state, "ACTIVE");
  ASSERT_EQ(lb->ip_addresses.size(), 2u);
  EXPECT_TRUE(lb->ip_addresses[0].is_public);
  EXPECT_FALSE(lb->ip_addresses[1].is_public);
  EXPECT_EQ(lb->backend_set_names, (std::vector<std::string>{"a", "b"}));
  auto bad = ParseLoadBalancer(R"({"id":"x","lifecycleState":"ACTIVE","ipAddresses":[{"isPublic":true}]})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("ipAddresses[0].ipAddress is required"), std::string::npos);
}

TEST(LbModelsTest, WorkRequests) {
  auto wr = ParseLbWorkRequest(R"({"id":"wr1","loadBalancerId":"lb","type":"UpdateBackendSet",
      "lifecycleState":"FAILED","message":"boom","errorDetails":[{"errorCode":"BAD_INPUT","message":"port"}]})");
  ASSERT_TRUE(wr) << wr.error().ToString();
  EXPECT_EQ(wr->lifecycle_state, "FAILED");
  ASSERT_EQ(wr->error_details.size(), 1u);
  EXPECT_EQ(wr->error_details[0].error_code, "BAD_INPUT");
  auto list = ParseLbWorkRequestList(R"([{"id":"a","lifecycleState":"SUCCEEDED"},{"id":"b","lifecycleState":"IN_PROGRESS"}])");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
  auto bad = ParseLbWorkRequest(R"({"id":"wr1","lifecycleState":5})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("lifecycleState must be a string"), std::string::npos);
}

TEST(LbModelsTest, BackendList) {
  auto list = ParseLbBackendList(R"([{"name":"1.1.1.1:80","ipAddress":"1.1.1.1","port":80,"weight":1}])");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].port, 80);
  EXPECT_FALSE(ParseLbBackendList(R"({"items":[]})"));
}

}  // namespace
}  // namespace ccm::oci
