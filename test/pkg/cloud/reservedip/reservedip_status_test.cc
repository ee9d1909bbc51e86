#include "pkg/cloud/reservedip/reservedip_status.h"

#include <gtest/gtest.h>

#include "pkg/base/json.h"
#include "pkg/cloud/reservedip/reservedip_reasons.h"

namespace ccm::cloud::reservedip {
namespace {

TEST(ReservedIPStatusTest, ReadyFollowsStateAndProblems) {
  struct Row {
    StatusInput in;
    const char* status;
    const char* reason;
  };
  const Row rows[] = {
      {{.generation = 2,
        .observed_ip = true,
        .state = state::kAssigned,
        .public_ip_address = "1.2.3.4",
        .private_ip_id = "pip",
        .pod_name = "web-0"},
       "True",
       reason::kAssigned},
      {{.observed_ip = true, .state = state::kAllocated, .public_ip_address = "1.2.3.4"},
       "True",
       reason::kAllocated},
      {{.observed_ip = true, .state = state::kReassigning}, "False", reason::kInProgress},
      {{.observed_ip = true, .state = state::kReleasing}, "False", reason::kInProgress},
      {{.observed_ip = true,
        .state = state::kAllocated,
        .problem_reason = reason::kPodNotFound,
        .problem_message = "m"},
       "False",
       reason::kPodNotFound},
      {{.problem_reason = reason::kInvalidAssignment, .problem_message = "spec.assignment: ..."},
       "False",
       reason::kInvalidAssignment},
  };
  for (const auto& row : rows) {
    auto s = BuildStatus(row.in, nullptr, "2026-01-01T00:00:00Z");
    EXPECT_EQ(s.ready.status, row.status) << row.in.state << " " << row.in.problem_reason;
    EXPECT_EQ(s.ready.reason, row.reason) << row.in.state << " " << row.in.problem_reason;
    EXPECT_EQ(s.ready.observed_generation, row.in.generation);
  }
}

TEST(ReservedIPStatusTest, TransitionTimeKeptWhileStatusHolds) {
  StatusInput assigning{.observed_ip = true, .state = state::kAssigning};
  auto first = BuildStatus(assigning, nullptr, "t1");
  StatusInput moving{.observed_ip = true, .state = state::kReassigning};
  auto second = BuildStatus(moving, &first, "t2");
  EXPECT_EQ(second.ready.last_transition_time, "t1");
  StatusInput done{.observed_ip = true, .state = state::kAssigned, .private_ip_id = "p"};
  EXPECT_EQ(BuildStatus(done, &second, "t3").ready.last_transition_time, "t3");
}

TEST(ReservedIPStatusTest, PatchKeepsKnownValuesWhenNothingWasObserved) {
  auto spec_problem = BuildStatus(
      {.generation = 3, .problem_reason = reason::kInvalidAddress, .problem_message = "x"}, nullptr,
      "t");
  auto doc = json::Parse(StatusPatch(spec_problem), "patch");
  ASSERT_TRUE(doc);
  const json::Value& status = (*doc)["status"];
  EXPECT_EQ(json::Find(status, "state"), nullptr);
  EXPECT_EQ(json::Find(status, "publicIpId"), nullptr);
  EXPECT_EQ(status["observedGeneration"].GetInt64(), 3);
  EXPECT_STREQ(status["conditions"][0]["reason"].GetString(), reason::kInvalidAddress);

  auto assigned = BuildStatus({.observed_ip = true,
                               .state = state::kAssigned,
                               .public_ip_address = "1.2.3.4",
                               .public_ip_id = "id",
                               .private_ip_id = "pip",
                               .pod_name = "web-0"},
                              nullptr, "t");
  auto doc2 = json::Parse(StatusPatch(assigned), "patch");
  ASSERT_TRUE(doc2);
  EXPECT_STREQ((*doc2)["status"]["podName"].GetString(), "web-0");
  EXPECT_STREQ((*doc2)["status"]["state"].GetString(), "assigned");
  // Unassigned: the pod column clears (null removes it in a merge patch).
  auto allocated = BuildStatus({.observed_ip = true,
                                .state = state::kAllocated,
                                .public_ip_address = "1.2.3.4",
                                .public_ip_id = "id",
                                .pod_name = "web-0"},
                               nullptr, "t");
  auto doc3 = json::Parse(StatusPatch(allocated), "patch");
  ASSERT_TRUE(doc3);
  EXPECT_TRUE((*doc3)["status"]["podName"].IsNull());
}

}  // namespace
}  // namespace ccm::cloud::reservedip
