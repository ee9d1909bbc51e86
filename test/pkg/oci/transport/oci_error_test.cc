#include "pkg/oci/transport/oci_error.h"

#include <gtest/gtest.h>

namespace ccm::oci {
namespace {

HttpResponse Response(int status, std::string body, HttpHeaders headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(OciErrorTest, FillsFieldsFromJsonBodyAndHeaders) {
  Error e = ErrorFromResponse(
      "GetBackendSet",
      Response(404, R"({"code":"NotAuthorizedOrNotFound","message":"Authorization failed or requested resource not found."})",
               {{"opc-request-id", "RID/1"}}),
      "SENT");
  EXPECT_EQ(e.kind, ErrorKind::kNotFound);
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.code, "NotAuthorizedOrNotFound");
  EXPECT_EQ(e.request_id, "RID/1");
  EXPECT_FALSE(e.retryable);
  EXPECT_NE(e.message.find("GetBackendSet failed: Authorization failed"), std::string::npos);
}

TEST(OciErrorTest, NonJsonBodyIsQuotedAndSentRequestIdUsed) {
  Error e = ErrorFromResponse("GetLoadBalancer", Response(502, "<html>Bad\x01 Gateway</html>"), "SENT");
  EXPECT_EQ(e.kind, ErrorKind::kUnavailable);
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(e.request_id, "SENT");
  EXPECT_NE(e.message.find("non-JSON error body: <html>Bad  Gateway</html>"), std::string::npos) << e.message;
}

TEST(OciErrorTest, LongNonJsonBodyIsTruncated) {
  Error e = ErrorFromResponse("Op", Response(500, std::string(100000, 'x')), "S");
  EXPECT_LT(e.message.size(), 300u);
}

TEST(OciErrorTest, ConflictKinds) {
  EXPECT_EQ(ErrorFromResponse("Op", Response(409, R"({"code":"IncorrectState","message":"busy"})"), "").kind,
            ErrorKind::kIncorrectState);
  Error lb = ErrorFromResponse(
      "Op", Response(409, R"({"code":"Conflict","message":"Invalid State Transition of LB lifecycle from Updating"})"), "");
  EXPECT_EQ(lb.kind, ErrorKind::kIncorrectState);
  EXPECT_TRUE(lb.retryable);
  Error plain = ErrorFromResponse("Op", Response(409, R"({"code":"Conflict","message":"exists"})"), "");
  EXPECT_EQ(plain.kind, ErrorKind::kConflict);
  EXPECT_FALSE(plain.retryable);
  EXPECT_EQ(ErrorFromResponse("Op", Response(412, R"({"code":"NoEtagMatch","message":"m"})"), "").kind,
            ErrorKind::kConflict);
}

TEST(OciErrorTest, StatusKinds) {
  EXPECT_EQ(ErrorFromResponse("Op", Response(400, "{}"), "").kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(ErrorFromResponse("Op", Response(401, "{}"), "").kind, ErrorKind::kUnauthenticated);
  EXPECT_EQ(ErrorFromResponse("Op", Response(403, "{}"), "").kind, ErrorKind::kForbidden);
  Error e501 = ErrorFromResponse("Op", Response(501, "{}"), "");
  EXPECT_FALSE(e501.retryable);
  EXPECT_TRUE(ErrorFromResponse("Op", Response(503, "{}"), "").retryable);
  EXPECT_EQ(ErrorFromResponse("Op", Response(200, ""), "").message, "Op failed: empty response body");
}

TEST(OciErrorTest, RetryAfter) {
  Error e = ErrorFromResponse("Op", Response(429, R"({"code":"TooManyRequests","message":"slow down"})",
                                             {{"retry-after", "7"}}),
                              "");
  EXPECT_EQ(e.kind, ErrorKind::kTooManyRequests);
  EXPECT_EQ(e.retry_after, std::chrono::milliseconds(7000));
  EXPECT_EQ(ParseRetryAfter("1.5"), std::chrono::milliseconds(1500));
  EXPECT_EQ(ParseRetryAfter(" 3 "), std::chrono::milliseconds(3000));
  EXPECT_FALSE(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(ParseRetryAfter("-1"));
  EXPECT_FALSE(ParseRetryAfter(""));
  EXPECT_FALSE(ParseRetryAfter("99999999"));
}

}  // namespace
}  // namespace ccm::oci
