#include "pkg/kube/informer/projections.h"

#include <gtest/gtest.h>

namespace ccm::kube {
namespace {

json::Document Parse(const std::string& s) {
  auto d = json::Parse(s, "test");
  EXPECT_TRUE(d) << d.error().ToString();
  return std::move(*d);
}

const char* kNode = R"({
  "metadata":{"name":"10.0.0.5","uid":"u1","resourceVersion":"77","deletionTimestamp":"2024-01-01T00:00:00Z",
    "labels":{"topology.kubernetes.io/zone":"AD-1","node.kubernetes.io/exclude-from-external-load-balancers":""},
    "annotations":{"huge":"dropped"},"managedFields":[{"manager":"kubelet"}]},
  "spec":{"providerID":"oci://ocid1.instance.oc1..x","unschedulable":true,
    "taints":[{"key":"node.cloudprovider.kubernetes.io/uninitialized","value":"true","effect":"NoSchedule"}]},
  "status":{"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"t1"},
                          {"type":"MemoryPressure","status":"False","lastHeartbeatTime":"t1"}],
    "addresses":[{"type":"InternalIP","address":"10.0.0.5"},{"type":"Hostname","address":"node-5"}],
    "images":[{"names":["a"],"sizeBytes":1}]}})";

TEST(ProjectionsTest, NodeKeepsOnlyWhatControllersRead) {
  auto doc = Parse(kNode);
  auto n = ProjectNode(doc);
  ASSERT_TRUE(n) << n.error().ToString();
  EXPECT_EQ(n->name, "10.0.0.5");
  EXPECT_EQ(n->uid, "u1");
  EXPECT_EQ(n->resource_version, "77");
  EXPECT_TRUE(n->deleting);
  EXPECT_TRUE(n->unschedulable);
  EXPECT_EQ(n->provider_id, "oci://ocid1.instance.oc1..x");
  ASSERT_NE(n->Label("topology.kubernetes.io/zone"), nullptr);
  EXPECT_EQ(n->Label("topology.kubernetes.io/zone")->view(), "AD-1");
  ASSERT_NE(n->Label("node.kubernetes.io/exclude-from-external-load-balancers"), nullptr);
  EXPECT_TRUE(n->Label("node.kubernetes.io/exclude-from-external-load-balancers")->empty());
  EXPECT_EQ(n->Label("missing"), nullptr);
  EXPECT_EQ(n->Label("topology.kubernetes.io"), nullptr);  // a key prefix is not a key
  ASSERT_EQ(n->taints.size(), 1u);
  EXPECT_EQ(n->taints[0].key, "node.cloudprovider.kubernetes.io/uninitialized");
  EXPECT_EQ(n->taints[0].effect, "NoSchedule");
  EXPECT_EQ(n->ConditionStatus("Ready"), "True");
  EXPECT_EQ(n->ConditionStatus("DiskPressure"), "");
  ASSERT_EQ(n->addresses.size(), 2u);
  EXPECT_EQ(n->addresses[0].type, "InternalIP");
  EXPECT_EQ(n->addresses[1].address, "node-5");
}

TEST(ProjectionsTest, NodeEqualityIgnoresResourceVersionAndTimestampsButNotContent) {
  auto d1 = Parse(kNode);
  std::string changed_heartbeat = kNode;
  changed_heartbeat.replace(changed_heartbeat.find("\"77\""), 4, "\"78\"");
  for (size_t p; (p = changed_heartbeat.find("\"t1\"")) != std::string::npos;) changed_heartbeat.replace(p, 4, "\"t2\"");
  auto d2 = Parse(changed_heartbeat);
  auto a = ProjectNode(d1).value();
  auto b = ProjectNode(d2).value();
  EXPECT_NE(a.resource_version, b.resource_version);
  EXPECT_TRUE(a == b);
  std::string not_ready = changed_heartbeat;
  not_ready.replace(not_ready.find("\"True\",\"lastHeartbeatTime\""), 6, "\"False\"");
  auto d3 = Parse(not_ready);
  EXPECT_FALSE(a == ProjectNode(d3).value());
}

TEST(ProjectionsTest, NodeWithoutNameIsRejected) {
  auto doc = Parse(R"({"metadata":{}})");
  auto n = ProjectNode(doc);
  ASSERT_FALSE(n);
  EXPECT_NE(n.error().message.find("metadata.name"), std::string::npos);
}

TEST(ProjectionsTest, ServiceProjection) {
  auto doc = Parse(R"({"metadata":{"namespace":"web","name":"front","uid":"s1","resourceVersion":"9","generation":3,
      "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{...}","oci.example/lb":"lb-1"},
      "finalizers":["service.kubernetes.io/load-balancer-cleanup"]},
    "spec":{"type":"LoadBalancer","externalTrafficPolicy":"Local","ports":[
      {"name":"http","protocol":"TCP","port":80,"nodePort":30080,"targetPort":8080},
      {"name":"https","protocol":"TCP","port":443,"nodePort":30443,"targetPort":"https"}]},
    "status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"},{"hostname":"x"}]}}})");
  auto s = ProjectService(doc);
  ASSERT_TRUE(s);
  EXPECT_EQ(ObjectKey(*s), "web/front");
  EXPECT_EQ(s->generation, 3);
  EXPECT_EQ(s->type, "LoadBalancer");
  EXPECT_EQ(s->external_traffic_policy, "Local");
  ASSERT_EQ(s->ports.size(), 2u);
  EXPECT_EQ(s->ports[0].node_port, 30080);
  EXPECT_EQ(s->ports[0].target_port, "8080");
  EXPECT_EQ(s->ports[1].target_port, "https");
  EXPECT_EQ(s->annotations.size(), 1u);
  ASSERT_NE(s->Annotation("oci.example/lb"), nullptr);
  EXPECT_EQ(*s->Annotation("oci.example/lb"), "lb-1");
  EXPECT_EQ(s->Annotation("kubectl.kubernetes.io/last-applied-configuration"), nullptr);
  EXPECT_TRUE(s->HasFinalizer("service.kubernetes.io/load-balancer-cleanup"));
  EXPECT_EQ(s->load_balancer_ingress_ips, (std::vector<std::string>{"1.2.3.4"}));
}

TEST(ProjectionsTest, EndpointSliceReadyDefaultsToTrue) {
  auto doc = Parse(R"({"metadata":{"namespace":"web","name":"front-abc","resourceVersion":"4",
      "labels":{"kubernetes.io/service-name":"front"}},"addressType":"IPv4",
    "endpoints":[{"addresses":["10.1.0.1"],"nodeName":"n1"},
                 {"addresses":["10.1.0.2"],"nodeName":"n2","conditions":{"ready":false}}],
    "ports":[{"name":"http","protocol":"TCP","port":8080}]})");
  auto s = ProjectEndpointSlice(doc);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service_name, "front");
  ASSERT_EQ(s->endpoints.size(), 2u);
  EXPECT_TRUE(s->endpoints[0].ready);
  EXPECT_FALSE(s->endpoints[1].ready);
  EXPECT_EQ(s->endpoints[1].node_name, "n2");
  ASSERT_EQ(s->ports.size(), 1u);
  EXPECT_EQ(s->ports[0].port, 8080);
}

TEST(ProjectionsTest, LBRegistrarKeepsRawSpec) {
  auto doc = Parse(R"({"metadata":{"name":"r1","uid":"u","generation":2,"resourceVersion":"5","finalizers":["f"]},
    "spec":{"loadBalancerId":"ocid1.lb","nodePort":30080},"status":{"phase":"READY","observedGeneration":1}})");
  auto r = ProjectLBRegistrar(doc);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->spec_json, R"({"loadBalancerId":"ocid1.lb","nodePort":30080})");
  EXPECT_EQ(r->status_phase, "READY");
  EXPECT_EQ(r->status_observed_generation, 1);
  EXPECT_EQ(r->generation, 2);
  EXPECT_TRUE(r->HasFinalizer("f"));
}

TEST(ProjectionsTest, LeaseProjection) {
  auto doc = Parse(R"({"metadata":{"namespace":"kube-system","name":"ccm","resourceVersion":"3"},
    "spec":{"holderIdentity":"pod-1","leaseDurationSeconds":15,"acquireTime":"2024-01-01T00:00:00.000000Z",
            "renewTime":"2024-01-01T00:00:10.000000Z","leaseTransitions":4}})");
  auto l = ProjectLease(doc);
  ASSERT_TRUE(l);
  EXPECT_EQ(ObjectKey(*l), "kube-system/ccm");
  EXPECT_EQ(l->holder_identity, "pod-1");
  EXPECT_EQ(l->lease_duration_seconds, 15);
  EXPECT_EQ(l->renew_time, "2024-01-01T00:00:10.000000Z");
  EXPECT_EQ(l->lease_transitions, 4);
}

TEST(InternedStringTest, SharesTextAndFreesWhenUnused) {
  size_t before = InternedString::PoolEntries();
  {
    InternedString a("some-unique-value-for-this-test");
    InternedString b(std::string("some-unique-value-for-this-test"));
    EXPECT_TRUE(a == b);
    EXPECT_EQ(a.view().data(), b.view().data());  // one copy
    EXPECT_EQ(InternedString::PoolEntries(), before + 1);
    InternedString c = a;
    InternedString d = std::move(b);
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(d, "some-unique-value-for-this-test");
  }
  EXPECT_EQ(InternedString::PoolEntries(), before);
}

}  // namespace
}  // namespace ccm::kube
