#include "pkg/cloud/registrar/node_eligibility.h"

#include <gtest/gtest.h>

#include <string>

#include "pkg/base/json.h"

namespace ccm::cloud::registrar {
namespace {

// A node as the informer projects it. `metadata`, `spec` and `status` are extra members.
kube::Node MakeNode(const std::string& metadata, const std::string& spec, const std::string& status) {
  std::string j = R"({"metadata":{"name":"n1","uid":"u1")" + metadata + R"(},"spec":{"providerID":"oci://x")" +
                  spec + R"(},"status":{"nodeInfo":{})" + status + "}}";
  auto doc = json::Parse(j, "node");
  EXPECT_TRUE(doc) << j;
  auto node = kube::ProjectNode(*doc);
  EXPECT_TRUE(node) << node.error().ToString();
  return *node;
}

constexpr char kAddresses[] =
    R"(,"addresses":[{"type":"Hostname","address":"n1"},{"type":"InternalIP","address":"10.0.0.5"}])";

TEST(NodeEligibilityTest, AnInitializedNodeWithAnInternalIpIsEligible) {
  EXPECT_EQ(NodeIneligibility(MakeNode("", "", kAddresses)), Ineligible::kNone);
}

// As upstream's service controller (KEP-3458): the load balancer's health check, not the
// registrar, handles NotReady and cordoned nodes.
TEST(NodeEligibilityTest, NotReadyAndCordonedNodesStay) {
  auto not_ready = MakeNode("", "", std::string(kAddresses) + R"(,"conditions":[{"type":"Ready","status":"False"}])");
  EXPECT_EQ(not_ready.ConditionStatus("Ready"), "False");
  EXPECT_EQ(NodeIneligibility(not_ready), Ineligible::kNone);
  auto cordoned = MakeNode("", R"(,"unschedulable":true)", kAddresses);
  EXPECT_TRUE(cordoned.unschedulable);
  EXPECT_EQ(NodeIneligibility(cordoned), Ineligible::kNone);
}

TEST(NodeEligibilityTest, EachExclusion) {
  const std::string exclude = R"(,"labels":{"node.kubernetes.io/exclude-from-external-load-balancers":)";
  struct Case {
    const char* name;
    std::string metadata, spec, status;
    Ineligible want;
  } cases[] = {
      {"exclude label", exclude + R"("true"})", "", kAddresses, Ineligible::kExcludedByLabel},
      {"exclude label false", exclude + R"("false"})", "", kAddresses, Ineligible::kExcludedByLabel},
      {"exclude label empty", exclude + R"(""})", "", kAddresses, Ineligible::kExcludedByLabel},
      {"deleting", R"(,"deletionTimestamp":"2024-01-01T00:00:00Z")", "", kAddresses, Ineligible::kDeleting},
      {"autoscaler", "", R"(,"taints":[{"key":"ToBeDeletedByClusterAutoscaler","value":"1","effect":"NoSchedule"}])",
       kAddresses, Ineligible::kToBeDeleted},
      {"uninitialized", "",
       R"(,"taints":[{"key":"node.cloudprovider.kubernetes.io/uninitialized","value":"true","effect":"NoSchedule"}])",
       kAddresses, Ineligible::kUninitialized},
      {"no addresses", "", "", "", Ineligible::kNoInternalIP},
      {"external ip only", "", "", R"(,"addresses":[{"type":"ExternalIP","address":"129.1.2.3"}])",
       Ineligible::kNoInternalIP},
  };
  for (const auto& c : cases) EXPECT_EQ(NodeIneligibility(MakeNode(c.metadata, c.spec, c.status)), c.want) << c.name;
}

TEST(NodeEligibilityTest, OtherTaintsAndLabelsDoNotExclude) {
  auto node = MakeNode(R"(,"labels":{"node.kubernetes.io/exclude-from-external-load-balancer":"true"})",
                       R"(,"taints":[{"key":"node.kubernetes.io/unreachable","effect":"NoExecute"}])", kAddresses);
  EXPECT_EQ(NodeIneligibility(node), Ineligible::kNone);
}

TEST(NodeEligibilityTest, TheLabelComesFirstThenDeletionThenTaintsThenTheAddress) {
  const std::string label = R"(,"labels":{"node.kubernetes.io/exclude-from-external-load-balancers":"true"})";
  const std::string deleting = R"(,"deletionTimestamp":"2024-01-01T00:00:00Z")";
  const std::string taint = R"(,"taints":[{"key":"ToBeDeletedByClusterAutoscaler","effect":"NoSchedule"}])";
  EXPECT_EQ(NodeIneligibility(MakeNode(label + deleting, taint, "")), Ineligible::kExcludedByLabel);
  EXPECT_EQ(NodeIneligibility(MakeNode(deleting, taint, "")), Ineligible::kDeleting);
  EXPECT_EQ(NodeIneligibility(MakeNode("", taint, "")), Ineligible::kToBeDeleted);
}

TEST(NodeEligibilityTest, SelectorsNeedEveryPairExactly) {
  auto node = MakeNode(R"(,"labels":{"role":"web","zone":"ad-1"})", "", kAddresses);
  EXPECT_TRUE(MatchesSelector(node, {}));
  EXPECT_TRUE(MatchesSelector(node, {{"role", "web"}}));
  EXPECT_TRUE(MatchesSelector(node, {{"role", "web"}, {"zone", "ad-1"}}));
  EXPECT_FALSE(MatchesSelector(node, {{"role", "web"}, {"zone", "ad-2"}}));
  EXPECT_FALSE(MatchesSelector(node, {{"role", "we"}}));
  EXPECT_FALSE(MatchesSelector(node, {{"tier", "web"}}));
  EXPECT_FALSE(MatchesSelector(node, {{"role", ""}}));
}

TEST(NodeEligibilityTest, InternalIpIsTheFirstInternalAddress) {
  EXPECT_EQ(InternalIP(MakeNode("", "", kAddresses)), "10.0.0.5");
  auto two = MakeNode("", "",
                      R"(,"addresses":[{"type":"ExternalIP","address":"129.1.2.3"},)"
                      R"({"type":"InternalIP","address":"10.0.0.7"},{"type":"InternalIP","address":"10.0.0.8"}])");
  EXPECT_EQ(InternalIP(two), "10.0.0.7");
  EXPECT_EQ(InternalIP(MakeNode("", "", "")), "");
}

TEST(NodeEligibilityTest, InstanceOcidFromProviderId) {
  EXPECT_EQ(InstanceOcid("oci://ocid1.instance.oc1.phx.abc"), "ocid1.instance.oc1.phx.abc");
  EXPECT_EQ(InstanceOcid("ocid1.instance.oc1.phx.abc"), "ocid1.instance.oc1.phx.abc");
  EXPECT_EQ(InstanceOcid("aws:///us-east-1a/i-123"), "");
  EXPECT_EQ(InstanceOcid(""), "");
  EXPECT_EQ(InstanceOcid("oci://ocid1.vnic.oc1.phx.abc"), "");
  // Returned before the one OCID check (pkg/oci/ocid.h): as a network load balancer targetId
  // such a value makes OCI refuse the whole backend set write.
  EXPECT_EQ(InstanceOcid("oci://ocid1.instance.x"), "");
  EXPECT_EQ(InstanceOcid("oci://ocid1.instance.oc1.phx.abc\n"), "");
}

}  // namespace
}  // namespace ccm::cloud::registrar
