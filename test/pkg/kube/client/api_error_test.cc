#include "pkg/kube/client/api_error.h"

#include <gtest/gtest.h>

namespace ccm::kube {
namespace {

HttpResponse Resp(int status, std::string body, HttpHeaders headers = {}) {
  return HttpResponse{.status = status, .headers = std::move(headers), .body = std::move(body)};
}

TEST(ApiErrorTest, InvalidListsFieldCauses) {
  auto e = ErrorFromResponse(
      Resp(422, R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"Service \"s\" is invalid",
                    "reason":"Invalid","details":{"name":"s","kind":"Service","causes":[
                    {"reason":"FieldValueInvalid","message":"Invalid value: 70000: must be between 1 and 65535","field":"spec.ports[0].port"},
                    {"reason":"FieldValueRequired","message":"Required value","field":"spec.selector"}]},"code":422})"),
      "POST /api/v1/namespaces/default/services");
  EXPECT_EQ(e.kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(e.code, "Invalid");
  EXPECT_EQ(e.http_status, 422);
  EXPECT_NE(e.message.find("spec.ports[0].port: Invalid value: 70000"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("spec.selector: Required value"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("POST /api/v1/namespaces/default/services"), std::string::npos);
}

TEST(ApiErrorTest, ReasonsMapToKinds) {
  struct Case {
    int status;
    const char* reason;
    ErrorKind kind;
  } cases[] = {{404, "NotFound", ErrorKind::kNotFound},         {409, "Conflict", ErrorKind::kConflict},
               {409, "AlreadyExists", ErrorKind::kConflict},    {410, "Expired", ErrorKind::kGone},
               {403, "Forbidden", ErrorKind::kForbidden},       {401, "Unauthorized", ErrorKind::kUnauthenticated},
               {429, "TooManyRequests", ErrorKind::kTooManyRequests},
               {500, "InternalError", ErrorKind::kUnavailable}, {503, "ServiceUnavailable", ErrorKind::kUnavailable}};
  for (const auto& c : cases) {
    auto e = ErrorFromResponse(Resp(c.status, std::string(R"({"kind":"Status","reason":")") + c.reason +
                                                  R"(","message":"m","code":)" + std::to_string(c.status) + "}"),
                               "GET /x");
    EXPECT_EQ(e.kind, c.kind) << c.reason;
    EXPECT_EQ(e.code, c.reason);
  }
}

TEST(ApiErrorTest, RetryAfterFromHeaderFor429And5xx) {
  auto e = ErrorFromResponse(Resp(429, R"({"kind":"Status","reason":"TooManyRequests","code":429})",
                                  {{"retry-after", "7"}}),
                             "GET /x");
  EXPECT_EQ(e.kind, ErrorKind::kTooManyRequests);
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(e.retry_after, std::chrono::seconds(7));
  auto e5 = ErrorFromResponse(Resp(503, "upstream down", {{"retry-after", "3"}}), "GET /x");
  EXPECT_EQ(e5.kind, ErrorKind::kUnavailable);
  EXPECT_EQ(e5.retry_after, std::chrono::seconds(3));
  auto e409 = ErrorFromResponse(Resp(409, R"({"kind":"Status","reason":"Conflict","code":409})",
                                     {{"retry-after", "3"}}),
                                "PUT /x");
  EXPECT_EQ(e409.retry_after, std::chrono::milliseconds(0));
}

TEST(ApiErrorTest, RetryAfterSecondsFromStatusDetails) {
  auto e = ErrorFromResponse(
      Resp(429, R"({"kind":"Status","reason":"TooManyRequests","code":429,"details":{"retryAfterSeconds":2}})"),
      "GET /x");
  EXPECT_EQ(e.retry_after, std::chrono::seconds(2));
}

TEST(ApiErrorTest, NonStatusBodyKeepsHttpStatus) {
  auto e = ErrorFromResponse(Resp(404, "404 page not found"), "GET /nope");
  EXPECT_EQ(e.kind, ErrorKind::kNotFound);
  EXPECT_EQ(e.http_status, 404);
  EXPECT_NE(e.message.find("404 page not found"), std::string::npos);
}

}  // namespace
}  // namespace ccm::kube
