// Events against a real kube-apiserver: the apiserver accepts what the recorder writes
// (validation of core/v1 Events), and a repeat is aggregated into the same Event.
#include <gtest/gtest.h>

#include "pkg/base/json.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/events/event_recorder.h"
#include "test/envtest/shared_control_plane.h"

namespace ccm::kube {
namespace {

std::unique_ptr<RestClient> NewClient() {
  auto& plane = envtest::SharedControlPlane();
  RestConfig config;
  config.host = plane.url();
  config.tls.ca_pem = plane.ca_pem();
  config.token_source = std::make_shared<StaticTokenSource>(plane.admin_token());
  return HttpRestClient::Create(std::move(config), Clock::Real());
}

// The Events about `name` in `ns`, decoded.
json::Document EventsFor(const std::string& ns, const std::string& name) {
  auto got = envtest::SharedControlPlane().Request(
      "GET", "/api/v1/namespaces/" + ns + "/events?fieldSelector=involvedObject.name%3D" + name);
  EXPECT_TRUE(got);
  EXPECT_EQ(got->status, 200) << got->body;
  auto doc = json::Parse(got->body, "event list");
  EXPECT_TRUE(doc);
  return std::move(*doc);
}

TEST(EventsIntegrationTest, EventIsCreatedOnceThenAggregated) {
  auto client = NewClient();
  EventRecorderOptions options;
  options.instance = "ccm-integration";
  AsyncEventRecorder recorder(*client, options, Clock::Real());
  ObjectReference node{.kind = "Node", .name = "events-node", .uid = "0f9e7a6c-1111-4222-8333-944455556666",
                       .api_version = "v1"};

  recorder.Record(node, EventType::kWarning, "BackendSetUpdateFailed", "load balancer lb1: 409 IncorrectState");
  ASSERT_TRUE(recorder.Flush());
  auto first = EventsFor("default", "events-node");
  ASSERT_EQ(first["items"].Size(), 1u) << json::Serialize(first);
  EXPECT_EQ(first["items"][0]["count"].GetInt(), 1);
  EXPECT_EQ(recorder.stats().created, 1u) << "failed=" << recorder.stats().failed;

  recorder.Record(node, EventType::kWarning, "BackendSetUpdateFailed", "load balancer lb1: 409 IncorrectState");
  recorder.Record(node, EventType::kWarning, "BackendSetUpdateFailed", "load balancer lb1: 409 IncorrectState");
  ASSERT_TRUE(recorder.Flush());
  auto repeated = EventsFor("default", "events-node");
  ASSERT_EQ(repeated["items"].Size(), 1u) << json::Serialize(repeated);
  const auto& e = repeated["items"][0];
  EXPECT_EQ(e["count"].GetInt(), 3);
  EXPECT_STREQ(e["reason"].GetString(), "BackendSetUpdateFailed");
  EXPECT_STREQ(e["type"].GetString(), "Warning");
  EXPECT_STREQ(e["involvedObject"]["kind"].GetString(), "Node");
  EXPECT_STREQ(e["source"]["component"].GetString(), "oci-lb-registrar-ccm");
  EXPECT_STREQ(e["reportingInstance"].GetString(), "ccm-integration");
  EXPECT_EQ(recorder.stats().patched, 2u);
  EXPECT_EQ(recorder.stats().failed, 0u);
}

TEST(EventsIntegrationTest, NamespacedObjectEventGoesToItsNamespace) {
  auto& plane = envtest::SharedControlPlane();
  auto ns = plane.Request("POST", "/api/v1/namespaces", R"({"metadata":{"name":"events-web"}})");
  ASSERT_TRUE(ns);
  ASSERT_TRUE(ns->status == 201 || ns->status == 409) << ns->body;
  auto client = NewClient();
  AsyncEventRecorder recorder(*client, {}, Clock::Real());
  recorder.Record({.kind = "Service", .namespace_ = "events-web", .name = "frontend", .api_version = "v1"},
                  EventType::kNormal, "BackendsUpdated", "2 backends in bs1");
  ASSERT_TRUE(recorder.Flush());
  auto events = EventsFor("events-web", "frontend");
  ASSERT_EQ(events["items"].Size(), 1u) << json::Serialize(events);
  EXPECT_STREQ(events["items"][0]["message"].GetString(), "2 backends in bs1");
  EXPECT_EQ(EventsFor("default", "frontend")["items"].Size(), 0u);
}

}  // namespace
}  // namespace ccm::kube
