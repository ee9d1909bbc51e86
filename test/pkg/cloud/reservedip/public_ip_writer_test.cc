#include "pkg/cloud/reservedip/public_ip_writer.h"

#include <gtest/gtest.h>

#include "pkg/cloud/reservedip/reservedip_reasons.h"
#include "test/mocks/fake_compute_api.h"
#include "test/mocks/fake_virtual_network_api.h"

namespace ccm::cloud::reservedip {
namespace {

constexpr char kCompartment[] = "ocid1.compartment.oc1..c";
constexpr char kInstance[] = "ocid1.instance.oc1.phx.node1";
constexpr char kSubnet[] = "ocid1.subnet.oc1.phx.pods";
constexpr char kPodIp1[] = "ocid1.privateip.oc1.phx.pod1";
constexpr char kPodIp2[] = "ocid1.privateip.oc1.phx.pod2";

class PublicIpWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    compute_.PutInstance(
        {.id = kInstance, .lifecycle_state = "RUNNING", .compartment_id = kCompartment});
    compute_.AttachVnic(kInstance, {.id = "ocid1.vnic.oc1.phx.primary",
                                    .is_primary = true,
                                    .private_ip = "10.0.0.2",
                                    .subnet_id = "ocid1.subnet.oc1.phx.nodes"});
    compute_.AttachVnic(
        kInstance,
        {.id = "ocid1.vnic.oc1.phx.pods", .private_ip = "10.0.10.2", .subnet_id = kSubnet});
    network_.PutSubnet({.id = kSubnet, .cidr_block = "10.0.10.0/24"});
    network_.PutSubnet({.id = "ocid1.subnet.oc1.phx.nodes", .cidr_block = "10.0.0.0/24"});
    network_.PutPrivateIp({.id = kPodIp1,
                           .ip_address = "10.0.10.5",
                           .subnet_id = kSubnet,
                           .vnic_id = "ocid1.vnic.oc1.phx.pods"});
    network_.PutPrivateIp({.id = kPodIp2,
                           .ip_address = "10.0.10.6",
                           .subnet_id = kSubnet,
                           .vnic_id = "ocid1.vnic.oc1.phx.pods"});
  }

  static Target PodTarget(const std::string& uid, const std::string& ip) {
    return {.kind = Target::Kind::kPodAddress,
            .address = ip,
            .instance_id = kInstance,
            .pod_name = "web-0",
            .pod_uid = uid};
  }

  ConvergeRequest Request(const ReservedIPSpec& spec, std::expected<Target, TargetProblem> target,
                          std::string known = "") {
    return {.key = "ns/rip",
            .uid = "uid-1",
            .spec = &spec,
            .known_public_ip_id = std::move(known),
            .target = std::move(target)};
  }

  testing::FakeVirtualNetworkApi network_;
  testing::FakeComputeApi compute_;
  PublicIpWriter writer_{network_, compute_, {.compartment_id = kCompartment}};
};

TEST_F(PublicIpWriterTest, AllocatesAndAssignsInOneCreateThenPollsWithoutWriting) {
  ReservedIPSpec spec{.tags = {{"owner", "team"}}, .pod_name = "web-0"};
  auto o = writer_.Converge(Request(spec, PodTarget("p1", "10.0.10.5")));
  ASSERT_TRUE(o.reason.empty()) << o.message;
  EXPECT_EQ(o.state, state::kAssigning);
  EXPECT_EQ(o.poll_after, std::chrono::milliseconds(200));
  ASSERT_TRUE(o.ip);
  EXPECT_EQ(o.ip->private_ip_id, kPodIp1);
  EXPECT_EQ(o.ip->freeform_tags.at(kTagUid), "uid-1");
  EXPECT_EQ(o.ip->freeform_tags.at("owner"), "team");
  EXPECT_EQ(network_.Writes(), 1);

  auto again = writer_.Converge(Request(spec, PodTarget("p1", "10.0.10.5"), o.ip->id));
  EXPECT_EQ(again.state, state::kAssigning);
  EXPECT_EQ(again.poll_after, std::chrono::milliseconds(400));  // doubling while OCI works
  EXPECT_EQ(network_.Writes(), 1);

  network_.Settle();
  auto done = writer_.Converge(Request(spec, PodTarget("p1", "10.0.10.5"), o.ip->id));
  EXPECT_EQ(done.state, state::kAssigned);
  EXPECT_EQ(done.poll_after, Clock::Duration::zero());
  EXPECT_EQ(network_.Writes(), 1);
  // The pod's private IP is remembered: no more VNIC lookups while the pod stays.
  EXPECT_EQ(compute_.Calls("ListVnicAttachments"), 1);
}

TEST_F(PublicIpWriterTest, FollowsARecreatedPodAndRetriesASilentMoveFailure) {
  ReservedIPSpec spec{.pod_name = "web-0"};
  auto o = writer_.Converge(Request(spec, PodTarget("p1", "10.0.10.5")));
  network_.Settle();
  const std::string id = o.ip->id;
  ASSERT_EQ(writer_.Converge(Request(spec, PodTarget("p1", "10.0.10.5"), id)).state,
            state::kAssigned);

  auto moving = writer_.Converge(Request(spec, PodTarget("p2", "10.0.10.6"), id));
  EXPECT_EQ(moving.state, state::kReassigning);
  EXPECT_EQ(network_.Find(id)->private_ip_id, kPodIp2);
  network_.Settle(/*fail_assignments=*/true);  // OCI: back to AVAILABLE, unassigned

  auto retried = writer_.Converge(Request(spec, PodTarget("p2", "10.0.10.6"), id));
  ASSERT_FALSE(retried.events.empty());
  EXPECT_EQ(retried.events[0].reason, reason::kAssignmentFailed);
  EXPECT_TRUE(retried.events[0].warning);
  EXPECT_EQ(retried.state, state::kAssigning);
  network_.Settle();
  EXPECT_EQ(writer_.Converge(Request(spec, PodTarget("p2", "10.0.10.6"), id)).state,
            state::kAssigned);
  EXPECT_EQ(network_.Find(id)->private_ip_id, kPodIp2);
}

TEST_F(PublicIpWriterTest, ACrashBeforeTheStatusWriteFindsTheSameIpByItsUidTag) {
  ReservedIPSpec spec;
  auto first = writer_.Converge(Request(spec, Target{}));
  ASSERT_TRUE(first.ip);
  // A new process: nothing remembered, no status.publicIpId.
  PublicIpWriter restarted(network_, compute_, {.compartment_id = kCompartment});
  auto second = restarted.Converge(Request(spec, Target{}));
  ASSERT_TRUE(second.ip);
  EXPECT_EQ(second.ip->id, first.ip->id);
  EXPECT_EQ(network_.Calls("CreatePublicIp"), 1);
  EXPECT_EQ(network_.All().size(), 1u);
}

TEST_F(PublicIpWriterTest, TheRetryTokenIsDerivedFromTheUid) {
  EXPECT_EQ(PublicIpWriter::RetryTokenFor("u"), PublicIpWriter::RetryTokenFor("u"));
  EXPECT_NE(PublicIpWriter::RetryTokenFor("u"), PublicIpWriter::RetryTokenFor("v"));
  EXPECT_LE(PublicIpWriter::RetryTokenFor("0a6c7f7e-9a4e-4b7e-8f38-1c2d3e4f5a6b").size(), 64u);
}

TEST_F(PublicIpWriterTest, NothingIsCreatedForAPodThatCannotBeTargetedYet) {
  ReservedIPSpec spec{.pod_name = "web-0"};
  for (const char* r : {reason::kPodNotFound, reason::kPodHasNoIP, reason::kNodeNotFound}) {
    auto o = writer_.Converge(
        Request(spec, std::unexpected(TargetProblem{r, "spec.assignment.podName: ..."})));
    EXPECT_EQ(o.reason, r);
    EXPECT_FALSE(o.ip.has_value());
  }
  EXPECT_EQ(network_.Writes(), 0);
}

TEST_F(PublicIpWriterTest, UnassignsWhenTheAssignmentIsRemovedAndWhenThePodIsGone) {
  ReservedIPSpec with_pod{.pod_name = "web-0"};
  auto o = writer_.Converge(Request(with_pod, PodTarget("p1", "10.0.10.5")));
  network_.Settle();
  const std::string id = o.ip->id;
  auto gone = writer_.Converge(
      Request(with_pod, std::unexpected(TargetProblem{reason::kPodNotFound, "gone"}), id));
  EXPECT_EQ(gone.state, state::kUnassigning);
  EXPECT_EQ(gone.reason, reason::kPodNotFound);
  network_.Settle();
  auto allocated = writer_.Converge(
      Request(with_pod, std::unexpected(TargetProblem{reason::kPodNotFound, "gone"}), id));
  EXPECT_EQ(allocated.state, state::kAllocated);
  const int writes = network_.Writes();
  // A node not known yet changes nothing in OCI.
  auto back = writer_.Converge(Request(with_pod, PodTarget("p9", "10.0.10.5"), id));
  EXPECT_EQ(back.state, state::kAssigning);
  network_.Settle();
  auto unknown_node = writer_.Converge(
      Request(with_pod, std::unexpected(TargetProblem{reason::kNodeNotFound, "?"}), id));
  EXPECT_EQ(unknown_node.state, state::kAssigned);
  EXPECT_EQ(network_.Writes(), writes + 1);
}

TEST_F(PublicIpWriterTest, AdoptionRefusalsMakeNoWrite) {
  network_.PutPublicIp({.id = "ocid1.publicip.oc1.phx.eph",
                        .ip_address = "129.146.9.9",
                        .compartment_id = kCompartment,
                        .lifetime = "EPHEMERAL",
                        .lifecycle_state = "ASSIGNED",
                        .private_ip_id = kPodIp1});
  network_.PutPublicIp({.id = "ocid1.publicip.oc1.phx.res",
                        .ip_address = "129.146.9.10",
                        .compartment_id = kCompartment,
                        .lifetime = "RESERVED",
                        .lifecycle_state = "AVAILABLE"});
  network_.PutPool({.id = "ocid1.publicippool.oc1.phx.pool",
                    .compartment_id = kCompartment,
                    .cidr_blocks = {"192.0.2.0/24"}});
  struct Row {
    ReservedIPSpec spec;
    const char* reason;
  };
  const Row rows[] = {
      {{.address = "129.146.9.1"}, reason::kAddressNotFound},
      {{.address = "129.146.9.9"}, reason::kAddressNotReserved},
      {{.pool_id = "ocid1.publicippool.oc1.phx.pool", .address = "129.146.9.10"},
       reason::kAddressNotInPool},
      {{.pool_id = "ocid1.publicippool.oc1.phx.nope", .address = "129.146.9.10"},
       reason::kUnknownPool},
      {{.pool_id = "ocid1.publicippool.oc1.phx.nope"}, reason::kUnknownPool},
  };
  for (const auto& row : rows) {
    auto o = writer_.Converge(Request(row.spec, Target{}));
    EXPECT_EQ(o.reason, row.reason);
    EXPECT_FALSE(o.transient);
  }
  EXPECT_EQ(network_.Writes(), 0);
}

TEST_F(PublicIpWriterTest, AdoptedIpIsOnlyEverUnassignedNeverDeleted) {
  network_.PutPublicIp({.id = "ocid1.publicip.oc1.phx.res",
                        .ip_address = "129.146.9.10",
                        .compartment_id = kCompartment,
                        .lifetime = "RESERVED",
                        .lifecycle_state = "AVAILABLE"});
  ReservedIPSpec spec{.address = "129.146.9.10", .private_ip_id = kPodIp1};
  auto o = writer_.Converge(
      Request(spec, Target{.kind = Target::Kind::kPrivateIpId, .private_ip_id = kPodIp1}));
  ASSERT_EQ(o.state, state::kAssigning);
  EXPECT_FALSE(o.ours);
  network_.Settle();
  // Even with reclaimPolicy Delete: the IP was not created by this resource.
  ReleaseRequest release{.key = "ns/rip",
                         .uid = "uid-1",
                         .known_public_ip_id = "ocid1.publicip.oc1.phx.res",
                         .reclaim = ReclaimPolicy::kDelete};
  auto r1 = writer_.Release(release);
  EXPECT_EQ(r1.state, state::kUnassigning);
  EXPECT_FALSE(r1.released);
  network_.Settle();
  auto r2 = writer_.Release(release);
  EXPECT_TRUE(r2.released);
  EXPECT_EQ(network_.Calls("DeletePublicIp"), 0);
  EXPECT_EQ(network_.Find("ocid1.publicip.oc1.phx.res")->lifecycle_state, "AVAILABLE");
}

TEST_F(PublicIpWriterTest, DeleteReleasesWhatThisResourceCreated) {
  ReservedIPSpec spec;
  auto o = writer_.Converge(Request(spec, Target{}));
  network_.Settle();
  ReleaseRequest release{.key = "ns/rip", .uid = "uid-1", .known_public_ip_id = o.ip->id};
  auto r1 = writer_.Release(release);
  EXPECT_EQ(r1.state, state::kReleasing);
  EXPECT_FALSE(r1.released);
  auto r2 = writer_.Release(release);
  EXPECT_FALSE(r2.released);  // TERMINATING: poll
  network_.Settle();
  auto r3 = writer_.Release(release);
  EXPECT_TRUE(r3.released);
  EXPECT_EQ(network_.Calls("DeletePublicIp"), 1);
  ReleaseRequest retain = release;
  retain.reclaim = ReclaimPolicy::kRetain;
  EXPECT_TRUE(writer_.Release(retain).released);
}

TEST_F(PublicIpWriterTest, TakenPrivateIpAndPrivateSubnetAreUserProblems) {
  network_.PutPublicIp({.id = "ocid1.publicip.oc1.phx.other",
                        .ip_address = "129.146.9.11",
                        .compartment_id = kCompartment,
                        .lifetime = "RESERVED",
                        .lifecycle_state = "ASSIGNED",
                        .private_ip_id = kPodIp1});
  ReservedIPSpec spec{.pod_name = "web-0"};
  auto o = writer_.Converge(Request(spec, PodTarget("p1", "10.0.10.5")));
  EXPECT_EQ(o.reason, reason::kPrivateIpHasPublicIp);
  EXPECT_FALSE(o.transient);
  network_.PutSubnet(
      {.id = kSubnet, .cidr_block = "10.0.10.0/24", .prohibit_public_ip_on_vnic = true});
  PublicIpWriter fresh(network_, compute_, {.compartment_id = kCompartment});
  auto p = fresh.Converge(Request(spec, PodTarget("p2", "10.0.10.6")));
  EXPECT_EQ(p.reason, reason::kPrivateSubnet);
  EXPECT_EQ(network_.Calls("CreatePublicIp"), 1);  // only the refused one
}

TEST_F(PublicIpWriterTest, OciFailuresAreTransient) {
  network_.SetError("ListPublicIps",
                    testing::FakeVirtualNetworkApi::HttpError(503, "ServiceUnavailable"));
  ReservedIPSpec spec;
  auto o = writer_.Converge(Request(spec, Target{}));
  EXPECT_EQ(o.reason, reason::kOciError);
  EXPECT_TRUE(o.transient);
  EXPECT_EQ(network_.Writes(), 0);  // never create without knowing there is none yet
}

}  // namespace
}  // namespace ccm::cloud::reservedip
