// Taking over from the Go operator: a network load balancer's backend set holds the cluster's
// nodes registered by IP (as the Go operator leaves them). The controller, which registers
// nodes by instance OCID, must find them by IP and write nothing; with adoptExisting it owns
// them (a node that leaves is drained and removed), without it they are left alone.
// Real kube-apiserver + the OCI simulator, which refuses a second backend for one instance
// or IP at one port as OCI does.
#include "test/integration/cloud/registrar_env.h"

namespace ccm::itest {
namespace {

constexpr char kNlb[] = "ocid1.networkloadbalancer.oc1.phx.migrate";
constexpr char kSet[] = "tcp-30080";

class MigrationTest : public RegistrarE2E {
 protected:
  std::string N(const std::string& s) { return ns_ + "-" + s; }
  static std::string B(const std::string& id) { return id + ":30080"; }
  static std::string Instance(const std::string& node) { return "ocid1.instance.oc1.phx." + node; }

  // Nodes a, b, c at <prefix>.1-3, their instances in Compute, and the set as the Go operator
  // leaves it: one backend per node, by IP, weight 1.
  void SeedGoOperatorState(const std::string& prefix) {
    std::string instances, backends;
    for (int i = 1; i <= 3; ++i) {
      std::string node = N(std::string(1, static_cast<char>('a' + i - 1)));
      std::string ip = prefix + "." + std::to_string(i);
      CreateNode(node, ip);
      instances += std::string(i > 1 ? "," : "") + R"({"id":")" + Instance(node) + R"(","vnics":[{"privateIp":")" + ip + R"("}]})";
      backends += std::string(i > 1 ? "," : "") + R"({"ipAddress":")" + ip + R"(","port":30080,"weight":1})";
    }
    ASSERT_TRUE(sim_->service().MergeState(R"({"instances":[)" + instances + "]}"));
    SeedLoadBalancer(kNlb, {kSet}, "[" + backends + "]");
  }

  void CreateGoOperatorResource(bool adopt) {
    CreateRegistrar(N("web"), std::string(R"({"loadBalancerId":")") + kNlb + R"(","backendSetName":")" + kSet +
                                  R"(","nodePort":30080,"weight":1)" + (adopt ? R"(,"adoptExisting":true)" : "") + "}");
    ASSERT_TRUE(Eventually([&] { return ConditionReason(N("web"), "Ready") == "BackendsRegistered"; }))
        << RegistrarJson(N("web"));
    WaitQuiet();
  }

  // The ownership record of the set, as the controller stores it (ConfigMaps in its namespace).
  std::string OwnershipRecords() {
    Api("GET", "/api/v1/namespaces/" + std::string(kControllerNamespace) + "/configmaps", "", 200);
    return last_body_;
  }
};

TEST_F(MigrationTest, AdoptionWritesNothingAtStartThenDrainsAndRemovesALeavingNode) {
  SeedGoOperatorState("10.31.0");
  StartRegistrar({}, std::chrono::seconds(2));
  CreateGoOperatorResource(/*adopt=*/true);
  EXPECT_EQ(Writes(), 0) << sim_->service().counters().Json();
  EXPECT_EQ(Backends(kNlb, kSet), (std::vector<std::string>{B("10.31.0.1"), B("10.31.0.2"), B("10.31.0.3")}));
  std::string records = OwnershipRecords();
  for (const char* ip : {"10.31.0.1", "10.31.0.2", "10.31.0.3"}) {
    EXPECT_NE(records.find(ip), std::string::npos) << "adopted " << ip << " is not recorded: " << records;
  }

  DeleteNode(N("c"));
  ASSERT_TRUE(BackendsEventually(kNlb, kSet, {B("10.31.0.1"), B("10.31.0.2"), B("10.31.0.3") + "(drain)"}));
  ASSERT_TRUE(BackendsEventually(kNlb, kSet, {B("10.31.0.1"), B("10.31.0.2")}));
  WaitQuiet();
  EXPECT_EQ(sim_->service().counters().Count("CreateBackend"), 0);
  EXPECT_EQ(sim_->service().counters().Count("DeleteBackend", 202), 1);
}

TEST_F(MigrationTest, WithoutAdoptionNothingIsWrittenAndALeavingNodesBackendStays) {
  SeedGoOperatorState("10.32.0");
  StartRegistrar({}, std::chrono::seconds(0));
  CreateGoOperatorResource(/*adopt=*/false);
  EXPECT_EQ(Writes(), 0) << sim_->service().counters().Json();

  DeleteNode(N("c"));
  // A node joining is registered by instance; the Go operator's backends stay as they are.
  ASSERT_TRUE(sim_->service().MergeState(R"({"instances":[{"id":")" + Instance(N("d")) +
                                         R"(","vnics":[{"privateIp":"10.32.0.4"}]}]})"));
  CreateNode(N("d"), "10.32.0.4");
  ASSERT_TRUE(BackendsEventually(kNlb, kSet, {B("10.32.0.1"), B("10.32.0.2"), B("10.32.0.3"), B(Instance(N("d")))}));
  WaitQuiet();
  EXPECT_EQ(Backends(kNlb, kSet),
            (std::vector<std::string>{B("10.32.0.1"), B("10.32.0.2"), B("10.32.0.3"), B(Instance(N("d")))}));
  EXPECT_EQ(Writes(), 1) << sim_->service().counters().Json();  // only d's registration
  EXPECT_EQ(sim_->service().counters().Count("CreateBackend", 202), 1);
}

}  // namespace
}  // namespace ccm::itest
