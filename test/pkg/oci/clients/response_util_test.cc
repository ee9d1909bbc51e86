#include "pkg/oci/clients/response_util.h"

#include <gtest/gtest.h>

namespace ccm::oci {
namespace {

HttpResponse Answer(int status, HttpHeaders headers) { return HttpResponse{.status = status, .headers = std::move(headers)}; }

TEST(ResponseUtilTest, WorkRequestIdComesFromItsHeader) {
  auto id = WorkRequestIdOf("UpdateBackendSet", Answer(204, {{"opc-work-request-id", "wr-1"}, {"opc-request-id", "r"}}));
  ASSERT_TRUE(id) << id.error().ToString();
  EXPECT_EQ(*id, "wr-1");
}

TEST(ResponseUtilTest, AMissingWorkRequestIdIsAMalformedAnswerQuotingTheRequest) {
  auto id = WorkRequestIdOf("CreateBackend", Answer(202, {{"opc-request-id", "REQ-7"}}));
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_EQ(id.error().message, "CreateBackend response has no opc-work-request-id header");
  EXPECT_EQ(id.error().http_status, 202);
  EXPECT_EQ(id.error().request_id, "REQ-7");
  EXPECT_FALSE(WorkRequestIdOf("DeleteBackend", Answer(204, {{"opc-work-request-id", ""}})))
      << "an empty header is no id";
}

TEST(ResponseUtilTest, AnnotateAddsOperationStatusAndRequestIdToErrorsOnly) {
  const HttpResponse answer = Answer(200, {{"opc-request-id", "REQ-9"}});
  Result<int> parsed = Fail(ErrorKind::kMalformedResponse, "field items must be an array");
  auto annotated = Annotate(std::move(parsed), "ListBackends", answer);
  ASSERT_FALSE(annotated);
  EXPECT_EQ(annotated.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_EQ(annotated.error().message, "ListBackends: field items must be an array");
  EXPECT_EQ(annotated.error().http_status, 200);
  EXPECT_EQ(annotated.error().request_id, "REQ-9");
  auto ok = Annotate(Result<int>(7), "ListBackends", answer);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 7);
}

}  // namespace
}  // namespace ccm::oci
