#include "pkg/cloud/reservedip/desired_target.h"

#include <gtest/gtest.h>

#include "pkg/cloud/reservedip/reservedip_reasons.h"

namespace ccm::cloud::reservedip {
namespace {

const char kProvider[] = "oci://ocid1.instance.oc1.phx.node1";

PodRef Pod(std::string ip = "10.0.10.5") {
  return {.namespace_ = "ns",
          .name = "web-0",
          .uid = "u1",
          .pod_ip = std::move(ip),
          .node_name = "node1"};
}

TEST(DesiredTargetTest, Table) {
  ReservedIPSpec none;
  ReservedIPSpec by_id{.private_ip_id = "ocid1.privateip.oc1.phx.x"};
  ReservedIPSpec by_pod{.pod_name = "web-0"};
  PodRef running = Pod();
  PodRef pending = Pod("");
  PodRef host = Pod();
  host.host_network = true;
  PodRef deleting = Pod();
  deleting.deleting = true;

  struct Row {
    const char* name;
    const ReservedIPSpec* spec;
    const PodRef* pod;
    std::string provider;
    std::string want_reason;  // "" = a target
    Target::Kind want_kind;
  };
  const Row rows[] = {
      {"no assignment", &none, nullptr, "", "", Target::Kind::kNone},
      {"private IP given", &by_id, nullptr, "", "", Target::Kind::kPrivateIpId},
      {"pod running", &by_pod, &running, kProvider, "", Target::Kind::kPodAddress},
      {"pod missing", &by_pod, nullptr, kProvider, reason::kPodNotFound, Target::Kind::kNone},
      {"pod deleting", &by_pod, &deleting, kProvider, reason::kPodNotFound, Target::Kind::kNone},
      {"pod pending", &by_pod, &pending, kProvider, reason::kPodHasNoIP, Target::Kind::kNone},
      {"host network", &by_pod, &host, kProvider, reason::kHostNetworkUnsupported,
       Target::Kind::kNone},
      {"node unknown", &by_pod, &running, "", reason::kNodeNotFound, Target::Kind::kNone},
      {"node not OCI", &by_pod, &running, "aws:///i-1", reason::kNodeNotFound, Target::Kind::kNone},
  };
  for (const auto& row : rows) {
    auto t = DesiredTarget(*row.spec, row.pod, row.provider);
    if (row.want_reason.empty()) {
      ASSERT_TRUE(t) << row.name << ": " << t.error().message;
      EXPECT_EQ(t->kind, row.want_kind) << row.name;
    } else {
      ASSERT_FALSE(t) << row.name;
      EXPECT_EQ(t.error().reason, row.want_reason) << row.name;
    }
  }
  auto t = DesiredTarget(by_pod, &running, kProvider);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->address, "10.0.10.5");
  EXPECT_EQ(t->instance_id, "ocid1.instance.oc1.phx.node1");
  EXPECT_EQ(t->pod_uid, "u1");
}

}  // namespace
}  // namespace ccm::cloud::reservedip
