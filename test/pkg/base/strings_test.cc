#include "pkg/base/strings.h"

#include <gtest/gtest.h>

namespace ccm {
namespace {

using std::chrono::milliseconds;

TEST(StringsTest, ParseGoBoolAcceptsExactlyGosSpellings) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) EXPECT_EQ(ParseGoBool(t), true) << t;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"}) EXPECT_EQ(ParseGoBool(f), false) << f;
  for (const char* bad : {"", "yes", "tRUE", " true", "2"}) EXPECT_EQ(ParseGoBool(bad), std::nullopt) << bad;
}

TEST(StringsTest, ParseDurationForms) {
  EXPECT_EQ(ParseDuration("30s"), milliseconds(30000));
  EXPECT_EQ(ParseDuration("5m"), milliseconds(300000));
  EXPECT_EQ(ParseDuration("1h30m"), milliseconds(5400000));
  EXPECT_EQ(ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(ParseDuration("1m30s500ms"), milliseconds(90500));
  EXPECT_EQ(ParseDuration("15"), milliseconds(15000));
  for (const char* bad : {"", "s", "5x", "1.5s", "-3s", "99999999999999s"}) {
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
  }
}

TEST(StringsTest, SplitTrimmedDropsEmptyPieces) {
  EXPECT_EQ(SplitTrimmed(" a, b ,,c ", ','), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitTrimmed("  ", ',').empty());
}

// Found by test/fuzz/strings: many large terms overflowed the sum (UBSan).
TEST(StringsTest, ParseDurationSaturatesASumPastTheRange) {
  const std::chrono::milliseconds cap(1'000'000'000'000'000'000LL);
  EXPECT_EQ(ParseDuration("999999999999h999999999999h999999999999h"), cap);
  EXPECT_EQ(ParseDuration("1010m1010m7m3h0m7m3h0m1010m77m3h999999999999h0m7m"), cap);
  EXPECT_EQ(ParseDuration("999999999999h"), cap);
  EXPECT_EQ(ParseDuration("1h30m"), std::chrono::minutes(90));
}

}  // namespace
}  // namespace ccm
