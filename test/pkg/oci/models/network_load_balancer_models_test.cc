#include "pkg/oci/models/network_load_balancer_models.h"

#include <gtest/gtest.h>

#include "pkg/base/json.h"

namespace ccm::oci {
namespace {

constexpr const char* kBackendSet = R"({
  "name": "bs",
  "policy": "TWO_TUPLE",
  "isPreserveSource": true,
  "isFailOpen": false,
  "isInstantFailoverEnabled": true,
  "isInstantFailoverTcpResetEnabled": false,
  "areOperationallyActiveBackendsPreferred": true,
  "ipVersion": "IPV4",
  "backends": [
    {"name": "ocid1.instance.oc1..i1:30080", "targetId": "ocid1.instance.oc1..i1", "ipAddress": "10.0.0.7",
     "port": 30080, "weight": 2, "isDrain": true, "isBackup": false, "isOffline": true},
    {"name": "10.0.0.8:30080", "ipAddress": "10.0.0.8", "port": 30080}
  ],
  "healthChecker": {"protocol": "DNS", "port": 53, "retries": 3, "timeoutInMillis": 1000, "intervalInMillis": 5000,
                    "requestData": "cmVx", "responseData": "cmVz",
                    "dns": {"domainName": "example.com", "queryClass": "IN", "queryType": "A", "rcodes": ["NOERROR"],
                            "transportProtocol": "UDP"}},
  "futureNlbSetting": "dropped"
})";

TEST(NlbModelsTest, ParsesAndRoundTripsEverySetting) {
  auto set = ParseNlbBackendSet(kBackendSet);
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(set->policy, "TWO_TUPLE");
  EXPECT_EQ(set->is_preserve_source, true);
  EXPECT_EQ(set->is_fail_open, false);
  EXPECT_EQ(set->ip_version, "IPV4");
  ASSERT_EQ(set->backends.size(), 2u);
  EXPECT_EQ(set->backends[0].target_id, "ocid1.instance.oc1..i1");
  EXPECT_TRUE(set->backends[0].is_drain);
  EXPECT_TRUE(set->backends[0].is_offline);
  EXPECT_EQ(set->backends[0].weight, 2);
  EXPECT_EQ(set->health_checker.protocol, "DNS");
  EXPECT_EQ(set->health_checker.request_data, "cmVx");

  auto body = json::Parse(NlbUpdateBackendSetBody(*set), "body");
  ASSERT_TRUE(body);
  auto original = json::Parse(kBackendSet, "original");
  for (const char* field : {"policy", "isPreserveSource", "isFailOpen", "isInstantFailoverEnabled",
                            "isInstantFailoverTcpResetEnabled", "areOperationallyActiveBackendsPreferred",
                            "ipVersion", "healthChecker"}) {
    const json::Value* got = json::Find(*body, field);
    ASSERT_NE(got, nullptr) << field;
    EXPECT_EQ(json::Serialize(*got), json::Serialize(*json::Find(*original, field))) << field;
  }
  // Only UpdateBackendSetDetails' fields: not the read-only name, not an unpublished member.
  EXPECT_EQ(json::Find(*body, "name"), nullptr);
  EXPECT_EQ(json::Find(*body, "futureNlbSetting"), nullptr);
  const auto& b0 = (*body)["backends"][0];
  EXPECT_EQ(json::Serialize(b0),
            R"({"name":"ocid1.instance.oc1..i1:30080","ipAddress":"10.0.0.7","targetId":"ocid1.instance.oc1..i1",)"
            R"("port":30080,"weight":2,"isBackup":false,"isDrain":true,"isOffline":true})");
}

TEST(NlbModelsTest, MembersOutsideThePublishedModelsAreDropped) {
  auto set = ParseNlbBackendSet(R"({"name":"bs","healthChecker":{"protocol":"DNS","port":53,"lastStatus":"ok",
      "dns":{"domainName":"example.com","futureDns":1}},
      "backends":[{"name":"10.0.0.1:53","ipAddress":"10.0.0.1","port":53,"weight":1,"isBackup":false,
                   "isDrain":false,"isOffline":false,"ipVersion":"IPV4","health":"OK"}]})");
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_EQ(NlbUpdateBackendSetBody(*set),
            R"({"backends":[{"name":"10.0.0.1:53","ipAddress":"10.0.0.1","port":53,"weight":1,"isBackup":false,)"
            R"("isDrain":false,"isOffline":false}],"healthChecker":{"protocol":"DNS","port":53,)"
            R"("dns":{"domainName":"example.com"}}})");
  EXPECT_EQ(NlbCreateBackendBody(set->backends[0]),
            R"({"name":"10.0.0.1:53","ipAddress":"10.0.0.1","port":53,"weight":1,"isBackup":false,"isDrain":false,"isOffline":false})");
}

TEST(NlbModelsTest, UnsetOptionalBooleansAreNotWrittenAsFalse) {
  auto set = ParseNlbBackendSet(R"({"name":"bs","healthChecker":{"protocol":"TCP"},"backends":[]})");
  ASSERT_TRUE(set) << set.error().ToString();
  EXPECT_FALSE(set->is_preserve_source.has_value());
  EXPECT_EQ(NlbUpdateBackendSetBody(*set), R"({"backends":[],"healthChecker":{"protocol":"TCP"}})");
}

TEST(NlbModelsTest, MalformedBackendSets) {
  struct Case {
    const char* body;
    const char* expected;
  };
  for (const Case& c : {Case{R"({"name":"bs","healthChecker":{},"isFailOpen":"no"})", "field isFailOpen must be a boolean"},
                        Case{R"({"name":"bs","healthChecker":{},"backends":[{"port":80}]})",
                             "backends[0].ipAddress or backends[0].targetId is required"},
                        Case{R"({"name":"bs"})", "field healthChecker is required"},
                        Case{R"({"name":"bs","healthChecker":{"dns":[]},"backends":[)", "not valid JSON"}}) {
    auto set = ParseNlbBackendSet(c.body);
    ASSERT_FALSE(set) << c.body;
    EXPECT_NE(set.error().message.find(c.expected), std::string::npos) << set.error().message;
  }
}

TEST(NlbModelsTest, BackendBodies) {
  NlbBackend b{.ip_address = "10.0.0.1", .port = 80};
  EXPECT_EQ(NlbCreateBackendBody(b), R"({"ipAddress":"10.0.0.1","port":80,"isBackup":false,"isDrain":false,"isOffline":false})");
  b.weight = 4;
  b.is_backup = true;
  EXPECT_EQ(NlbUpdateBackendBody(b), R"({"weight":4,"isBackup":true,"isDrain":false,"isOffline":false})");
}

TEST(NlbModelsTest, CollectionsAndWorkRequests) {
  auto backends = ParseNlbBackendCollection(R"({"items":[{"name":"1.1.1.1:80","ipAddress":"1.1.1.1","port":80}]})");
  ASSERT_TRUE(backends);
  EXPECT_EQ(backends->size(), 1u);
  EXPECT_FALSE(ParseNlbBackendCollection(R"([])"));
  EXPECT_FALSE(ParseNlbBackendCollection(R"({"items":{}})"));

  auto wr = ParseNlbWorkRequest(R"({"id":"wr","status":"IN_PROGRESS","operationType":"UPDATE_BACKENDSET",
                                   "percentComplete":42.5,"compartmentId":"c"})");
  ASSERT_TRUE(wr) << wr.error().ToString();
  EXPECT_EQ(wr->status, "IN_PROGRESS");
  EXPECT_DOUBLE_EQ(wr->percent_complete, 42.5);
  auto bad = ParseNlbWorkRequest(R"({"id":"wr","status":"IN_PROGRESS","percentComplete":"half"})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("percentComplete must be a number"), std::string::npos);
  EXPECT_FALSE(ParseNlbWorkRequest(R"({"id":"wr"})"));

  auto errors = ParseNlbWorkRequestErrors(R"({"items":[{"code":"InternalError","message":"backend invalid","timestamp":"t"}]})");
  ASSERT_TRUE(errors);
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].code, "InternalError");

  auto nlb = ParseNetworkLoadBalancer(R"({"id":"ocid1.networkloadbalancer.oc1..n","displayName":"n",
      "lifecycleState":"UPDATING","ipAddresses":[{"ipAddress":"1.2.3.4","isPublic":true,"ipVersion":"IPV4"}],
      "backendSets":{"x":{}}})");
  ASSERT_TRUE(nlb) << nlb.error().ToString();
  EXPECT_EQ(nlb->lifecycle_state, "UPDATING");
  EXPECT_EQ(nlb->backend_set_names, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace ccm::oci
