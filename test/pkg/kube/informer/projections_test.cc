#include "pkg/kube/informer/projections.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

// A node of a pool: `i` varies only the per-node labels, uid, address and providerID.
std::string PoolNode(int i, const std::string& zone = "AD-1", const std::string& ready = "True",
                     const std::string& extra_label = "") {
  std::string ip = "10.0.0." + std::to_string(i);
  return R"({"metadata":{"name":")" + ip + R"(","uid":"0f9e7a6c-1111-4222-8333-9444555566)" +
         (i < 10 ? "0" : "") + std::to_string(i) + R"(","resourceVersion":")" + std::to_string(100 + i) +
         R"(","labels":{"topology.kubernetes.io/zone":")" + zone + R"(","kubernetes.io/os":"linux",)" +
         R"("node.kubernetes.io/instance-type":"VM.Standard.E4.Flex","kubernetes.io/hostname":")" + ip + R"(")" +
         extra_label + R"(}},"spec":{"providerID":"oci://ocid1.instance.oc1..n)" + std::to_string(i) +
         R"(","taints":[{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]},)" +
         R"("status":{"conditions":[{"type":"Ready","status":")" + ready +
         R"(","lastHeartbeatTime":"t1"},{"type":"MemoryPressure","status":"False"}],)" +
         R"("addresses":[{"type":"InternalIP","address":")" + ip + R"("}]}})";
}

Node ProjectText(const std::string& text) {
  auto doc = Parse(text);
  auto n = ProjectNode(doc);
  EXPECT_TRUE(n) << n.error().ToString();
  return std::move(*n);
}

TEST(ProjectionsTest, NodesOfOnePoolShareLabelSetTaintsAndConditions) {
  Node a = ProjectText(PoolNode(1));
  Node b = ProjectText(PoolNode(2));
  EXPECT_TRUE(a.labels.shared().SharesStorageWith(b.labels.shared()));
  EXPECT_EQ(a.labels.shared().size(), 3u);  // zone, os, instance-type
  EXPECT_FALSE(a.labels.own().SharesStorageWith(b.labels.own()));
  EXPECT_TRUE(a.taints.SharesStorageWith(b.taints));
  EXPECT_TRUE(a.conditions.SharesStorageWith(b.conditions));
  // Each still reads its own per-node label and the shared ones.
  EXPECT_EQ(a.Label("kubernetes.io/hostname")->view(), "10.0.0.1");
  EXPECT_EQ(b.Label("kubernetes.io/hostname")->view(), "10.0.0.2");
  EXPECT_EQ(b.Label("topology.kubernetes.io/zone")->view(), "AD-1");
  EXPECT_EQ(a.taints[0].value, "gpu");
  EXPECT_EQ(b.ConditionStatus("Ready"), "True");
  EXPECT_FALSE(a == b);
}

TEST(ProjectionsTest, ChangingOneNodesLabelLeavesTheOtherAlone) {
  Node a = ProjectText(PoolNode(1));
  Node b = ProjectText(PoolNode(2));
  Node b_moved = ProjectText(PoolNode(2, "AD-2"));
  EXPECT_FALSE(b_moved.labels.shared().SharesStorageWith(a.labels.shared()));
  EXPECT_EQ(b_moved.Label("topology.kubernetes.io/zone")->view(), "AD-2");
  EXPECT_EQ(a.Label("topology.kubernetes.io/zone")->view(), "AD-1");
  EXPECT_EQ(b.Label("topology.kubernetes.io/zone")->view(), "AD-1");
  EXPECT_FALSE(b == b_moved);
  // A new label joins the node's set without touching the pool's.
  Node b_labeled = ProjectText(PoolNode(2, "AD-1", "True", R"(,"role":"edge")"));
  EXPECT_EQ(b_labeled.Label("role")->view(), "edge");
  EXPECT_EQ(a.Label("role"), nullptr);
  EXPECT_EQ(a.labels.size(), 4u);
  EXPECT_EQ(b_labeled.labels.size(), 5u);
  EXPECT_FALSE(b == b_labeled);
}

TEST(ProjectionsTest, ANotReadyNodeGetsItsOwnConditionsAndCompareUnequal) {
  Node a = ProjectText(PoolNode(1));
  Node a_down = ProjectText(PoolNode(1, "AD-1", "False"));
  EXPECT_FALSE(a.conditions.SharesStorageWith(a_down.conditions));
  EXPECT_EQ(a_down.ConditionStatus("Ready"), "False");
  EXPECT_EQ(a.ConditionStatus("Ready"), "True");
  EXPECT_FALSE(a == a_down);
  EXPECT_TRUE(a == ProjectText(PoolNode(1)));  // same content, separately decoded
}

TEST(ProjectionsTest, LabelsIterateInKeyOrderAcrossSharedAndPerNodeParts) {
  Node n = ProjectText(PoolNode(3, "AD-1", "True", R"(,"displayName":"oke-3","a-first":"x")"));
  std::vector<std::string> keys, values;
  for (const auto& [k, v] : n.labels) {
    keys.push_back(k.str());
    values.push_back(v.str());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"a-first", "displayName", "kubernetes.io/hostname", "kubernetes.io/os",
                                            "node.kubernetes.io/instance-type", "topology.kubernetes.io/zone"}));
  EXPECT_EQ(values[1], "oke-3");
  EXPECT_EQ(values[2], "10.0.0.3");
  EXPECT_EQ(n.labels.own().size(), 2u);  // displayName, kubernetes.io/hostname
  EXPECT_EQ(n.Label("displayName")->view(), "oke-3");
  EXPECT_EQ(n.Label("a-first")->view(), "x");
  EXPECT_EQ(n.Label("kubernetes.io"), nullptr);
}

TEST(ProjectionsTest, NodeLabelsBuiltFromAVectorMatchDecodedOnes) {
  Node decoded = ProjectText(PoolNode(4));
  NodeLabels built(Labels{{InternedString("kubernetes.io/os"), InternedString("linux")},
                          {InternedString("kubernetes.io/hostname"), InternedString("10.0.0.4")},
                          {InternedString("topology.kubernetes.io/zone"), InternedString("AD-1")},
                          {InternedString("node.kubernetes.io/instance-type"), InternedString("VM.Standard.E4.Flex")}});
  EXPECT_TRUE(built == decoded.labels);
  EXPECT_TRUE(built.shared().SharesStorageWith(decoded.labels.shared()));
  EXPECT_EQ(built.ToVector(), decoded.labels.ToVector());
  NodeLabels other_host(Labels{{InternedString("kubernetes.io/hostname"), InternedString("10.0.0.9")}});
  EXPECT_FALSE(other_host == built);
  EXPECT_TRUE(NodeLabels() == NodeLabels(Labels{}));
}

TEST(ProjectionsTest, SharedListsAreFreedWithTheirLastHolder) {
  const size_t before = SharedListPoolBytes();
  {
    SharedList<Taint> a{Taint{InternedString("only-in-this-test"), InternedString("v"), InternedString("NoExecute")}};
    size_t with_one = SharedListPoolBytes();
    EXPECT_GT(with_one, before);
    SharedList<Taint> b = a;
    SharedList<Taint> c{Taint{InternedString("only-in-this-test"), InternedString("v"), InternedString("NoExecute")}};
    EXPECT_TRUE(c.SharesStorageWith(a));
    EXPECT_EQ(SharedListPoolBytes(), with_one);
    c.push_back(Taint{InternedString("second"), InternedString(""), InternedString("NoSchedule")});
    EXPECT_EQ(c.size(), 2u);
    EXPECT_EQ(a.size(), 1u);  // copy-on-write: the shared list is untouched
    EXPECT_FALSE(c == a);
    EXPECT_TRUE(b == a);
  }
  EXPECT_EQ(SharedListPoolBytes(), before);
}

TEST(ProjectionsTest, SharedListsInternSafelyAcrossThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  const SharedList<NodeCondition> reference{NodeCondition{InternedString("ThreadTest"), InternedString("True")}};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        SharedList<NodeCondition> mine{NodeCondition{InternedString("ThreadTest"), InternedString("True")}};
        SharedList<NodeCondition> churn{NodeCondition{InternedString("Churn" + std::to_string(t)),
                                                      InternedString(std::to_string(i % 3))}};
        if (!mine.SharesStorageWith(reference) || churn[0].status != std::to_string(i % 3)) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(reference[0].type, "ThreadTest");
}

TEST(CompactIdsTest, UidKeepsCanonicalUuidsAsBytesAndReadsBackAnyText) {
  Uid u("0f9e7a6c-1111-4222-8333-944455556666");
  EXPECT_TRUE(u.IsBinary());
  EXPECT_EQ(u.str(), "0f9e7a6c-1111-4222-8333-944455556666");
  EXPECT_TRUE(u == Uid("0f9e7a6c-1111-4222-8333-944455556666"));
  EXPECT_FALSE(u == Uid("0f9e7a6c-1111-4222-8333-944455556667"));
  for (std::string text : {"u1", "0F9E7A6C-1111-4222-8333-944455556666", "0f9e7a6c-1111-4222-8333-94445555666x",
                           "00000000-0000-0000-0000-000000000000", "0f9e7a6c+1111-4222-8333-944455556666"}) {
    Uid t(text);
    EXPECT_FALSE(t.IsBinary()) << text;
    EXPECT_EQ(t.str(), text);
    EXPECT_FALSE(t == u);
  }
  Uid empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.str(), "");
  std::string as_string = u;  // callers pass it where a uid string is expected
  EXPECT_EQ(as_string, u.str());
}

TEST(CompactIdsTest, ResourceVersionKeepsDecimalsAsIntegersAndReadsBackAnyText) {
  ResourceVersion v("123456789");
  EXPECT_TRUE(v.IsNumeric());
  EXPECT_EQ(v.str(), "123456789");
  EXPECT_FALSE(v == ResourceVersion("123456788"));
  for (std::string text : {"0", "007", "abc", "12a", "99999999999999999999"}) {
    ResourceVersion t(text);
    EXPECT_FALSE(t.IsNumeric()) << text;
    EXPECT_EQ(t.str(), text);
  }
  EXPECT_TRUE(ResourceVersion().empty());
  EXPECT_TRUE(ResourceVersion("") == ResourceVersion());
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
    EXPECT_GT(InternedString::PoolBytes(), 0u);
    InternedString c = a;
    InternedString d = std::move(b);
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(d, "some-unique-value-for-this-test");
  }
  EXPECT_EQ(InternedString::PoolEntries(), before);
}

TEST(InternedStringTest, PoolFindsSurvivorsAfterGrowthAndRemovals) {
  const size_t before = InternedString::PoolEntries();
  std::vector<InternedString> held;
  for (int i = 0; i < 5000; ++i) held.emplace_back("pool-growth-" + std::to_string(i));
  EXPECT_EQ(InternedString::PoolEntries(), before + 5000);
  std::vector<InternedString> odd;
  for (int i = 1; i < 5000; i += 2) odd.push_back(held[i]);
  held.clear();  // frees the even ones: removal must not break the probe chains of the rest
  EXPECT_EQ(InternedString::PoolEntries(), before + 2500);
  for (int i = 1; i < 5000; i += 2) {
    InternedString again("pool-growth-" + std::to_string(i));
    ASSERT_EQ(again.view().data(), odd[i / 2].view().data()) << i;
  }
  odd.clear();
  EXPECT_EQ(InternedString::PoolEntries(), before);
}

TEST(InternedStringTest, ConcurrentInternAndReleaseKeepOneCopy) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  InternedString anchor("concurrent-anchor");
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) {
        InternedString a("concurrent-" + std::to_string(i % 50));
        InternedString b("concurrent-anchor");
        if (a.view() != "concurrent-" + std::to_string(i % 50) || b.view().data() != anchor.view().data()) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace ccm::kube
