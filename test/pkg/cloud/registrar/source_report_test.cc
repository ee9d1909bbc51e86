#include "pkg/cloud/registrar/source_report.h"

#include <gtest/gtest.h>

#include "pkg/cloud/registrar/registrar_reasons.h"

namespace ccm::cloud::registrar {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.aaaareport";
constexpr char kOtherLb[] = "ocid1.loadbalancer.oc1.phx.aaaaother";

Binding B(const std::string& set, const std::string& field = "spec", const std::string& lb = kLb) {
  return Binding{.source = "LBRegistrar/r", .field = field, .load_balancer_id = lb, .backend_set = set, .node_port = 30080};
}

SourceState Source(std::vector<Binding> bindings, std::vector<SpecProblem> problems = {}) {
  return SourceState{.source = "LBRegistrar/r", .kind = SourceKind::kLBRegistrar, .bindings = std::move(bindings),
                     .problems = std::move(problems), .generation = 4};
}

BackendSetReport Set(int registered, bool converged, bool missing = false, std::string held = "") {
  return BackendSetReport{.registered = registered, .converged = converged, .missing = missing,
                          .held_reason = std::move(held), .last_work_request = "ocid1.workrequest.oc1..wr"};
}

const Condition* Find(const RegistrarStatus& s, const std::string& type) {
  for (const auto& c : s.conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

struct Case {
  std::string name;
  SourceState source;
  std::optional<SyncResult> result;  // nullopt: no run reached OCI
  std::string lb_reason, lb_message;
  std::map<std::string, BindingResult> bindings;
  // Expected
  std::string phase;
  std::string ready;  // "True" / "False"
  std::string reason;  // Ready's reason
  std::string message_contains;
  int registered;
};

TEST(BuildSourceReportTest, Table) {
  SyncResult converged_a{.converged = true, .sets = {{"a", Set(3, true)}}};
  SyncResult a_done_b_writing{.sets = {{"a", Set(3, true)}, {"b", Set(1, false)}}};
  SyncResult b_missing{.error = MakeError(ErrorKind::kNotFound, "backend set b does not exist"),
                       .reason = kReasonBackendSetNotFound,
                       .sets = {{"a", Set(3, true)}, {"b", Set(0, false, true)}}};
  SyncResult unauthorized{.error = MakeError(ErrorKind::kUnauthenticated, "401"), .reason = kReasonOciUnauthorized};
  SyncResult held{.converged = true, .sets = {{"a", Set(3, true, false, "2 removal(s) withheld: caches not synced")}}};
  const std::vector<Case> cases = {
      {.name = "converged", .source = Source({B("a")}), .result = converged_a, .phase = "READY", .ready = "True",
       .reason = kReasonBackendsRegistered, .message_contains = "3 backend(s) registered", .registered = 3},
      {.name = "another set of the load balancer is being written: this one stays ready",
       .source = Source({B("a")}), .result = a_done_b_writing, .phase = "READY", .ready = "True",
       .reason = kReasonBackendsRegistered, .registered = 3},
      {.name = "its own set is being written", .source = Source({B("b")}), .result = a_done_b_writing,
       .phase = "REGISTERING", .ready = "False", .reason = kReasonRegistering,
       .message_contains = "a write is in progress", .registered = 1},
      {.name = "no run reached OCI yet", .source = Source({B("a")}), .result = std::nullopt, .phase = "PENDING",
       .ready = "False", .reason = kReasonRegistering, .registered = 0},
      {.name = "invalid spec keeps the last valid one",
       .source = Source({B("a")}, {{.field = "spec.nodePort", .message = "must be 30000-32767"}}),
       .result = converged_a, .phase = "ERROR", .ready = "False", .reason = kReasonInvalidSpec,
       .message_contains = "the last valid spec stays registered", .registered = 3},
      {.name = "its own backend set is missing", .source = Source({B("b", "spec.backendSets[1]")}),
       .result = b_missing, .lb_reason = kReasonBackendSetNotFound, .lb_message = "backend set b does not exist",
       .phase = "ERROR", .ready = "False", .reason = kReasonBackendSetNotFound,
       .message_contains = "spec.backendSets[1].backendSetName", .registered = 0},
      {.name = "another resource's set is missing: not this one's problem", .source = Source({B("a")}),
       .result = b_missing, .lb_reason = kReasonBackendSetNotFound, .lb_message = "backend set b does not exist",
       .phase = "READY", .ready = "True", .reason = kReasonBackendsRegistered, .registered = 3},
      {.name = "load balancer level error", .source = Source({B("a")}), .result = unauthorized,
       .lb_reason = kReasonOciUnauthorized, .lb_message = "401 NotAuthenticated", .phase = "ERROR", .ready = "False",
       .reason = kReasonOciUnauthorized, .message_contains = "401", .registered = 0},
      {.name = "a binding's Service is missing", .source = Source({B("a", "spec.services[0]")}), .result = converged_a,
       .bindings = {{"LBRegistrar/r#spec.services[0]",
                     BindingResult{.reason = kReasonServiceNotFound, .message = "Service default/web not found"}}},
       .phase = "ERROR", .ready = "False", .reason = kReasonServiceNotFound,
       .message_contains = "spec.services[0]: Service default/web not found", .registered = 3},
      {.name = "removals withheld", .source = Source({B("a")}), .result = held, .phase = "ERROR", .ready = "False",
       .reason = kReasonRemovalWithheld, .message_contains = "a: 2 removal(s) withheld", .registered = 3},
      {.name = "bindings on another load balancer are left to its run",
       .source = Source({B("a"), B("a", "spec.loadBalancers[1]", kOtherLb)}), .result = converged_a, .phase = "READY",
       .ready = "True", .reason = kReasonBackendsRegistered, .registered = 3},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    SourceReport r = BuildSourceReport({.source = c.source,
                                        .lb_id = kLb,
                                        .result = c.result ? &*c.result : nullptr,
                                        .lb_reason = c.lb_reason,
                                        .lb_message = c.lb_message,
                                        .bindings = &c.bindings,
                                        .previous_conditions = {},
                                        .now = "2026-12-02T10:00:00Z"});
    // The phase never contradicts the conditions.
    EXPECT_EQ(r.status.phase, c.phase);
    EXPECT_EQ(r.status.observed_generation, 4);
    EXPECT_EQ(r.status.registered_backends, c.registered);
    const Condition* ready = Find(r.status, "Ready");
    const Condition* degraded = Find(r.status, "Degraded");
    ASSERT_NE(ready, nullptr);
    ASSERT_NE(degraded, nullptr);
    EXPECT_EQ(ready->status, c.ready);
    EXPECT_EQ(ready->reason, c.reason);
    EXPECT_NE(ready->message.find(c.message_contains), std::string::npos) << ready->message;
    // Degraded carries the same problem, or none.
    bool problem = c.reason != kReasonBackendsRegistered && c.reason != kReasonRegistering;
    EXPECT_EQ(degraded->status, problem ? "True" : "False");
    EXPECT_EQ(r.reason, problem ? c.reason : "");
  }
}

TEST(BuildSourceReportTest, KeepsTransitionTimeWhileTheStatusHolds) {
  SyncResult done{.converged = true, .sets = {{"a", Set(3, true)}}};
  SourceState s = Source({B("a")});
  SourceReport first = BuildSourceReport({.source = s, .lb_id = kLb, .result = &done, .now = "2026-12-02T10:00:00Z"});
  SourceReport later = BuildSourceReport(
      {.source = s, .lb_id = kLb, .result = &done, .previous_conditions = first.status.conditions, .now = "2026-12-02T11:00:00Z"});
  EXPECT_EQ(Find(later.status, "Ready")->last_transition_time, "2026-12-02T10:00:00Z");
  // Equal statuses: the controller writes nothing.
  EXPECT_EQ(first.status, later.status);
}

TEST(BuildSourceReportTest, IngressOnlyWhenTheSourceMayUseTheLoadBalancer) {
  SyncResult done{.converged = true, .sets = {{"a", Set(3, true)}}, .ip_addresses = {"203.0.113.10"}};
  SourceState s = Source({B("a")});
  EXPECT_TRUE(BuildSourceReport({.source = s, .lb_id = kLb, .result = &done}).report_ingress);
  EXPECT_FALSE(BuildSourceReport({.source = s, .lb_id = kLb, .result = &done, .lb_reason = kReasonLoadBalancerNotAllowed})
                   .report_ingress);
  EXPECT_FALSE(BuildSourceReport({.source = s, .lb_id = kLb, .result = nullptr}).report_ingress);
}

// One status write per change: a Ready resource whose change is still on its way keeps its
// status until the change landed; problems and new generations always show.
TEST(KeepsPreviousStatusTest, Table) {
  SyncResult ready{.converged = true, .sets = {{"a", Set(3, true)}}};
  SyncResult writing{.sets = {{"a", Set(3, false)}}};
  SyncResult landed{.converged = true, .sets = {{"a", Set(4, true)}}};
  SyncResult failing{.error = MakeError(ErrorKind::kUnavailable, "503"), .reason = kReasonOciError};
  SourceState s = Source({B("a")});
  RegistrarStatus was_ready = BuildSourceReport({.source = s, .lb_id = kLb, .result = &ready}).status;
  RegistrarStatus was_registering = BuildSourceReport({.source = s, .lb_id = kLb, .result = &writing}).status;

  EXPECT_TRUE(KeepsPreviousStatus(was_ready, BuildSourceReport({.source = s, .lb_id = kLb, .result = &writing})));
  EXPECT_FALSE(KeepsPreviousStatus(was_ready, BuildSourceReport({.source = s, .lb_id = kLb, .result = &landed})));
  EXPECT_FALSE(KeepsPreviousStatus(
      was_ready, BuildSourceReport({.source = s, .lb_id = kLb, .result = &failing, .lb_reason = kReasonOciError})));
  // Already Registering: each step of the write is not another status write; its landing is.
  EXPECT_TRUE(KeepsPreviousStatus(was_registering, BuildSourceReport({.source = s, .lb_id = kLb, .result = &writing})));
  EXPECT_FALSE(KeepsPreviousStatus(was_registering, BuildSourceReport({.source = s, .lb_id = kLb, .result = &landed})));
  // A problem that went away shows at once.
  RegistrarStatus was_failing =
      BuildSourceReport({.source = s, .lb_id = kLb, .result = &failing, .lb_reason = kReasonOciError}).status;
  EXPECT_FALSE(KeepsPreviousStatus(was_failing, BuildSourceReport({.source = s, .lb_id = kLb, .result = &writing})));
  EXPECT_FALSE(KeepsPreviousStatus(RegistrarStatus{}, BuildSourceReport({.source = s, .lb_id = kLb, .result = &writing})));
  // A new generation is observed at once.
  SourceState edited = s;
  edited.generation = 5;
  EXPECT_FALSE(KeepsPreviousStatus(was_ready, BuildSourceReport({.source = edited, .lb_id = kLb, .result = &writing})));
}

}  // namespace
}  // namespace ccm::cloud::registrar
