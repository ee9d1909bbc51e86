#include "pkg/cloud/instances/instances.h"

#include <gtest/gtest.h>

#include "test/mocks/fake_compute_api.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::cloud::instances {
namespace {

using ccm::testing::FakeComputeApi;
using ccm::testing::SimulatedClock;

const std::string kCompartment = "ocid1.compartment.oc1..nodes";
const std::string kId = "ocid1.instance.oc1.phx.one";

oci::Instance MakeInstance(const std::string& id, const std::string& name, const std::string& state = "RUNNING") {
  return oci::Instance{.id = id, .display_name = name, .availability_domain = "Uocm:PHX-AD-1",
                       .fault_domain = "FAULT-DOMAIN-2", .region = "phx", .shape = "VM.Standard.E4.Flex",
                       .lifecycle_state = state, .compartment_id = kCompartment, .time_created = ""};
}

kube::Node MakeNode(const std::string& name, const std::string& provider_id = "",
                    std::vector<std::pair<std::string, std::string>> addresses = {}) {
  kube::Node n;
  n.name = name;
  n.uid = "uid-" + name;
  n.provider_id = provider_id;
  for (auto& [type, address] : addresses) n.addresses.push_back({kube::InternedString(type), address});
  return n;
}

class InstancesTest : public ::testing::Test {
 protected:
  InstancesTest() { Reset(InstancesOptions{.compartment_id = kCompartment, .region = ""}); }

  void Reset(InstancesOptions options) { instances_ = std::make_unique<Instances>(fake_, clock_, options); }

  // The instance with a secondary VNIC attached before its primary one.
  void AddInstance(const oci::Instance& instance, const std::string& private_ip, const std::string& public_ip = "") {
    fake_.PutInstance(instance);
    fake_.AttachVnic(instance.id, oci::Vnic{.id = "ocid1.vnic.secondary." + instance.id, .is_primary = false,
                                            .private_ip = "10.9.9.9", .public_ip = "", .hostname_label = "",
                                            .subnet_id = "s", .lifecycle_state = "AVAILABLE", .ipv6_addresses = {}});
    fake_.AttachVnic(instance.id, oci::Vnic{.id = "ocid1.vnic.primary." + instance.id, .is_primary = true,
                                            .private_ip = private_ip, .public_ip = public_ip,
                                            .hostname_label = instance.display_name + "-host", .subnet_id = "s",
                                            .lifecycle_state = "AVAILABLE", .ipv6_addresses = {}});
  }

  SimulatedClock clock_;
  FakeComputeApi fake_;
  std::unique_ptr<Instances> instances_;
};

TEST_F(InstancesTest, MetadataByProviderIdFromPrimaryVnic) {
  AddInstance(MakeInstance(kId, "node-1"), "10.0.0.5", "129.1.2.3");
  auto m = instances_->Metadata(MakeNode("node-1", "oci://" + kId));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->instance_id, kId);
  EXPECT_EQ(m->provider_id, "oci://" + kId);
  EXPECT_EQ(m->instance_type, "VM.Standard.E4.Flex");
  EXPECT_EQ(m->addresses, (std::vector<Address>{{"InternalIP", "10.0.0.5"}, {"ExternalIP", "129.1.2.3"},
                                                 {"Hostname", "node-1"}}));
  EXPECT_EQ(m->topology, (zones::Topology{"PHX-AD-1", "us-phoenix-1", "FAULT-DOMAIN-2"}));
  EXPECT_EQ(fake_.Calls("ListInstances"), 0);
}

TEST_F(InstancesTest, BareOcidProviderIdAndNoPublicIp) {
  AddInstance(MakeInstance(kId, "node-1"), "10.0.0.5");
  auto m = instances_->Metadata(MakeNode("node-1", kId));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->provider_id, "oci://" + kId);
  EXPECT_EQ(m->addresses, (std::vector<Address>{{"InternalIP", "10.0.0.5"}, {"Hostname", "node-1"}}));
}

TEST_F(InstancesTest, ForeignProviderIdIsAnError) {
  auto m = instances_->Metadata(MakeNode("node-1", "aws:///us-east-1a/i-1"));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(fake_.TotalCalls(), 0);
}

TEST_F(InstancesTest, FallsBackToTheSingleLiveInstanceNamedLikeTheNode) {
  AddInstance(MakeInstance("ocid1.instance.old", "node-1", "TERMINATED"), "10.0.0.4");
  AddInstance(MakeInstance(kId, "node-1"), "10.0.0.5");
  AddInstance(MakeInstance("ocid1.instance.other", "node-2"), "10.0.0.6");
  auto m = instances_->Metadata(MakeNode("node-1"));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->instance_id, kId);
  EXPECT_EQ(m->provider_id, "oci://" + kId);
  EXPECT_EQ(m->addresses.front().address, "10.0.0.5");
  EXPECT_EQ(fake_.Calls("ListInstances"), 1);
}

TEST_F(InstancesTest, TwoLiveInstancesWithTheNodeNameAreAmbiguous) {
  AddInstance(MakeInstance(kId, "node-1"), "10.0.0.5");
  AddInstance(MakeInstance("ocid1.instance.twin", "node-1", "STOPPED"), "10.0.0.7");
  auto m = instances_->Metadata(MakeNode("node-1"));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(m.error().message.find("2 live instances"), std::string::npos) << m.error().message;
}

TEST_F(InstancesTest, FallsBackToVnicPrivateIpEqualToNodeName) {
  AddInstance(MakeInstance(kId, "some-instance"), "10.0.0.5");
  AddInstance(MakeInstance("ocid1.instance.other", "other"), "10.0.0.6");
  auto m = instances_->Metadata(MakeNode("10.0.0.5"));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->instance_id, kId);
}

TEST_F(InstancesTest, FallsBackToVnicMatchingTheKubeletsInternalIp) {
  AddInstance(MakeInstance(kId, "some-instance"), "10.0.0.5");
  auto m = instances_->Metadata(MakeNode("worker-a", "", {{"InternalIP", "10.0.0.5"}}));
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(m->instance_id, kId);
  EXPECT_EQ(m->addresses.back(), (Address{"Hostname", "worker-a"}));
}

TEST_F(InstancesTest, NoMatchIsNotFoundAndNoCompartmentIsAConfigError) {
  AddInstance(MakeInstance(kId, "some-instance"), "10.0.0.5");
  auto m = instances_->Metadata(MakeNode("worker-z", "", {{"InternalIP", "10.1.1.1"}}));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::kNotFound);

  Reset(InstancesOptions{});
  auto no_compartment = instances_->Metadata(MakeNode("worker-z"));
  ASSERT_FALSE(no_compartment);
  EXPECT_EQ(no_compartment.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(no_compartment.error().message.find("compartment"), std::string::npos);
}

TEST_F(InstancesTest, MetadataIsCachedForItsTtlAndCallsAreCountedPerNode) {
  Reset(InstancesOptions{.compartment_id = kCompartment, .region = "", .metadata_ttl = std::chrono::seconds(60)});
  AddInstance(MakeInstance(kId, "node-1"), "10.0.0.5");
  kube::Node node = MakeNode("node-1", "oci://" + kId);
  ASSERT_TRUE(instances_->Metadata(node));
  int after_first = fake_.TotalCalls();
  EXPECT_EQ(after_first, 4);  // GetInstance, ListVnicAttachments, GetVnic x2
  EXPECT_EQ(instances_->calls().Calls("node-1"), 4u);
  EXPECT_EQ(instances_->calls().Calls("node-1", "GetVnic"), 2u);
  clock_.Advance(std::chrono::seconds(59));
  ASSERT_TRUE(instances_->Metadata(node));
  EXPECT_EQ(fake_.TotalCalls(), after_first);
  clock_.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(instances_->Metadata(node));
  EXPECT_EQ(fake_.TotalCalls(), 2 * after_first);
  EXPECT_EQ(instances_->calls().Calls("node-1"), 8u);
  instances_->Forget("node-1");
  EXPECT_EQ(instances_->calls().Calls("node-1"), 0u);
}

TEST_F(InstancesTest, ExistsAndShutdownFollowLifecycleState) {
  struct Case {
    const char* state;
    bool exists;
    bool shutdown;
  };
  for (Case c : {Case{"RUNNING", true, false}, Case{"PROVISIONING", true, false}, Case{"STARTING", true, false},
                 Case{"STOPPING", true, true}, Case{"STOPPED", true, true}, Case{"TERMINATING", false, false},
                 Case{"TERMINATED", false, false}}) {
    Reset(InstancesOptions{.compartment_id = kCompartment, .region = ""});
    fake_.PutInstance(MakeInstance(kId, "node-1", c.state));
    kube::Node node = MakeNode("node-1", "oci://" + kId);
    auto state = instances_->State(node);
    ASSERT_TRUE(state) << c.state << ": " << state.error().ToString();
    EXPECT_EQ(state->exists, c.exists) << c.state;
    EXPECT_EQ(state->shutdown, c.shutdown) << c.state;
    EXPECT_EQ(state->lifecycle_state, c.state);
    EXPECT_EQ(state->instance_id, kId);
  }
}

TEST_F(InstancesTest, ConfirmedAbsenceIsGone) {
  fake_.PutInstance(MakeInstance("ocid1.instance.neighbour", "n2"));
  auto state = instances_->State(MakeNode("node-1", "oci://" + kId));
  ASSERT_TRUE(state) << state.error().ToString();
  EXPECT_FALSE(state->exists);
  EXPECT_FALSE(state->shutdown) << "a gone instance is not shut down";
  EXPECT_EQ(state->lifecycle_state, "");
  EXPECT_EQ(state->instance_id, kId);
  EXPECT_EQ(fake_.Calls("ListInstances"), 1);
}

TEST_F(InstancesTest, A404WhoseConfirmationListFailsIsNeverGone) {
  for (int status : {401, 403, 404}) {
    Reset(InstancesOptions{.compartment_id = kCompartment, .region = ""});
    fake_.PutInstance(MakeInstance(kId, "node-1"));
    fake_.SetError("GetInstance", FakeComputeApi::NotFound("Instance " + kId));
    fake_.SetError("ListInstances", FakeComputeApi::HttpError(status, status == 404 ? "NotAuthorizedOrNotFound"
                                                                                     : "NotAuthenticated"));
    auto state = instances_->State(MakeNode("node-1", "oci://" + kId));
    ASSERT_FALSE(state) << status;
    EXPECT_NE(state.error().message.find("not treating it as deleted"), std::string::npos) << state.error().message;
    EXPECT_FALSE(instances_->State(MakeNode("node-1", "oci://" + kId))) << status << ": an error is not cached";
  }
}

TEST_F(InstancesTest, A404ForAListedInstanceTrustsTheListing) {
  fake_.PutInstance(MakeInstance(kId, "node-1", "STOPPED"));
  fake_.SetError("GetInstance", FakeComputeApi::NotFound("Instance " + kId));
  auto state = instances_->State(MakeNode("node-1", "oci://" + kId));
  ASSERT_TRUE(state) << state.error().ToString();
  EXPECT_TRUE(state->exists);
  EXPECT_TRUE(state->shutdown);
}

TEST_F(InstancesTest, OtherErrorsAreErrorsWithoutConfirmation) {
  fake_.SetError("GetInstance", FakeComputeApi::HttpError(500, "InternalServerError"));
  auto state = instances_->State(MakeNode("node-1", "oci://" + kId));
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(fake_.Calls("ListInstances"), 0);
}

TEST_F(InstancesTest, NoCompartmentToConfirmIsAnError) {
  Reset(InstancesOptions{});
  auto state = instances_->State(MakeNode("node-1", "oci://" + kId));
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(fake_.Calls("ListInstances"), 0);
}

TEST_F(InstancesTest, ConfirmationUsesTheCompartmentTheInstanceWasSeenIn) {
  Reset(InstancesOptions{});
  oci::Instance instance = MakeInstance(kId, "node-1");
  instance.compartment_id = "ocid1.compartment.elsewhere";
  fake_.PutInstance(instance);
  kube::Node node = MakeNode("node-1", "oci://" + kId);
  ASSERT_TRUE(instances_->State(node).value().exists);
  fake_.RemoveInstance(kId);
  clock_.Advance(std::chrono::minutes(1));
  auto state = instances_->State(node);
  ASSERT_TRUE(state) << state.error().ToString();
  EXPECT_FALSE(state->exists);
}

TEST_F(InstancesTest, StatesAreCachedButGoneIsNotAndBudgetsStopCalls) {
  Reset(InstancesOptions{.compartment_id = kCompartment, .region = "", .state_ttl = std::chrono::seconds(15)});
  fake_.PutInstance(MakeInstance(kId, "node-1"));
  kube::Node node = MakeNode("node-1", "oci://" + kId);
  int budget = 1;
  ASSERT_TRUE(instances_->State(node, &budget));
  EXPECT_EQ(budget, 0);
  ASSERT_TRUE(instances_->State(node, &budget));  // cached: costs nothing
  EXPECT_EQ(fake_.Calls("GetInstance"), 1);
  clock_.Advance(std::chrono::seconds(16));
  auto over = instances_->State(node, &budget);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().kind, ErrorKind::kTooManyRequests);
  EXPECT_EQ(fake_.Calls("GetInstance"), 1);

  fake_.RemoveInstance(kId);
  EXPECT_FALSE(instances_->State(node).value().exists);
  EXPECT_FALSE(instances_->State(node).value().exists);
  EXPECT_EQ(fake_.Calls("GetInstance"), 3);  // absence is re-confirmed, never served from cache
  EXPECT_EQ(fake_.Calls("ListInstances"), 2);
}

}  // namespace
}  // namespace ccm::cloud::instances
