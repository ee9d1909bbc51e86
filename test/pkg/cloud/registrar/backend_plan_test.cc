#include "pkg/cloud/registrar/backend_plan.h"

#include <gtest/gtest.h>

#include <set>

namespace ccm::cloud::registrar {
namespace {

using std::chrono::seconds;
using Kind = BackendChange::Kind;

const WallTime kNow = std::chrono::system_clock::from_time_t(1800000000);

DesiredBackend D(const std::string& ip, int weight = 1) { return {.ip = ip, .port = 30080, .weight = weight}; }
ActualBackend A(const std::string& ip, int weight = 1, bool drain = false) {
  return {.name = ip + ":30080", .ip = ip, .port = 30080, .weight = weight, .drain = drain};
}
std::string N(const std::string& ip) { return ip + ":30080"; }

std::vector<std::string> Names(const std::vector<ActualBackend>& v) {
  std::vector<std::string> out;
  for (const auto& b : v) out.push_back(b.name + (b.drain ? "(drain)" : ""));
  return out;
}

std::string Describe(const Plan& p) {
  std::string out;
  for (const auto& c : p.changes) {
    out += c.kind == Kind::kCreate ? "+" : c.kind == Kind::kDelete ? "-" : "~";
    out += c.backend.name + (c.backend.drain ? "(drain)" : "") + "/w" + std::to_string(c.backend.weight) + " ";
  }
  return out;
}

TEST(BackendPlanTest, NothingToDoWhenEqual) {
  PlanInputs in{.desired = {D("10.0.0.1"), D("10.0.0.2")}, .actual = {A("10.0.0.1"), A("10.0.0.2")},
                .ownership = {.owned = {N("10.0.0.1"), N("10.0.0.2")}}, .now = kNow};
  Plan p = PlanBackendSet(in);
  EXPECT_TRUE(p.empty()) << Describe(p);
  EXPECT_EQ(p.result.size(), 2u);
}

TEST(BackendPlanTest, JoinCreatesAndRecordsOwnershipBeforeTheWrite) {
  PlanInputs in{.desired = {D("10.0.0.1"), D("10.0.0.2")}, .actual = {A("10.0.0.1")},
                .ownership = {.owned = {N("10.0.0.1")}}, .now = kNow};
  Plan p = PlanBackendSet(in);
  EXPECT_EQ(Describe(p), "+10.0.0.2:30080/w1 ");
  EXPECT_TRUE(p.ownership_before_write.owned.contains(N("10.0.0.2")));
  EXPECT_EQ(Names(p.result), (std::vector<std::string>{N("10.0.0.1"), N("10.0.0.2")}));
}

TEST(BackendPlanTest, LeaveDrainsFirstThenDeletesAfterThePeriod) {
  PlanInputs in{.desired = {D("10.0.0.1")}, .actual = {A("10.0.0.1"), A("10.0.0.2")},
                .ownership = {.owned = {N("10.0.0.1"), N("10.0.0.2")}}, .drain_period = seconds(30), .now = kNow};
  Plan first = PlanBackendSet(in);
  EXPECT_EQ(Describe(first), "~10.0.0.2:30080(drain)/w1 ");
  EXPECT_EQ(first.ownership_before_write.drain_since.at(N("10.0.0.2")), kNow);
  EXPECT_EQ(first.next_drain_deadline, kNow + seconds(30));

  // 10 s later: still draining, no new change.
  in.actual = first.result;
  in.ownership = first.ownership_after_write;
  in.now = kNow + seconds(10);
  Plan second = PlanBackendSet(in);
  EXPECT_TRUE(second.empty()) << Describe(second);

  // After the period: removed and forgotten.
  in.now = kNow + seconds(30);
  Plan third = PlanBackendSet(in);
  EXPECT_EQ(Describe(third), "-10.0.0.2:30080(drain)/w1 ");
  EXPECT_FALSE(third.ownership_after_write.owned.contains(N("10.0.0.2")));
  EXPECT_EQ(Names(third.result), (std::vector<std::string>{N("10.0.0.1")}));
}

TEST(BackendPlanTest, ZeroDrainPeriodDeletesAtOnce) {
  PlanInputs in{.desired = {D("10.0.0.1")}, .actual = {A("10.0.0.1"), A("10.0.0.2")},
                .ownership = {.owned = {N("10.0.0.1"), N("10.0.0.2")}}, .drain_period = seconds(0), .now = kNow};
  EXPECT_EQ(Describe(PlanBackendSet(in)), "-10.0.0.2:30080/w1 ");
}

TEST(BackendPlanTest, ReturningNodeIsUndrained) {
  PlanInputs in{.desired = {D("10.0.0.1"), D("10.0.0.2")}, .actual = {A("10.0.0.1"), A("10.0.0.2", 1, true)},
                .ownership = {.owned = {N("10.0.0.1"), N("10.0.0.2")}, .drain_since = {{N("10.0.0.2"), kNow}}},
                .now = kNow + seconds(5)};
  Plan p = PlanBackendSet(in);
  EXPECT_EQ(Describe(p), "~10.0.0.2:30080/w1 ");
  EXPECT_FALSE(p.ownership_after_write.drain_since.contains(N("10.0.0.2")));
}

TEST(BackendPlanTest, HandAddedBackendsAreNeverTouched) {
  ActualBackend hand = A("192.168.9.9", 7, true);
  hand.backup = true;
  PlanInputs in{.desired = {D("10.0.0.1", 3)}, .actual = {hand, A("10.0.0.1", 3)},
                .ownership = {.owned = {N("10.0.0.1")}}, .drain_period = seconds(0), .now = kNow};
  Plan p = PlanBackendSet(in);
  EXPECT_TRUE(p.empty()) << Describe(p);
  ASSERT_EQ(p.result.size(), 2u);
  EXPECT_EQ(p.result[0], hand);
}

TEST(BackendPlanTest, PreExistingMatchingBackendIsNotAdopted) {
  // A node's address already present (added by hand or by another tool) keeps its settings.
  PlanInputs in{.desired = {D("10.0.0.1", 5)}, .actual = {A("10.0.0.1", 2)}, .now = kNow};
  Plan p = PlanBackendSet(in);
  EXPECT_TRUE(p.empty()) << Describe(p);
  EXPECT_FALSE(p.ownership_after_write.owned.contains(N("10.0.0.1")));
}

TEST(BackendPlanTest, ExclusiveOwnsEverything) {
  PlanInputs in{.desired = {D("10.0.0.1", 5)}, .actual = {A("10.0.0.1", 2), A("192.168.9.9")},
                .exclusive = true, .drain_period = seconds(0), .now = kNow};
  EXPECT_EQ(Describe(PlanBackendSet(in)), "~10.0.0.1:30080/w5 -192.168.9.9:30080/w1 ");
}

TEST(BackendPlanTest, WeightChangeOfOwnedBackendIsAnUpdate) {
  PlanInputs in{.desired = {D("10.0.0.1", 9)}, .actual = {A("10.0.0.1", 1)}, .ownership = {.owned = {N("10.0.0.1")}},
                .now = kNow};
  EXPECT_EQ(Describe(PlanBackendSet(in)), "~10.0.0.1:30080/w9 ");
}

TEST(BackendPlanTest, EmptyDesiredSetIsHeldUnlessAllowed) {
  PlanInputs in{.desired = {}, .actual = {A("10.0.0.1"), A("10.0.0.2")},
                .ownership = {.owned = {N("10.0.0.1"), N("10.0.0.2")}}, .drain_period = seconds(0), .now = kNow};
  Plan held = PlanBackendSet(in);
  EXPECT_TRUE(held.empty()) << Describe(held);
  EXPECT_NE(held.held_reason.find("allowEmpty"), std::string::npos);
  in.allow_empty = true;
  Plan allowed = PlanBackendSet(in);
  EXPECT_EQ(allowed.changes.size(), 2u);
  EXPECT_TRUE(allowed.result.empty());
}

TEST(BackendPlanTest, IncompleteInputsAddButNeverRemove) {
  PlanInputs in{.desired = {D("10.0.0.3")}, .actual = {A("10.0.0.1")}, .ownership = {.owned = {N("10.0.0.1")}},
                .inputs_complete = false, .drain_period = seconds(0), .now = kNow};
  Plan p = PlanBackendSet(in);
  EXPECT_EQ(Describe(p), "+10.0.0.3:30080/w1 ");
  EXPECT_FALSE(p.held_reason.empty());
}

TEST(BackendPlanTest, OwnedButVanishedIsForgotten) {
  PlanInputs in{.desired = {D("10.0.0.1")}, .actual = {A("10.0.0.1")},
                .ownership = {.owned = {N("10.0.0.1"), N("10.0.0.7")}}, .now = kNow};
  Plan p = PlanBackendSet(in);
  EXPECT_TRUE(p.empty());
  EXPECT_FALSE(p.ownership_after_write.owned.contains(N("10.0.0.7")));
}

TEST(BackendPlanTest, NodeRemovedWhileControllerWasDownIsStillRemoved) {
  // The durable ownership record is all that remembers 10.0.0.2 was ours.
  PlanInputs in{.desired = {D("10.0.0.1")}, .actual = {A("10.0.0.1"), A("10.0.0.2")},
                .ownership = {.owned = {N("10.0.0.1"), N("10.0.0.2")}}, .drain_period = seconds(0), .now = kNow};
  EXPECT_EQ(Describe(PlanBackendSet(in)), "-10.0.0.2:30080/w1 ");
}

// A node as the desired state sees a network load balancer's node: instance OCID and IP.
DesiredBackend Node(const std::string& instance, const std::string& ip, int weight = 1) {
  return {.ip = ip, .port = 30080, .weight = weight, .target_id = kube::InternedString(instance)};
}
// As OCI returns backends: registered by address (no targetId), or by instance (with the IP
// OCI resolved).
ActualBackend ByIp(const std::string& ip, int weight = 1) { return A(ip, weight); }
ActualBackend ByInstance(const std::string& instance, const std::string& ip, int weight = 1) {
  return {.name = instance + ":30080", .ip = ip, .port = 30080, .weight = weight, .target_id = instance};
}

struct IdentityCase {
  std::string name;
  std::vector<DesiredBackend> desired;
  std::vector<ActualBackend> actual;
  std::set<std::string> owned;
  bool adopt = false;
  std::string changes;                  // Describe(plan)
  std::set<std::string> owned_after;    // ownership_after_write.owned
  std::set<std::string> owned_before;   // ownership_before_write.owned
  int registered = 0;                   // CountRegistered(desired, plan.result)
};

class BackendIdentityTest : public ::testing::TestWithParam<IdentityCase> {};

TEST_P(BackendIdentityTest, OneBackendPerNodeAndPort) {
  const IdentityCase& c = GetParam();
  PlanInputs in{.desired = c.desired, .actual = c.actual, .ownership = {.owned = c.owned},
                .adopt_existing = c.adopt, .drain_period = seconds(0), .now = kNow};
  Plan p = PlanBackendSet(in);
  EXPECT_EQ(Describe(p), c.changes);
  EXPECT_EQ(p.ownership_after_write.owned, c.owned_after);
  EXPECT_EQ(p.ownership_before_write.owned, c.owned_before);
  EXPECT_EQ(CountRegistered(c.desired, p.result), c.registered);
}

const std::string kI1 = "ocid1.instance.oc1.phx.n1", kI2 = "ocid1.instance.oc1.phx.n2";

INSTANTIATE_TEST_SUITE_P(
    Table, BackendIdentityTest,
    ::testing::Values(
        IdentityCase{.name = "IpRegisteredMatchesTheNodeByItsInternalIP",
                     .desired = {Node(kI1, "10.0.0.1"), Node(kI2, "10.0.0.2")},
                     .actual = {ByIp("10.0.0.1"), ByIp("10.0.0.2")},
                     .registered = 2},
        IdentityCase{.name = "TargetIdRegisteredMatchesByProviderIdOcid",
                     .desired = {Node(kI1, "10.0.0.1")},
                     .actual = {ByInstance(kI1, "10.0.0.1")},
                     .owned = {kI1 + ":30080"},
                     .owned_after = {kI1 + ":30080"},
                     .owned_before = {kI1 + ":30080"},
                     .registered = 1},
        IdentityCase{.name = "TargetIdMatchesEvenWhenTheNodeReportsAnotherAddress",
                     .desired = {Node(kI1, "10.0.0.9")},
                     .actual = {ByInstance(kI1, "10.0.0.1")},
                     .owned = {kI1 + ":30080"},
                     .owned_after = {kI1 + ":30080"},
                     .owned_before = {kI1 + ":30080"},
                     .registered = 1},
        IdentityCase{.name = "AnotherInstanceAtAReusedAddressIsAnotherNode",
                     .desired = {Node(kI2, "10.0.0.1")},
                     .actual = {ByInstance(kI1, "10.0.0.1")},
                     .changes = "+" + kI2 + ":30080/w1 ",
                     .owned_after = {kI2 + ":30080"},
                     .owned_before = {kI2 + ":30080"},
                     .registered = 1},
        IdentityCase{.name = "AnotherPortIsAnotherBackend",
                     .desired = {Node(kI1, "10.0.0.1")},
                     .actual = {{.name = "10.0.0.1:30443", .ip = "10.0.0.1", .port = 30443}},
                     .changes = "+" + kI1 + ":30080/w1 ",
                     .owned_after = {kI1 + ":30080"},
                     .owned_before = {kI1 + ":30080"},
                     .registered = 1},
        IdentityCase{.name = "OurDuplicateOfAnIpRegisteredNodeIsRemovedTheirsStays",
                     .desired = {Node(kI1, "10.0.0.1")},
                     .actual = {ByIp("10.0.0.1"), ByInstance(kI1, "10.0.0.1")},
                     .owned = {kI1 + ":30080"},
                     .changes = "-" + kI1 + ":30080/w1 ",
                     .owned_after = {},
                     .owned_before = {kI1 + ":30080"},
                     .registered = 1},
        IdentityCase{.name = "ClassicBackendsMatchByIp",
                     .desired = {D("10.0.0.1"), D("10.0.0.2")},
                     .actual = {ByIp("10.0.0.1")},
                     .changes = "+10.0.0.2:30080/w1 ",
                     .owned_after = {N("10.0.0.2")},
                     .owned_before = {N("10.0.0.2")},
                     .registered = 2},
        IdentityCase{.name = "AdoptionRecordsBackendsAtDesiredNodesBeforeAnyWrite",
                     .desired = {Node(kI1, "10.0.0.1"), Node(kI2, "10.0.0.2", 4)},
                     .actual = {ByIp("10.0.0.1"), ByInstance(kI2, "10.0.0.2", 1), ByIp("192.168.9.9")},
                     .adopt = true,
                     .changes = "~" + kI2 + ":30080/w4 ",  // ours now: our weight applies
                     .owned_after = {N("10.0.0.1"), kI2 + ":30080"},
                     .owned_before = {N("10.0.0.1"), kI2 + ":30080"},
                     .registered = 2},
        IdentityCase{.name = "AdoptedBackendOfALeavingNodeIsRemoved",
                     .desired = {Node(kI1, "10.0.0.1")},
                     .actual = {ByIp("10.0.0.1"), ByIp("10.0.0.2")},
                     .owned = {N("10.0.0.1"), N("10.0.0.2")},
                     .adopt = true,
                     .changes = "-10.0.0.2:30080/w1 ",
                     .owned_after = {N("10.0.0.1")},
                     .owned_before = {N("10.0.0.1"), N("10.0.0.2")},
                     .registered = 1},
        IdentityCase{.name = "WithoutAdoptionABackendOfALeavingNodeIsLeftAlone",
                     .desired = {Node(kI1, "10.0.0.1")},
                     .actual = {ByIp("10.0.0.1", 3), ByIp("10.0.0.2")},
                     .registered = 1},
        IdentityCase{.name = "AdoptionTakesNothingAtAddressesOfNoDesiredNode",
                     .desired = {Node(kI1, "10.0.0.1")},
                     .actual = {ByIp("10.0.0.1"), ByIp("10.0.0.2")},
                     .adopt = true,
                     .owned_after = {N("10.0.0.1")},
                     .owned_before = {N("10.0.0.1")},
                     .registered = 1},
        IdentityCase{.name = "AdoptionRemovesADuplicateOfANode",  // keeping the one named as we name it
                     .desired = {Node(kI1, "10.0.0.1")},
                     .actual = {ByIp("10.0.0.1"), ByInstance(kI1, "10.0.0.1")},
                     .adopt = true,
                     .changes = "-10.0.0.1:30080/w1 ",
                     .owned_after = {kI1 + ":30080"},
                     .owned_before = {N("10.0.0.1"), kI1 + ":30080"},
                     .registered = 1}),
    [](const ::testing::TestParamInfo<IdentityCase>& info) { return info.param.name; });

TEST(BackendPlanTest, AdoptedBackendIsKeptAsItWasRegistered) {
  // Adopting changes the record, not the backend: its name and identity (by address) stay, so
  // the write that follows (here a weight change) is an update of that backend, not a new one.
  PlanInputs in{.desired = {Node(kI1, "10.0.0.1", 2)}, .actual = {ByIp("10.0.0.1")}, .adopt_existing = true, .now = kNow};
  Plan p = PlanBackendSet(in);
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.changes[0].kind, Kind::kUpdate);
  EXPECT_EQ(p.changes[0].backend.name, N("10.0.0.1"));
  EXPECT_EQ(p.changes[0].backend.target_id, "");
}

TEST(BackendMatcherTest, FindsByTargetOrByIpAsTheBackendCarriesIt) {
  std::vector<ActualBackend> actual = {ByIp("10.0.0.1"), ByInstance(kI2, "10.0.0.2"), ByInstance(kI1, "10.0.0.3")};
  BackendMatcher m(actual);
  EXPECT_EQ(m.Find(Node(kI1, "10.0.0.1")), (std::vector<size_t>{0, 2}));  // by IP, and by instance
  EXPECT_EQ(m.Find(Node(kI2, "10.0.0.2")), (std::vector<size_t>{1}));
  EXPECT_EQ(m.Find(Node("ocid1.instance.oc1.phx.n3", "10.0.0.2")), (std::vector<size_t>{}));  // another instance
  EXPECT_EQ(m.Find(D("10.0.0.2")), (std::vector<size_t>{1}));  // a node without an OCID: by IP
}

TEST(BackendPlanTest, NlbTargetIdIsCarried) {
  DesiredBackend d = D("10.0.0.1");
  d.target_id = kube::InternedString("ocid1.instance.oc1..a");
  PlanInputs in{.desired = {d}, .now = kNow};
  Plan p = PlanBackendSet(in);
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.changes[0].backend.target_id, "ocid1.instance.oc1..a");
}

}  // namespace
}  // namespace ccm::cloud::registrar
