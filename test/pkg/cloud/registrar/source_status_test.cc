#include "pkg/cloud/registrar/source_status.h"

#include <gtest/gtest.h>

#include "pkg/base/json.h"

namespace ccm::cloud::registrar {
namespace {

Condition Ready(const std::string& status, const std::string& reason, const std::string& at) {
  return Condition{.type = "Ready", .status = status, .reason = reason, .message = reason + " message",
                   .observed_generation = 2, .last_transition_time = at};
}

TEST(SourceStatusTest, SetConditionKeepsTheTransitionTimeWhileTheStatusHolds) {
  std::vector<Condition> conditions = {Ready("True", "Registered", "2026-01-01T00:00:00Z")};
  SetCondition(conditions, Ready("True", "Registered", "2026-01-01T00:05:00Z"));
  ASSERT_EQ(conditions.size(), 1u);
  EXPECT_EQ(conditions[0].last_transition_time, "2026-01-01T00:00:00Z");

  // Reason and message follow the latest run even when the status did not change.
  Condition next = Ready("True", "Unchanged", "2026-01-01T00:06:00Z");
  next.observed_generation = 3;
  SetCondition(conditions, next);
  ASSERT_EQ(conditions.size(), 1u);
  EXPECT_EQ(conditions[0].reason, "Unchanged");
  EXPECT_EQ(conditions[0].message, "Unchanged message");
  EXPECT_EQ(conditions[0].observed_generation, 3);
  EXPECT_EQ(conditions[0].last_transition_time, "2026-01-01T00:00:00Z");
}

TEST(SourceStatusTest, SetConditionMovesTheTransitionTimeWhenTheStatusChanges) {
  std::vector<Condition> conditions = {Ready("True", "Registered", "2026-01-01T00:00:00Z")};
  SetCondition(conditions, Ready("False", "LoadBalancerNotFound", "2026-01-01T00:05:00Z"));
  ASSERT_EQ(conditions.size(), 1u);
  EXPECT_EQ(conditions[0], Ready("False", "LoadBalancerNotFound", "2026-01-01T00:05:00Z"));
}

TEST(SourceStatusTest, SetConditionAppendsANewTypeAndLeavesOthersAlone) {
  std::vector<Condition> conditions = {Ready("True", "Registered", "2026-01-01T00:00:00Z")};
  Condition degraded{.type = "Degraded", .status = "True", .reason = "SetIncomplete", .message = "m",
                     .observed_generation = 2, .last_transition_time = "2026-01-01T00:01:00Z"};
  SetCondition(conditions, degraded);
  ASSERT_EQ(conditions.size(), 2u);
  EXPECT_EQ(conditions[0], Ready("True", "Registered", "2026-01-01T00:00:00Z"));
  EXPECT_EQ(conditions[1], degraded);
}

TEST(SourceStatusTest, StatusPatchCarriesEveryFieldAndOmitsEmptyOptionalOnes) {
  RegistrarStatus status{
      .phase = "READY",
      .observed_generation = 4,
      .registered_backends = 3,
      .conditions = {Ready("True", "Registered", "2026-01-01T00:00:00Z")},
      .backend_sets = {{.name = "http", .registered = 2, .last_sync_time = "2026-01-01T00:00:01Z",
                        .last_work_request_id = "ocid1.loadbalancerworkrequest.oc1.phx.w"},
                       {.name = "https", .registered = 1}}};
  EXPECT_EQ(RegistrarStatusPatch(status),
            R"({"status":{"phase":"READY","observedGeneration":4,"registeredBackends":3,"conditions":[)"
            R"({"type":"Ready","status":"True","reason":"Registered","message":"Registered message",)"
            R"("observedGeneration":2,"lastTransitionTime":"2026-01-01T00:00:00Z"}],"backendSets":[)"
            R"({"name":"http","registeredBackends":2,"lastSyncTime":"2026-01-01T00:00:01Z",)"
            R"("lastWorkRequestId":"ocid1.loadbalancerworkrequest.oc1.phx.w"},)"
            R"({"name":"https","registeredBackends":1}]}})");
  EXPECT_EQ(RegistrarStatusPatch({}),
            R"({"status":{"phase":"","observedGeneration":0,"registeredBackends":0,"conditions":[],"backendSets":[]}})");
}

TEST(SourceStatusTest, StatusPatchEscapesUserText) {
  RegistrarStatus status{.phase = "ERROR",
                         .conditions = {{.type = "Ready", .status = "False", .reason = "InvalidSpec",
                                         .message = "spec.backendSetName \"a\\b\"\nis not valid"}}};
  const std::string patch = RegistrarStatusPatch(status);
  auto doc = json::Parse(patch, "patch");
  ASSERT_TRUE(doc) << patch;
  EXPECT_EQ(std::string((*doc)["status"]["conditions"][0]["message"].GetString()),
            "spec.backendSetName \"a\\b\"\nis not valid");
}

TEST(SourceStatusTest, FinalizersPatchIsGuardedByTheResourceVersion) {
  EXPECT_EQ(FinalizersPatch({kFinalizer, "example.com/other"}, "42"),
            R"({"metadata":{"finalizers":["nodes.peppy-ratio.dev/registrar-cleanup","example.com/other"],)"
            R"("resourceVersion":"42"}})");
  EXPECT_EQ(FinalizersPatch({}, "43"), R"({"metadata":{"finalizers":[],"resourceVersion":"43"}})")
      << "removing the last finalizer writes an empty list, not null";
  EXPECT_EQ(FinalizersPatch({kFinalizer}, ""), R"({"metadata":{"finalizers":["nodes.peppy-ratio.dev/registrar-cleanup"]}})");
}

TEST(SourceStatusTest, IngressPatchListsEachAddress) {
  EXPECT_EQ(IngressPatch({"129.1.2.3", "2001:db8::1"}),
            R"({"status":{"loadBalancer":{"ingress":[{"ip":"129.1.2.3"},{"ip":"2001:db8::1"}]}}})");
  EXPECT_EQ(IngressPatch({}), R"({"status":{"loadBalancer":{"ingress":[]}}})");
}

}  // namespace
}  // namespace ccm::cloud::registrar
