#include "pkg/oci/auth/jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pkg/base/base64.h"

namespace ccm::oci {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Segment(std::string_view json) {
  std::string s = Base64Encode(json);
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

TEST(JwtTest, ReadsExpAndIat) {
  auto times = ParseJwtTimes(Segment("{\"alg\":\"none\"}") + "." + Segment("{\"iat\":1700000000,\"exp\":1700001200}") + ".sig");
  ASSERT_TRUE(times) << times.error().ToString();
  EXPECT_EQ(times->expires_at, std::chrono::system_clock::from_time_t(1700001200));
  ASSERT_TRUE(times->issued_at);
  EXPECT_EQ(*times->issued_at, std::chrono::system_clock::from_time_t(1700000000));
}

TEST(JwtTest, IatIsOptional) {
  auto times = ParseJwtTimes("h." + Segment("{\"exp\":1700001200.0,\"sub\":\"a?b>\"}") + ".");
  ASSERT_TRUE(times);
  EXPECT_FALSE(times->issued_at);
}

// Found by test/fuzz/instance_principals: exp = 1.7e17 overflowed the clock's nanoseconds.
TEST(JwtTest, ClaimsOutsideTheCalendarAreAnErrorNotAnOverflow) {
  for (const char* exp : {"170000360000000000", "1e300", "-5", "253402300799", "7258118401"}) {
    auto times = ParseJwtTimes(Segment("{}") + "." + Segment(std::string("{\"exp\":") + exp + "}") + ".sig");
    ASSERT_FALSE(times) << exp;
    EXPECT_EQ(times.error().message, "security token claim 'exp' is out of range");
  }
  // The last second that still fits the clock's nanoseconds comfortably (found by the
  // sanitizer run: 9999-12-31 overflowed them too).
  auto last = ParseJwtTimes(Segment("{}") + "." + Segment("{\"exp\":7258118400}") + ".sig");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->expires_at, std::chrono::system_clock::from_time_t(7258118400));
}

TEST(JwtTest, RejectsMalformedTokensWithoutQuotingThem) {
  const std::string secret_part = Segment("{\"iat\":1,\"secret\":\"zzzzzzzzzzzz\"}");
  for (const std::string& token : {std::string("no-dots-here"), "a." + secret_part + ".c", std::string("a.!!!.c"),
                                   "a." + Segment("[1]") + ".c", "a." + Segment("{\"exp\":\"soon\"}") + ".c"}) {
    auto times = ParseJwtTimes(token);
    ASSERT_FALSE(times) << token;
    EXPECT_THAT(times.error().message, Not(HasSubstr(secret_part.substr(0, 12))));
  }
}

}  // namespace
}  // namespace ccm::oci
