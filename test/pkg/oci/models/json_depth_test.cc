#include "pkg/oci/models/json_depth.h"

#include <gtest/gtest.h>

#include "pkg/oci/models/load_balancer_models.h"
#include "pkg/oci/transport/oci_error.h"

namespace ccm::oci {
namespace {

TEST(JsonDepthTest, CountsNestingOutsideStrings) {
  EXPECT_FALSE(JsonNestsDeeperThan(R"({"a":[{"b":[]}]})", 4));
  EXPECT_TRUE(JsonNestsDeeperThan(R"({"a":[{"b":[[]]}]})", 4));
  EXPECT_FALSE(JsonNestsDeeperThan(R"({"a":"[[[[[[\"[[[["})", 1));
}

TEST(JsonDepthTest, DeeplyNestedBodiesAreErrorsNotStackOverflows) {
  std::string deep(8u << 20, '[');
  auto set = ParseLbBackendSet(deep);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_NE(set.error().message.find("nests deeper"), std::string::npos);

  HttpResponse r;
  r.status = 500;
  r.body = deep;
  Error e = ErrorFromResponse("Op", r, "id");
  EXPECT_EQ(e.kind, ErrorKind::kUnavailable);
  EXPECT_NE(e.message.find("non-JSON error body"), std::string::npos);
}

}  // namespace
}  // namespace ccm::oci
