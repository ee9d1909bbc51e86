#include "pkg/cloud/nodecontroller/cloud_node_controller.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test/mocks/fake_compute_api.h"
#include "test/mocks/fake_rest_client.h"
#include "test/mocks/simulated_clock.h"
#include "test/pkg/cloud/nodecontroller/node_test_util.h"

namespace ccm::cloud::nodecontroller {
namespace {

using namespace testing;  // NOLINT
using ccm::testing::FakeComputeApi;
using ccm::testing::FakeRequest;
using ccm::testing::FakeRestClient;
using ccm::testing::SimulatedClock;

const std::string kId = "ocid1.instance.oc1.phx.one";
const std::string kNode = "/api/v1/nodes/node-1";

class CloudNodeControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    compute_.PutInstance(MakeInstance(kId, "node-1"));
    compute_.AttachVnic(kId, PrimaryVnic("ocid1.vnic.one", "10.0.0.5", "129.1.2.3"));
  }
  void TearDown() override {
    if (controller_) controller_->Stop();
    informer_.Stop();
  }

  void StartInformer() {
    controller_ = std::make_unique<CloudNodeController>(
        kube_, informer_, instances_, clock_,
        CloudNodeControllerOptions{.node_status_update_frequency = std::chrono::minutes(5), .workers = 1,
                                   .recorder = &events_});
    informer_.Start();
    ASSERT_TRUE(informer_.WaitForSync(std::chrono::seconds(10)));
  }

  json::Document Stored(const std::string& path = kNode) {
    auto text = kube_.Object(path);
    EXPECT_TRUE(text.has_value());
    return std::move(*json::Parse(text.value_or("{}"), "node"));
  }

  bool CachedAddressesAre(const std::string& name, const std::string& internal_ip) {
    auto n = informer_.store().Get(name);
    if (n == nullptr) return false;
    return std::any_of(n->addresses.begin(), n->addresses.end(),
                       [&](const kube::NodeAddress& a) { return a.type == "InternalIP" && a.address == internal_ip; });
  }

  SimulatedClock clock_;
  FakeRestClient kube_{clock_};
  FakeComputeApi compute_;
  instances::Instances instances_{compute_, clock_, {.compartment_id = kCompartment, .region = ""}};
  kube::Informer<kube::Node> informer_{kube_, {.name = "nodes", .path = "/api/v1/nodes"}, kube::ProjectNode,
                                       Clock::Real()};
  CollectingRecorder events_;
  std::unique_ptr<CloudNodeController> controller_;
};

TEST_F(CloudNodeControllerTest, InitializesAnUninitializedNode) {
  ASSERT_TRUE(kube_.Seed(kNode, NodeJson("node-1", "", "False", {kUninitializedTaint, kNotReadyTaint})));
  StartInformer();
  Status s = controller_->SyncNode("node-1").status;
  ASSERT_TRUE(s) << s.error().ToString();

  json::Document node = Stored();
  EXPECT_EQ(StringAt(node, {"spec", "providerID"}), "oci://" + kId);
  EXPECT_EQ(StringAt(node, {"metadata", "labels", "topology.kubernetes.io/zone"}), "PHX-AD-1");
  EXPECT_EQ(StringAt(node, {"metadata", "labels", "topology.kubernetes.io/region"}), "us-phoenix-1");
  EXPECT_EQ(StringAt(node, {"metadata", "labels", "node.kubernetes.io/instance-type"}), "VM.Standard.E4.Flex");
  EXPECT_EQ(StringAt(node, {"metadata", "labels", "oci.oraclecloud.com/fault-domain"}), "FAULT-DOMAIN-2");
  EXPECT_EQ(StringAt(node, {"metadata", "labels", "kubernetes.io/hostname"}), "node-1");  // kept
  // The uninitialized taint is gone; the others are kept whole (timeAdded included).
  EXPECT_EQ(TaintKeys(node), std::vector<std::string>{"node.kubernetes.io/not-ready"});
  EXPECT_EQ(StringAt((*Path(node, {"spec", "taints"}))[0], {"timeAdded"}), "2024-01-01T00:00:00Z");
  const json::Value* addresses = Path(node, {"status", "addresses"});
  ASSERT_NE(addresses, nullptr);
  ASSERT_EQ(addresses->Size(), 3u);
  EXPECT_EQ(StringAt((*addresses)[0], {"address"}), "10.0.0.5");
  EXPECT_EQ(StringAt((*addresses)[0], {"type"}), "InternalIP");
  EXPECT_EQ(StringAt((*addresses)[1], {"address"}), "129.1.2.3");
  EXPECT_EQ(StringAt((*addresses)[2], {"address"}), "node-1");
  EXPECT_EQ(events_.Count("Synced"), 1);
  EXPECT_EQ(controller_->initialized(), 1);
}

TEST_F(CloudNodeControllerTest, KeepsAProviderIdTheKubeletSet) {
  ASSERT_TRUE(kube_.Seed(kNode, NodeJson("node-1", kId, "True", {kUninitializedTaint})));
  StartInformer();
  ASSERT_TRUE(controller_->SyncNode("node-1").ok());
  json::Document node = Stored();
  EXPECT_EQ(StringAt(node, {"spec", "providerID"}), kId);
  EXPECT_TRUE(TaintKeys(node).empty());
}

TEST_F(CloudNodeControllerTest, FailuresKeepTheTaintAndBecomeEvents) {
  ASSERT_TRUE(kube_.Seed(kNode, NodeJson("node-1", "", "False", {kUninitializedTaint})));
  compute_.SetError("ListInstances", FakeComputeApi::HttpError(401, "NotAuthenticated"));
  StartInformer();
  kube::SyncOutcome outcome = controller_->SyncNode("node-1");
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status.error().kind, ErrorKind::kUnauthenticated);
  // Retried on the queue's per-node backoff, and counted as an error of this reason.
  EXPECT_EQ(outcome.requeue, kube::Requeue::kRateLimited);
  EXPECT_EQ(outcome.reason, "InitializationFailed");
  EXPECT_EQ(TaintKeys(Stored()), std::vector<std::string>{"node.cloudprovider.kubernetes.io/uninitialized"});
  EXPECT_EQ(StringAt(Stored(), {"spec", "providerID"}), "");
  auto events = events_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, kube::EventType::kWarning);
  EXPECT_EQ(events[0].reason, "InitializationFailed");
  EXPECT_NE(events[0].message.find("NotAuthenticated"), std::string::npos) << events[0].message;
}

TEST_F(CloudNodeControllerTest, TerminatedInstanceIsNotInitialized) {
  compute_.SetLifecycleState(kId, "TERMINATED");
  ASSERT_TRUE(kube_.Seed(kNode, NodeJson("node-1", "oci://" + kId, "False", {kUninitializedTaint})));
  StartInformer();
  ASSERT_FALSE(controller_->SyncNode("node-1").ok());
  EXPECT_EQ(TaintKeys(Stored()).size(), 1u);
}

TEST_F(CloudNodeControllerTest, ConflictingWriterIsReReadNotOverwritten) {
  ASSERT_TRUE(kube_.Seed(kNode, NodeJson("node-1", "", "False", {kUninitializedTaint})));
  StartInformer();
  bool raced = false;
  kube_.SetReactor([&](const FakeRequest& r) -> std::optional<Error> {
    if (r.method == "PATCH" && r.path == kNode && r.body.find("taints") != std::string::npos && !raced) {
      raced = true;
      // Another controller adds a taint between our GET and our PATCH.
      auto other = kube_.Patch(kNode, kube::PatchType::kMerge,
                               R"({"spec":{"taints":[)" + kUninitializedTaint +
                                   R"(,{"key":"example.com/maintenance","effect":"NoSchedule"}]}})");
      EXPECT_TRUE(other);
    }
    return std::nullopt;
  });
  Status s = controller_->SyncNode("node-1").status;
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_TRUE(raced);
  EXPECT_EQ(TaintKeys(Stored()), std::vector<std::string>{"example.com/maintenance"});
  EXPECT_EQ(StringAt(Stored(), {"spec", "providerID"}), "oci://" + kId);
  EXPECT_EQ(kube_.CountRequests("GET", kNode), 2);  // read again after the 409
}

TEST_F(CloudNodeControllerTest, WorkersRetryWithBackoffUntilOciAnswers) {
  ASSERT_TRUE(kube_.Seed(kNode, NodeJson("node-1", "oci://" + kId, "False", {kUninitializedTaint})));
  compute_.SetError("GetInstance", FakeComputeApi::HttpError(500, "InternalServerError"));
  StartInformer();
  controller_->Start();
  ASSERT_TRUE(Eventually([&] { return events_.Count("InitializationFailed") >= 1; }));
  EXPECT_EQ(TaintKeys(Stored()).size(), 1u);
  compute_.ClearError("GetInstance");
  ASSERT_TRUE(Eventually([&] {
    clock_.Advance(std::chrono::milliseconds(500));
    return controller_->initialized() == 1;
  }));
  EXPECT_TRUE(TaintKeys(Stored()).empty());
  EXPECT_GE(compute_.Calls("GetInstance"), 2);
}

TEST_F(CloudNodeControllerTest, NewTaintedNodesAreInitializedByTheWorkers) {
  StartInformer();
  controller_->Start();
  ASSERT_TRUE(kube_.Create("/api/v1/nodes", NodeJson("node-1", "", "False", {kUninitializedTaint})));
  ASSERT_TRUE(Eventually([&] { return controller_->initialized() == 1; }));
  EXPECT_TRUE(TaintKeys(Stored()).empty());
}

TEST_F(CloudNodeControllerTest, RefreshPatchesAddressesOnlyWhenTheyDiffer) {
  ASSERT_TRUE(kube_.Seed(kNode, NodeJson("node-1", "oci://" + kId, "True", {},
                                         R"([{"type":"InternalIP","address":"10.0.0.99"}])")));
  // Not ours to refresh: no OCI providerID, or still uninitialized.
  ASSERT_TRUE(kube_.Seed("/api/v1/nodes/foreign", NodeJson("foreign", "", "True", {})));
  ASSERT_TRUE(kube_.Seed("/api/v1/nodes/pending", NodeJson("pending", "oci://" + kId, "True", {kUninitializedTaint})));
  StartInformer();
  kube_.ClearRequests();
  controller_->UpdateNodeStatuses();
  EXPECT_EQ(kube_.CountRequests("PATCH"), 1);
  EXPECT_EQ(kube_.CountRequests("PATCH", kNode), 1);
  EXPECT_EQ(StringAt((*Path(Stored(), {"status", "addresses"}))[0], {"address"}), "10.0.0.5");
  ASSERT_TRUE(Eventually([&] { return CachedAddressesAre("node-1", "10.0.0.5"); }));
  controller_->UpdateNodeStatuses();
  EXPECT_EQ(kube_.CountRequests("PATCH"), 1);
}

TEST_F(CloudNodeControllerTest, RefreshLoopRunsEveryStatusUpdateFrequency) {
  ASSERT_TRUE(kube_.Seed(kNode, NodeJson("node-1", "oci://" + kId, "True", {},
                                         R"([{"type":"InternalIP","address":"10.0.0.99"}])")));
  StartInformer();
  controller_->Start();
  ASSERT_TRUE(Eventually([&] { return clock_.waiters() > 0; }));
  clock_.Advance(std::chrono::minutes(4));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(kube_.CountRequests("PATCH", kNode), 0);
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(Eventually([&] { return kube_.CountRequests("PATCH", kNode) == 1; }));
}

}  // namespace
}  // namespace ccm::cloud::nodecontroller
