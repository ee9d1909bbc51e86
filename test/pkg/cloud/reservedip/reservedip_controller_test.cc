#include "pkg/cloud/reservedip/reservedip_controller.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "pkg/cloud/reservedip/reservedip_reasons.h"
#include "test/mocks/collecting_event_recorder.h"
#include "test/mocks/fake_compute_api.h"
#include "test/mocks/fake_rest_client.h"
#include "test/mocks/fake_virtual_network_api.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::cloud::reservedip {
namespace {

using std::chrono::milliseconds;

constexpr char kCompartment[] = "ocid1.compartment.oc1..c";
const std::string kPath = "/apis/oci.k8s.logmein.com/v1alpha1/namespaces/ns/reservedips/";

bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return done();
}

std::string RipJson(const std::string& name, const std::string& spec) {
  return R"({"apiVersion":"oci.k8s.logmein.com/v1alpha1","kind":"ReservedIP","metadata":{"name":")" +
         name + R"(","namespace":"ns"},"spec":)" + spec + "}";
}

class ReservedIPControllerTest : public ::testing::Test {
 protected:
  ReservedIPControllerTest() {
    controller = std::make_unique<ReservedIPController>(
        kube, ReservedIPInformers{reservedips, pods, nodes}, network, compute, events, clock,
        ReservedIPOptions{.writer = {.compartment_id = kCompartment}});
    reservedips.Start();
    pods.Start();
    nodes.Start();
    EXPECT_TRUE(Eventually(
        [&] { return reservedips.HasSynced() && pods.HasSynced() && nodes.HasSynced(); }));
  }
  ~ReservedIPControllerTest() override {
    controller.reset();
    reservedips.Stop();
    pods.Stop();
    nodes.Stop();
  }

  void Seed(const std::string& name, const std::string& spec) {
    ASSERT_TRUE(kube.Seed(kPath + name, RipJson(name, spec)));
    ASSERT_TRUE(Eventually([&] { return reservedips.store().Get("ns/" + name) != nullptr; }));
  }
  // One run; then waits until the cache holds what the run wrote, as the next run would see it.
  kube::SyncOutcome Run(const std::string& name) {
    kube::SyncOutcome outcome = controller->Sync("ns/" + name);
    EXPECT_TRUE(Eventually([&] {
      auto stored = kube.Object(kPath + name);
      auto cached = reservedips.store().Get("ns/" + name);
      if (!stored) return cached == nullptr;
      auto doc = json::Parse(*stored, "stored");
      return cached != nullptr &&
             cached->resource_version == (*doc)["metadata"]["resourceVersion"].GetString();
    }));
    return outcome;
  }
  std::string StatusField(const std::string& name, const char* field) {
    auto doc = json::Parse(kube.Object(kPath + name).value_or("{}"), "rip");
    const json::Value* status = json::Find(*doc, "status");
    if (status == nullptr) return "";
    if (std::string(field) == "reason") return (*status)["conditions"][0]["reason"].GetString();
    return json::String(*status, field, "").value_or("");
  }

  testing::SimulatedClock clock;
  testing::FakeRestClient kube{clock};
  testing::FakeVirtualNetworkApi network;
  testing::FakeComputeApi compute;
  testing::CollectingRecorder events;
  kube::Informer<ReservedIPObject> reservedips{
      kube, {.name = "reservedips", .path = kReservedIPsPath}, ProjectReservedIP, Clock::Real()};
  kube::Informer<PodRef> pods{kube, {.name = "pods", .path = "/api/v1/pods"}, ProjectPod, Clock::Real()};
  kube::Informer<kube::Node> nodes{
      kube, {.name = "nodes", .path = "/api/v1/nodes"}, kube::ProjectNode, Clock::Real()};
  std::unique_ptr<ReservedIPController> controller;
};

TEST_F(ReservedIPControllerTest, BadSpecIsAConditionAndAWarningWithoutAnyOciCallOrRequeue) {
  Seed("bad", R"({"assignment":{"podName":"p","privateIpId":"ocid1.privateip.oc1.phx.x"}})");
  auto outcome = Run("bad");
  EXPECT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.reason, reason::kInvalidAssignment);
  EXPECT_EQ(outcome.requeue, kube::Requeue::kNo);
  EXPECT_EQ(StatusField("bad", "reason"), reason::kInvalidAssignment);
  EXPECT_EQ(network.Calls("ListPublicIps") + network.Writes(), 0);
  // No finalizer either: nothing to clean up.
  EXPECT_EQ(kube.Object(kPath + "bad")->find("finalizers"), std::string::npos);
  // A second run reports nothing new.
  (void)Run("bad");
  int warnings = 0;
  for (const auto& e : events.events()) warnings += e.reason == reason::kInvalidAssignment;
  EXPECT_EQ(warnings, 1);
}

TEST_F(ReservedIPControllerTest, FinalizerFirstThenAllocatePollingByTimerThenReleaseOnDelete) {
  Seed("rip", R"({"tags":{"owner":"team"}})");
  auto first = Run("rip");
  EXPECT_TRUE(first.ok());
  EXPECT_NE(kube.Object(kPath + "rip")->find(kFinalizer), std::string::npos);
  EXPECT_EQ(network.Writes(), 0);  // the finalizer lands before any OCI write

  auto second = Run("rip");
  EXPECT_TRUE(second.ok());
  EXPECT_EQ(second.requeue, kube::Requeue::kAfter);
  EXPECT_EQ(second.after, milliseconds(200));
  EXPECT_EQ(StatusField("rip", "state"), state::kAllocating);
  const std::string id = StatusField("rip", "publicIpId");
  ASSERT_FALSE(id.empty());

  network.Settle();
  auto third = Run("rip");
  EXPECT_EQ(third.requeue, kube::Requeue::kNo);
  EXPECT_EQ(StatusField("rip", "state"), state::kAllocated);
  EXPECT_EQ(StatusField("rip", "reason"), reason::kAllocated);
  EXPECT_EQ(network.Calls("CreatePublicIp"), 1);

  ASSERT_TRUE(kube.Delete(kPath + "rip"));
  ASSERT_TRUE(
      Eventually([&] { return !reservedips.store().Get("ns/rip")->deletion_timestamp.empty(); }));
  auto deleting = Run("rip");
  EXPECT_EQ(deleting.requeue, kube::Requeue::kAfter);
  EXPECT_EQ(StatusField("rip", "state"), state::kReleasing);
  network.Settle();
  (void)Run("rip");
  EXPECT_FALSE(kube.Object(kPath + "rip").has_value());
  EXPECT_EQ(network.Find(id)->lifecycle_state, oci::kPublicIpTerminated);
}

TEST_F(ReservedIPControllerTest, OciErrorsRetryOnTheQueueBackoffAndUserProblemsOnTheirOwnTimer) {
  Seed("rip", "{}");
  (void)Run("rip");
  network.SetError("ListPublicIps",
                   testing::FakeVirtualNetworkApi::HttpError(503, "ServiceUnavailable"));
  auto failed = Run("rip");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.reason, reason::kOciError);
  EXPECT_EQ(failed.requeue, kube::Requeue::kRateLimited);
  network.ClearError("ListPublicIps");

  Seed("pool", R"({"publicIPv4Pool":"ocid1.publicippool.oc1.phx.nope"})");
  (void)Run("pool");
  auto unknown = Run("pool");
  EXPECT_EQ(unknown.reason, reason::kUnknownPool);
  EXPECT_EQ(unknown.requeue, kube::Requeue::kAfter);
  EXPECT_EQ(unknown.after, std::chrono::seconds(30));
  EXPECT_EQ(network.Writes(), 0);
}

}  // namespace
}  // namespace ccm::cloud::reservedip
