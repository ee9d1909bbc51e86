#include "pkg/cloud/nodecontroller/node_patches.h"

#include <gtest/gtest.h>

#include "test/mocks/fake_rest_client.h"
#include "test/pkg/cloud/nodecontroller/node_test_util.h"

namespace ccm::cloud::nodecontroller {
namespace {

using namespace testing;  // NOLINT

json::Document Parse(const std::string& text) { return std::move(*json::Parse(text, "node")); }

TEST(NodePatchesTest, InitializationPatchIsMinimal) {
  auto node = Parse(NodeJson("n", "", "False", {kUninitializedTaint, kNotReadyTaint}));
  auto patch = InitializationPatch(node, "oci://x", {{"kubernetes.io/hostname", "n"}, {"a", "b"}});
  ASSERT_TRUE(patch.has_value());
  std::string body = json::Serialize(*patch);
  EXPECT_EQ(body.find("kubernetes.io/hostname"), std::string::npos) << body;  // already so
  EXPECT_NE(body.find(R"("a":"b")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("providerID":"oci://x")"), std::string::npos) << body;
  EXPECT_EQ(TaintKeys(*patch), std::vector<std::string>{"node.kubernetes.io/not-ready"});
  EXPECT_NE(body.find("timeAdded"), std::string::npos) << body;

  auto done = Parse(NodeJson("n", "oci://y", "False", {}));
  EXPECT_FALSE(InitializationPatch(done, "oci://x", {{"kubernetes.io/hostname", "n"}}).has_value());
}

TEST(NodePatchesTest, TaintPatchesAddOnceAndRemoveOnlyTheirKey) {
  auto node = Parse(NodeJson("n", "", "False", {kNotReadyTaint}));
  auto add = AddTaintPatch(node, "node.cloudprovider.kubernetes.io/shutdown", "NoSchedule");
  ASSERT_TRUE(add.has_value());
  EXPECT_EQ(TaintKeys(*add), (std::vector<std::string>{"node.kubernetes.io/not-ready",
                                                      "node.cloudprovider.kubernetes.io/shutdown"}));
  auto tainted = Parse(NodeJson("n", "", "False", {kNotReadyTaint, kShutdownTaint}));
  EXPECT_FALSE(AddTaintPatch(tainted, "node.cloudprovider.kubernetes.io/shutdown", "NoSchedule").has_value());
  auto remove = RemoveTaintPatch(tainted, "node.cloudprovider.kubernetes.io/shutdown");
  ASSERT_TRUE(remove.has_value());
  EXPECT_EQ(TaintKeys(*remove), std::vector<std::string>{"node.kubernetes.io/not-ready"});
  EXPECT_FALSE(RemoveTaintPatch(node, "node.cloudprovider.kubernetes.io/shutdown").has_value());
}

TEST(NodePatchesTest, GivesUpAfterMaxAttemptsOfConflicts) {
  ccm::testing::FakeRestClient kube{ccm::Clock::Real()};
  ASSERT_TRUE(kube.Seed("/api/v1/nodes/n", NodeJson("n", "", "False", {kShutdownTaint})));
  kube.SetReactor([&](const ccm::testing::FakeRequest& r) -> std::optional<Error> {
    if (r.method == "PATCH") return MakeError(ErrorKind::kConflict, "the object has been modified");
    return std::nullopt;
  });
  auto outcome = PatchNodeConflictSafe(
      kube, "n", [](const json::Value& n) -> Result<std::optional<json::Document>> {
        return RemoveTaintPatch(n, "node.cloudprovider.kubernetes.io/shutdown");
      },
      3);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(kube.CountRequests("PATCH"), 3);
  EXPECT_EQ(kube.CountRequests("GET"), 3);
  auto missing = PatchNodeConflictSafe(kube, "gone", [](const json::Value&) -> Result<std::optional<json::Document>> {
    return std::nullopt;
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST(NodePatchesTest, PatchCarriesTheReadResourceVersion) {
  ccm::testing::FakeRestClient kube{ccm::Clock::Real()};
  ASSERT_TRUE(kube.Seed("/api/v1/nodes/n", NodeJson("n", "", "False", {kShutdownTaint})));
  auto rv = StringAt(Parse(*kube.Object("/api/v1/nodes/n")), {"metadata", "resourceVersion"});
  ASSERT_FALSE(rv.empty());
  auto outcome = PatchNodeConflictSafe(kube, "n", [](const json::Value& n) -> Result<std::optional<json::Document>> {
    return RemoveTaintPatch(n, "node.cloudprovider.kubernetes.io/shutdown");
  });
  ASSERT_TRUE(outcome) << outcome.error().ToString();
  EXPECT_TRUE(outcome->patched);
  auto requests = kube.requests();
  ASSERT_EQ(requests.back().method, "PATCH");
  EXPECT_NE(requests.back().body.find(R"("resourceVersion":")" + rv + "\""), std::string::npos) << requests.back().body;
  EXPECT_TRUE(TaintKeys(Parse(*kube.Object("/api/v1/nodes/n"))).empty());
}

}  // namespace
}  // namespace ccm::cloud::nodecontroller
