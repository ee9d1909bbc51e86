#include "pkg/cloud/registrar/backend_plan.h"

#include <gtest/gtest.h>

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
