#include "pkg/kube/meta_time.h"

#include <gtest/gtest.h>

#include <chrono>

namespace ccm::kube {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

// Epoch seconds worked out independently (Python's datetime.fromisoformat).
constexpr int64_t k2026Jan02At030405 = 1767323045;
constexpr int64_t k2024Feb29At235959 = 1709251199;
constexpr int64_t kPast32BitTimeT = 2147483648;  // 2038-01-19T03:14:08Z

Clock::WallTime At(int64_t epoch_seconds, int64_t micros = 0) {
  return Clock::WallTime(std::chrono::duration_cast<Clock::WallTime::duration>(seconds(epoch_seconds) +
                                                                               microseconds(micros)));
}

TEST(MetaTimeTest, FormatsWholeSecondsAndMicroseconds) {
  EXPECT_EQ(FormatTime(At(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(At(k2026Jan02At030405)), "2026-01-02T03:04:05Z");
  EXPECT_EQ(FormatTime(At(k2026Jan02At030405, 999999)), "2026-01-02T03:04:05Z") << "metav1.Time truncates";
  EXPECT_EQ(FormatTime(At(k2024Feb29At235959)), "2024-02-29T23:59:59Z");
  EXPECT_EQ(FormatTime(At(kPast32BitTimeT)), "2038-01-19T03:14:08Z");
  EXPECT_EQ(FormatMicroTime(At(k2026Jan02At030405, 123456)), "2026-01-02T03:04:05.123456Z");
  EXPECT_EQ(FormatMicroTime(At(k2026Jan02At030405, 7)), "2026-01-02T03:04:05.000007Z");
  EXPECT_EQ(FormatMicroTime(At(0)), "1970-01-01T00:00:00.000000Z");
}

TEST(MetaTimeTest, ParsesEveryFormKubernetesWrites) {
  struct Case {
    const char* text;
    Clock::WallTime want;
  } cases[] = {
      {"2026-01-02T03:04:05Z", At(k2026Jan02At030405)},
      {"2026-01-02t03:04:05z", At(k2026Jan02At030405)},
      {"2026-01-02T03:04:05.123456Z", At(k2026Jan02At030405, 123456)},
      {"2026-01-02T03:04:05.5Z", At(k2026Jan02At030405, 500000)},
      {"2026-01-02T03:04:05.123456789Z", At(k2026Jan02At030405, 123456)},  // nanoseconds: truncated
      {"2026-01-02T08:34:05+05:30", At(k2026Jan02At030405)},
      {"2026-01-01T22:04:05-05:00", At(k2026Jan02At030405)},
      {"2024-02-29T23:59:59Z", At(k2024Feb29At235959)},
      {"2038-01-19T03:14:08Z", At(kPast32BitTimeT)},
  };
  for (const auto& c : cases) {
    auto t = ParseTime(c.text);
    ASSERT_TRUE(t) << c.text << ": " << t.error().ToString();
    EXPECT_EQ(*t, c.want) << c.text;
  }
}

TEST(MetaTimeTest, FormattedTimesParseBack) {
  const Clock::WallTime t = At(k2026Jan02At030405, 654321);
  EXPECT_EQ(ParseTime(FormatMicroTime(t)).value(), t);
  EXPECT_EQ(ParseTime(FormatTime(t)).value(), At(k2026Jan02At030405));
}

TEST(MetaTimeTest, RefusesWhatIsNotRfc3339AndQuotesIt) {
  for (const char* bad : {"", "2026-01-02", "2026-01-02 03:04:05Z", "2026-01-02T03:04:05", "2026-01-02T03:04:05.Z",
                          "2026-13-02T03:04:05Z", "2026-00-02T03:04:05Z", "2026-01-32T03:04:05Z",
                          "2026-01-02T24:04:05Z", "2026-01-02T03:60:05Z", "2026-01-02T03:04:05+0530",
                          "2026-01-02T03:04:05+05:30x", "2026-01-02T03:04:05Zjunk", "20x6-01-02T03:04:05Z",
                          "1767323045"}) {
    auto t = ParseTime(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().kind, ErrorKind::kMalformedResponse) << bad;
    EXPECT_NE(t.error().message.find("\"" + std::string(bad) + "\" is not RFC 3339"), std::string::npos)
        << t.error().message;
  }
}

}  // namespace
}  // namespace ccm::kube
