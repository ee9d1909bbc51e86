#include "pkg/cloud/nodecontroller/node_lifecycle_controller.h"

#include <gtest/gtest.h>

#include "test/mocks/fake_compute_api.h"
#include "test/mocks/fake_rest_client.h"
#include "test/mocks/simulated_clock.h"
#include "test/pkg/cloud/nodecontroller/node_test_util.h"

namespace ccm::cloud::nodecontroller {
namespace {

using namespace testing;  // NOLINT
using ccm::testing::FakeComputeApi;
using ccm::testing::FakeRestClient;
using ccm::testing::SimulatedClock;

std::string Id(int i) { return "ocid1.instance.oc1.phx.n" + std::to_string(i); }
std::string Path(const std::string& name) { return "/api/v1/nodes/" + name; }

class NodeLifecycleControllerTest : public ::testing::Test {
 protected:
  NodeLifecycleControllerTest() { Reset(50); }

  void Reset(int budget) {
    controller_ = std::make_unique<NodeLifecycleController>(
        kube_, store_, instances_, clock_,
        NodeLifecycleControllerOptions{.node_monitor_period = std::chrono::seconds(5), .recorder = &events_,
                                       .max_oci_calls_per_period = budget});
  }

  // Seeds the API and the cache with the same node, as an informer would.
  void AddNode(const std::string& name, const std::string& provider_id, const std::string& ready,
               const std::vector<std::string>& taints = {}) {
    ASSERT_TRUE(kube_.Seed(Path(name), NodeJson(name, provider_id, ready, taints)));
    Sync(name);
  }
  void Sync(const std::string& name) {
    auto text = kube_.Object(Path(name));
    if (!text) {
      store_.Remove(name);
      return;
    }
    auto doc = json::Parse(*text, "node");
    store_.Upsert(name, std::make_shared<kube::Node>(kube::ProjectNode(*doc).value()));
  }
  std::vector<std::string> Taints(const std::string& name) {
    return TaintKeys(*json::Parse(kube_.Object(Path(name)).value_or("{}"), "node"));
  }

  SimulatedClock clock_;
  FakeRestClient kube_{clock_};
  FakeComputeApi compute_;
  instances::Instances instances_{compute_, clock_,
                                  {.compartment_id = kCompartment, .region = "", .state_ttl = std::chrono::seconds(15)}};
  kube::Store<kube::Node> store_;
  CollectingRecorder events_;
  std::unique_ptr<NodeLifecycleController> controller_;
};

TEST_F(NodeLifecycleControllerTest, ReadyNodesCostNoOciCalls) {
  compute_.PutInstance(MakeInstance(Id(1), "a", "TERMINATED"));
  AddNode("a", "oci://" + Id(1), "True");
  controller_->MonitorNodes();
  EXPECT_EQ(compute_.TotalCalls(), 0);
  EXPECT_TRUE(kube_.Object(Path("a")).has_value());
}

TEST_F(NodeLifecycleControllerTest, NotReadyNodeOfTerminatedOrVanishedInstanceIsDeleted) {
  compute_.PutInstance(MakeInstance(Id(1), "a", "TERMINATED"));
  AddNode("a", "oci://" + Id(1), "False");
  AddNode("b", "oci://" + Id(2), "Unknown");  // no such instance; the listing confirms it
  auto stats = controller_->MonitorNodes();
  EXPECT_EQ(stats.deleted, 2);
  EXPECT_FALSE(kube_.Object(Path("a")).has_value());
  EXPECT_FALSE(kube_.Object(Path("b")).has_value());
  EXPECT_EQ(events_.Count("DeletingNode"), 2);
}

TEST_F(NodeLifecycleControllerTest, AmbiguousOrFailedLookupsNeverDelete) {
  compute_.PutInstance(MakeInstance(Id(1), "a"));
  AddNode("a", "oci://" + Id(1), "False");
  compute_.SetError("GetInstance", FakeComputeApi::NotFound("Instance"));
  for (int status : {401, 403, 404}) {
    compute_.SetError("ListInstances", FakeComputeApi::HttpError(status, "NotAuthorizedOrNotFound"));
    auto stats = controller_->MonitorNodes();
    EXPECT_EQ(stats.deleted, 0) << status;
    EXPECT_EQ(stats.errors, 1) << status;
    EXPECT_TRUE(kube_.Object(Path("a")).has_value()) << status;
  }
  compute_.ClearError("ListInstances");
  compute_.SetError("GetInstance", FakeComputeApi::HttpError(503, "ServiceUnavailable"));
  EXPECT_EQ(controller_->MonitorNodes().deleted, 0);
  EXPECT_TRUE(kube_.Object(Path("a")).has_value());
  EXPECT_EQ(kube_.CountRequests("DELETE"), 0);
}

TEST_F(NodeLifecycleControllerTest, StoppedInstanceTaintsAndRunningAgainUntaints) {
  compute_.PutInstance(MakeInstance(Id(1), "a", "STOPPED"));
  AddNode("a", "oci://" + Id(1), "False", {kNotReadyTaint});
  EXPECT_EQ(controller_->MonitorNodes().tainted, 1);
  EXPECT_EQ(Taints("a"), (std::vector<std::string>{"node.kubernetes.io/not-ready",
                                                   "node.cloudprovider.kubernetes.io/shutdown"}));
  Sync("a");
  EXPECT_EQ(controller_->MonitorNodes().tainted, 0);  // already tainted: no write
  EXPECT_EQ(kube_.CountRequests("PATCH"), 1);

  compute_.SetLifecycleState(Id(1), "RUNNING");
  clock_.Advance(std::chrono::seconds(16));  // past the state cache
  EXPECT_EQ(controller_->MonitorNodes().untainted, 1);
  EXPECT_EQ(Taints("a"), std::vector<std::string>{"node.kubernetes.io/not-ready"});
  EXPECT_TRUE(kube_.Object(Path("a")).has_value());
}

TEST_F(NodeLifecycleControllerTest, ReadyAgainRemovesTheShutdownTaintWithoutOci) {
  AddNode("a", "oci://" + Id(1), "True", {kShutdownTaint});
  EXPECT_EQ(controller_->MonitorNodes().untainted, 1);
  EXPECT_TRUE(Taints("a").empty());
  EXPECT_EQ(compute_.TotalCalls(), 0);
}

TEST_F(NodeLifecycleControllerTest, OciCallsPerPeriodAreBoundedRoundRobin) {
  Reset(2);
  for (int i = 0; i < 5; ++i) {
    compute_.PutInstance(MakeInstance(Id(i), "n" + std::to_string(i)));
    AddNode("n" + std::to_string(i), "oci://" + Id(i), "False");
  }
  auto first = controller_->MonitorNodes();
  EXPECT_EQ(compute_.Calls("GetInstance"), 2);
  EXPECT_EQ(first.deferred, 3);
  controller_->MonitorNodes();
  controller_->MonitorNodes();
  EXPECT_EQ(compute_.Calls("GetInstance"), 5);  // everyone checked once; the cache serves the rest
  EXPECT_EQ(controller_->last_pass().deferred, 0);
  EXPECT_EQ(instances_.calls().Calls("n4", "GetInstance"), 1u);
}

TEST_F(NodeLifecycleControllerTest, UninitializedNodesGetAGracePeriod) {
  AddNode("fresh", "", "False", {kUninitializedTaint});
  controller_->MonitorNodes();
  EXPECT_EQ(compute_.TotalCalls(), 0);
  clock_.Advance(std::chrono::seconds(61));
  controller_->MonitorNodes();
  EXPECT_GT(compute_.Calls("ListInstances"), 0);  // looked up by name now
  // No instance is named like it: unknown is not "gone".
  EXPECT_TRUE(kube_.Object(Path("fresh")).has_value());
}

TEST_F(NodeLifecycleControllerTest, LoopRunsEveryMonitorPeriod) {
  compute_.PutInstance(MakeInstance(Id(1), "a", "TERMINATED"));
  AddNode("keep", "", "True");
  controller_->Start();
  ASSERT_TRUE(Eventually([&] { return clock_.waiters() > 0; }));
  AddNode("a", "oci://" + Id(1), "False");
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_TRUE(kube_.Object(Path("a")).has_value());
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_TRUE(Eventually([&] { return !kube_.Object(Path("a")).has_value(); }));
  controller_->Stop();
}

}  // namespace
}  // namespace ccm::cloud::nodecontroller

namespace ccm::cloud::nodecontroller {
namespace {

// A pass is one sync for the shared metrics: an error when any node could not be checked.
TEST(NodeLifecycleOutcomeTest, APassWithFailedChecksIsAnError) {
  EXPECT_TRUE(NodeLifecycleController::OutcomeOf({.deleted = 1, .tainted = 2}).ok());
  kube::SyncOutcome failed = NodeLifecycleController::OutcomeOf({.deleted = 0, .tainted = 0, .untainted = 0,
                                                                 .deferred = 0, .errors = 3});
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.reason, "NodeCheckFailed");
  EXPECT_EQ(failed.requeue, kube::Requeue::kNo);  // the next pass comes on its period
  EXPECT_NE(failed.status.error().message.find("3 node(s)"), std::string::npos);
}

}  // namespace
}  // namespace ccm::cloud::nodecontroller
