#include "pkg/oci/clients/backend_set_api.h"

#include <gtest/gtest.h>

#include "pkg/base/json.h"
#include "pkg/oci/clients/lb_backend_set_api.h"
#include "pkg/oci/clients/nlb_backend_set_api.h"
#include "test/pkg/oci/oci_test_env.h"

namespace ccm::oci {
namespace {

using test::kLbEndpoint;
using test::kNlbEndpoint;
using test::OciTestEnv;

constexpr const char* kLb = "ocid1.loadbalancer.oc1.phx.a";
constexpr const char* kNlb = "ocid1.networkloadbalancer.oc1.phx.n";

constexpr const char* kLbSet = R"({"name":"bs","policy":"IP_HASH","backends":[
  {"name":"10.0.0.1:80","ipAddress":"10.0.0.1","port":80,"weight":7,"maxConnections":50,"backup":true,"drain":false,"offline":true},
  {"name":"10.0.0.2:80","ipAddress":"10.0.0.2","port":80,"weight":1,"backup":false,"drain":false,"offline":false}],
  "healthChecker":{"protocol":"HTTP","port":10256,"urlPath":"/healthz","returnCode":200},
  "sslConfiguration":{"certificateName":"c","verifyDepth":2},
  "sessionPersistenceConfiguration":{"cookieName":"*"},
  "backendMaxConnections":99})";

TEST(LoadBalancerKindTest, FromTheOcidsResourceType) {
  EXPECT_EQ(LoadBalancerKindOf(kLb).value(), LoadBalancerKind::kLoadBalancer);
  EXPECT_EQ(LoadBalancerKindOf(kNlb).value(), LoadBalancerKind::kNetworkLoadBalancer);
  for (const char* bad : {"ocid1.instance.oc1..x", "nope", "ocid1.loadbalancer.", "ocid1.networkloadbalancer.oc1.phx.a b"}) {
    auto kind = LoadBalancerKindOf(bad);
    ASSERT_FALSE(kind) << bad;
    EXPECT_EQ(kind.error().kind, ErrorKind::kInvalidArgument) << bad;
  }
}

TEST(LbBackendSetApiTest, ReplaceBackendsKeepsEveryOtherSetting) {
  OciTestEnv env;
  LoadBalancerClient client(*env.transport, kLbEndpoint);
  LbBackendSetApi api(client);
  env.Respond(200, kLbSet, {{"etag", "E5"}});
  env.Respond(204, "", {{"opc-work-request-id", "wr-9"}});
  auto wr = api.ReplaceBackends(kLb, "bs", {{.ip_address = "10.0.0.1", .port = 80},
                                            {.ip_address = "10.0.0.3", .port = 80, .weight = 2}});
  ASSERT_TRUE(wr) << wr.error().ToString();
  EXPECT_EQ(*wr, "wr-9");
  ASSERT_EQ(env.requests.size(), 2u);
  EXPECT_EQ(test::HeaderOf(env.requests[1], "if-match"), "E5");
  auto body = json::Parse(env.requests[1].body, "body");
  ASSERT_TRUE(body);
  auto original = json::Parse(kLbSet, "set");
  for (const char* f : {"policy", "healthChecker", "sslConfiguration", "sessionPersistenceConfiguration",
                        "backendMaxConnections"}) {
    ASSERT_NE(json::Find(*body, f), nullptr) << f;
    EXPECT_EQ(json::Serialize(*json::Find(*body, f)), json::Serialize(*json::Find(*original, f))) << f;
  }
  EXPECT_EQ(json::Serialize((*body)["backends"]),
            R"([{"ipAddress":"10.0.0.1","port":80,"weight":7,"maxConnections":50,"backup":true,"drain":false,"offline":true},)"
            R"({"ipAddress":"10.0.0.3","port":80,"weight":2,"backup":false,"drain":false,"offline":false}])");
}

// The write starts from the read it was planned against and carries that read's ETag: no
// second read; OCI's 412 (the set changed since, a console edit) is a ChangedSinceRead, so the
// caller re-plans instead of overwriting the edit.
TEST(LbBackendSetApiTest, ReplaceBackendsWritesFromThePlannedReadUnderItsEtag) {
  OciTestEnv env;
  LoadBalancerClient client(*env.transport, kLbEndpoint);
  LbBackendSetApi api(client);
  env.Respond(200, kLbSet, {{"etag", "E5"}});
  auto planned = api.GetBackendSet(kLb, "bs");
  ASSERT_TRUE(planned);
  ASSERT_NE(planned->snapshot, nullptr);
  env.Respond(412, R"({"code":"NoEtagMatch","message":"The if-match etag does not match"})");
  auto wr = api.ReplaceBackends(kLb, "bs", {{.ip_address = "10.0.0.1", .port = 80}}, &*planned);
  ASSERT_FALSE(wr);
  EXPECT_EQ(wr.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(wr.error().code, "ChangedSinceRead");
  ASSERT_EQ(env.requests.size(), 2u);  // one read, one refused write
  EXPECT_EQ(env.requests[1].method, "PUT");
  EXPECT_EQ(test::HeaderOf(env.requests[1], "if-match"), "E5");

  EXPECT_EQ(planned->snapshot, nullptr);  // the write took it: a re-plan starts from a new read

  env.Respond(200, kLbSet, {{"etag", "E6"}});
  auto replanned = api.GetBackendSet(kLb, "bs");
  ASSERT_TRUE(replanned);
  env.Respond(204, "", {{"opc-work-request-id", "wr-10"}});
  auto ok = api.ReplaceBackends(kLb, "bs", {{.ip_address = "10.0.0.1", .port = 80}}, &*replanned);
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(*ok, "wr-10");
  ASSERT_EQ(env.requests.size(), 4u);  // read, refused write, read, write: never a read inside a write
  EXPECT_EQ(test::HeaderOf(env.requests[3], "if-match"), "E6");
}

// A read without the service's snapshot (no ETag answered): the set is read again and
// compared with what the caller planned against.
TEST(LbBackendSetApiTest, ReplaceBackendsRefusesWhenTheSetChangedSinceThePlan) {
  OciTestEnv env;
  LoadBalancerClient client(*env.transport, kLbEndpoint);
  LbBackendSetApi api(client);
  env.Respond(200, kLbSet);
  auto planned = api.GetBackendSet(kLb, "bs");
  ASSERT_TRUE(planned);
  EXPECT_EQ(planned->snapshot, nullptr);
  // Someone adds a backend by hand before the write's own read.
  auto changed = json::Parse(kLbSet, "set");
  ASSERT_TRUE(changed);
  json::Value extra(rapidjson::kObjectType);
  extra.AddMember("ipAddress", "192.168.7.7", changed->GetAllocator());
  extra.AddMember("port", 80, changed->GetAllocator());
  (*changed)["backends"].PushBack(extra, changed->GetAllocator());
  env.Respond(200, json::Serialize(*changed), {{"etag", "E6"}});
  auto wr = api.ReplaceBackends(kLb, "bs", {{.ip_address = "10.0.0.1", .port = 80}}, &*planned);
  ASSERT_FALSE(wr);
  EXPECT_EQ(wr.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(wr.error().code, "ChangedSinceRead");
  EXPECT_EQ(env.requests.size(), 2u);  // two reads, no write
}

TEST(LbBackendSetApiTest, ReplaceBackendsWritesNothingWhenAlreadyEqual) {
  OciTestEnv env;
  LoadBalancerClient client(*env.transport, kLbEndpoint);
  LbBackendSetApi api(client);
  env.Respond(200, kLbSet);
  auto wr = api.ReplaceBackends(kLb, "bs", {{.ip_address = "10.0.0.2", .port = 80}, {.ip_address = "10.0.0.1", .port = 80}});
  ASSERT_TRUE(wr) << wr.error().ToString();
  EXPECT_EQ(*wr, "");
  EXPECT_EQ(env.requests.size(), 1u);

  env.Respond(200, kLbSet);
  env.Respond(204, "", {{"opc-work-request-id", "wr-drain"}});
  auto drained = api.ReplaceBackends(kLb, "bs", {{.ip_address = "10.0.0.2", .port = 80, .drain = true},
                                                 {.ip_address = "10.0.0.1", .port = 80}});
  ASSERT_TRUE(drained);
  EXPECT_EQ(*drained, "wr-drain");
  EXPECT_NE(env.requests.back().body.find(R"({"ipAddress":"10.0.0.2","port":80,"weight":1,"backup":false,"drain":true)"),
            std::string::npos)
      << env.requests.back().body;
}

TEST(LbBackendSetApiTest, RejectsTargetIdBackends) {
  auto merged = LbBackendSetApi::Merge({}, {{.target_id = "ocid1.instance.oc1..i", .port = 80}});
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().kind, ErrorKind::kInvalidArgument);
}

TEST(LbBackendSetApiTest, UpdateBackendChangesOnlyWhatIsSet) {
  OciTestEnv env;
  LoadBalancerClient client(*env.transport, kLbEndpoint);
  LbBackendSetApi api(client);
  env.Respond(200, R"([{"name":"10.0.0.1:80","ipAddress":"10.0.0.1","port":80,"weight":7,"maxConnections":50,
                        "backup":true,"drain":false,"offline":false}])");
  env.Respond(204, "", {{"opc-work-request-id", "wr-u"}});
  auto wr = api.UpdateBackend(kLb, "bs", {.ip_address = "10.0.0.1", .port = 80, .drain = true});
  ASSERT_TRUE(wr) << wr.error().ToString();
  EXPECT_EQ(env.requests[1].url.substr(env.requests[1].url.size() - 22), "backends/10.0.0.1%3A80");
  EXPECT_EQ(env.requests[1].body, R"({"weight":7,"maxConnections":50,"backup":true,"drain":true,"offline":false})");

  env.Respond(200, "[]");
  auto missing = api.UpdateBackend(kLb, "bs", {.ip_address = "10.0.0.9", .port = 80, .drain = true});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST(LbBackendSetApiTest, WorkRequestStates) {
  OciTestEnv env;
  LoadBalancerClient client(*env.transport, kLbEndpoint);
  LbBackendSetApi api(client);
  env.Respond(200, R"({"id":"w","type":"UpdateBackendSet","lifecycleState":"FAILED","message":"m",
                       "errorDetails":[{"errorCode":"BAD_INPUT","message":"invalid port"}]})");
  auto s = api.GetWorkRequest("w");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->phase, WorkRequestPhase::kFailed);
  EXPECT_EQ(s->errors, std::vector<std::string>{"BAD_INPUT: invalid port"});
  env.Respond(200, R"({"id":"w","lifecycleState":"ACCEPTED"})");
  EXPECT_EQ(api.GetWorkRequest("w")->phase, WorkRequestPhase::kPending);
  env.Respond(200, R"({"id":"w","lifecycleState":"SUCCEEDED"})");
  EXPECT_EQ(api.GetWorkRequest("w")->phase, WorkRequestPhase::kSucceeded);
}

TEST(LbBackendSetApiTest, WorkInFlightListsTheLoadBalancersWorkRequests) {
  OciTestEnv env;
  LoadBalancerClient client(*env.transport, kLbEndpoint);
  LbBackendSetApi api(client);
  LoadBalancerInfo lb{.id = kLb, .lifecycle_state = "ACTIVE"};  // classic load balancers stay ACTIVE
  env.Respond(200, R"([{"id":"a","lifecycleState":"SUCCEEDED"},{"id":"b","lifecycleState":"FAILED"}])");
  auto idle = api.WorkInFlight(lb);
  ASSERT_TRUE(idle) << idle.error().ToString();
  EXPECT_FALSE(*idle);
  EXPECT_EQ(env.requests[0].url, std::string("https://127.0.0.1:8443/20170115/loadBalancers/") + kLb + "/workRequests?limit=100");
  for (const char* state : {"ACCEPTED", "IN_PROGRESS"}) {
    env.Respond(200, std::string(R"([{"id":"a","lifecycleState":"SUCCEEDED"},{"id":"b","lifecycleState":")") + state +
                         R"("}])");
    EXPECT_TRUE(api.WorkInFlight(lb).value()) << state;
  }
  env.Respond(404, R"({"code":"NotAuthorizedOrNotFound","message":"no"})");
  auto missing = api.WorkInFlight(lb);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST(NlbBackendSetApiTest, WorkInFlightWhileTheLoadBalancerIsUpdating) {
  OciTestEnv env;
  NetworkLoadBalancerClient client(*env.transport, kNlbEndpoint);
  NlbBackendSetApi api(client);
  EXPECT_TRUE(api.WorkInFlight({.id = kNlb, .lifecycle_state = "UPDATING"}).value());
  EXPECT_FALSE(api.WorkInFlight({.id = kNlb, .lifecycle_state = "ACTIVE"}).value());
  EXPECT_TRUE(env.requests.empty()) << "GetLoadBalancer's answer already tells";
}

TEST(NlbBackendSetApiTest, ReplaceBackendsMatchesTargetIdAndKeepsSettings) {
  OciTestEnv env;
  NetworkLoadBalancerClient client(*env.transport, kNlbEndpoint);
  NlbBackendSetApi api(client);
  env.Respond(200, R"({"name":"bs","policy":"FIVE_TUPLE","isPreserveSource":true,"isFailOpen":true,
      "isInstantFailoverEnabled":true,"isInstantFailoverTcpResetEnabled":true,"areOperationallyActiveBackendsPreferred":false,
      "ipVersion":"IPV4","healthChecker":{"protocol":"HTTP","port":10256,"urlPath":"/healthz"},
      "backends":[{"name":"ocid1.instance.oc1..i1:30080","targetId":"ocid1.instance.oc1..i1","ipAddress":"10.0.0.1",
                   "port":30080,"weight":3,"isBackup":true,"isDrain":false,"isOffline":false},
                  {"name":"10.0.0.2:30080","ipAddress":"10.0.0.2","port":30080}]})");
  env.Respond(204, "", {{"opc-work-request-id", "nwr"}});
  auto wr = api.ReplaceBackends(kNlb, "bs", {{.target_id = "ocid1.instance.oc1..i1", .port = 30080},
                                             {.target_id = "ocid1.instance.oc1..i3", .port = 30080}});
  ASSERT_TRUE(wr) << wr.error().ToString();
  EXPECT_EQ(*wr, "nwr");
  auto body = json::Parse(env.requests[1].body, "body");
  ASSERT_TRUE(body);
  EXPECT_EQ(json::Serialize((*body)["backends"]),
            R"([{"name":"ocid1.instance.oc1..i1:30080","ipAddress":"10.0.0.1","targetId":"ocid1.instance.oc1..i1","port":30080,)"
            R"("weight":3,"isBackup":true,"isDrain":false,"isOffline":false},)"
            R"({"name":"ocid1.instance.oc1..i3:30080","targetId":"ocid1.instance.oc1..i3","port":30080,)"
            R"("isBackup":false,"isDrain":false,"isOffline":false}])");
  for (const char* f : {"policy", "isPreserveSource", "isFailOpen", "isInstantFailoverEnabled",
                        "isInstantFailoverTcpResetEnabled", "areOperationallyActiveBackendsPreferred", "ipVersion",
                        "healthChecker"}) {
    EXPECT_NE(json::Find(*body, f), nullptr) << f;
  }
  EXPECT_EQ(json::Serialize((*body)["healthChecker"]), R"({"protocol":"HTTP","port":10256,"urlPath":"/healthz"})");
}

constexpr const char* kNlbSet = R"({"name":"bs","policy":"FIVE_TUPLE","backends":[
  {"name":"hand-made","targetId":"ocid1.instance.oc1..i1","port":30080,"weight":1,"isBackup":false,"isDrain":false,"isOffline":false},
  {"name":"10.0.0.2:30080","ipAddress":"10.0.0.2","port":30080,"weight":1,"isBackup":false,"isDrain":false,"isOffline":false}],
  "healthChecker":{"protocol":"TCP","port":30080}})";

TEST(NlbBackendSetApiTest, ReplaceBackendsWritesNothingWhenAlreadyEqualInAnyOrder) {
  OciTestEnv env;
  NetworkLoadBalancerClient client(*env.transport, kNlbEndpoint);
  NlbBackendSetApi api(client);
  env.Respond(200, kNlbSet);
  // The hand-made name is matched by instance and port, the other by IP: nothing to add.
  auto wr = api.ReplaceBackends(kNlb, "bs", {{.ip_address = "10.0.0.2", .port = 30080},
                                             {.target_id = "ocid1.instance.oc1..i1", .port = 30080}});
  ASSERT_TRUE(wr) << wr.error().ToString();
  EXPECT_EQ(*wr, "");
  EXPECT_EQ(env.requests.size(), 1u);

  env.Respond(200, kNlbSet);
  env.Respond(204, "", {{"opc-work-request-id", "nwr-weight"}});
  auto reweighted = api.ReplaceBackends(kNlb, "bs", {{.ip_address = "10.0.0.2", .port = 30080},
                                                     {.target_id = "ocid1.instance.oc1..i1", .port = 30080, .weight = 5}});
  ASSERT_TRUE(reweighted) << reweighted.error().ToString();
  EXPECT_EQ(*reweighted, "nwr-weight");
  auto body = json::Parse(env.requests.back().body, "body");
  ASSERT_TRUE(body);
  EXPECT_EQ(json::Serialize((*body)["backends"]),
            R"([{"name":"10.0.0.2:30080","ipAddress":"10.0.0.2","port":30080,"weight":1,"isBackup":false,"isDrain":false,"isOffline":false},)"
            R"({"name":"hand-made","targetId":"ocid1.instance.oc1..i1","port":30080,"weight":5,"isBackup":false,"isDrain":false,"isOffline":false}])");
}

TEST(BackendSetApiTest, SameBackendsIgnoresOrderButNotSettings) {
  std::vector<BackendInfo> a = {{.name = "x", .ip_address = "10.0.0.1", .port = 80, .weight = 1},
                                {.name = "y", .ip_address = "10.0.0.2", .port = 80, .weight = 2}};
  std::vector<BackendInfo> b = {a[1], a[0]};
  EXPECT_TRUE(SameBackends(a, b));
  b[0].drain = true;
  EXPECT_FALSE(SameBackends(a, b));
  b[0].drain = false;
  b[1].weight = 3;
  EXPECT_FALSE(SameBackends(a, b));
  b.pop_back();
  EXPECT_FALSE(SameBackends(a, b));
}

TEST(NlbBackendSetApiTest, FailedWorkRequestIncludesErrorsEndpoint) {
  OciTestEnv env;
  NetworkLoadBalancerClient client(*env.transport, kNlbEndpoint);
  NlbBackendSetApi api(client);
  env.Respond(200, R"({"id":"w","status":"FAILED","operationType":"UPDATE_BACKENDSET","percentComplete":100})");
  env.Respond(200, R"({"items":[{"code":"InvalidParameter","message":"port out of range"}]})");
  auto s = api.GetWorkRequest("w");
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->phase, WorkRequestPhase::kFailed);
  EXPECT_EQ(s->errors, std::vector<std::string>{"InvalidParameter: port out of range"});
  env.Respond(200, R"({"id":"w","status":"CANCELING"})");
  EXPECT_EQ(api.GetWorkRequest("w")->phase, WorkRequestPhase::kPending);
  env.Respond(200, R"({"id":"w","status":"CANCELED"})");
  EXPECT_EQ(api.GetWorkRequest("w")->phase, WorkRequestPhase::kCanceled);
}

TEST(NlbBackendSetApiTest, NewBackendNeedsAnAddressAndIsRegisteredByInstanceWhenItHasOne) {
  EXPECT_FALSE(NlbBackendSetApi::Merge({}, {{.port = 80}}));
  auto by_instance = NlbBackendSetApi::Merge({}, {{.ip_address = "1.1.1.1", .target_id = "t", .port = 80}});
  ASSERT_TRUE(by_instance);
  ASSERT_EQ(by_instance->size(), 1u);
  EXPECT_EQ((*by_instance)[0].name, "t:80");
  EXPECT_EQ((*by_instance)[0].target_id, "t");
  EXPECT_EQ((*by_instance)[0].ip_address, "");  // OCI fills it in
  auto ok = NlbBackendSetApi::Merge({}, {{.ip_address = "1.1.1.1", .port = 80}, {.ip_address = "1.1.1.1", .port = 80}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 1u);  // duplicates collapse
}

}  // namespace
}  // namespace ccm::oci
