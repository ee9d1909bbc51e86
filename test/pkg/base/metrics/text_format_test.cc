#include "pkg/base/metrics/text_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace ccm::metrics {
namespace {

std::string Value(double v) {
  std::string out;
  AppendValue(out, v);
  return out;
}

std::string Value(uint64_t v) {
  std::string out;
  AppendValue(out, v);
  return out;
}

TEST(TextFormatTest, ValuesAreShortestRoundTripOrPrometheusSpecials) {
  EXPECT_EQ(Value(0.0), "0");
  EXPECT_EQ(Value(1.0), "1");
  EXPECT_EQ(Value(0.1), "0.1");
  EXPECT_EQ(Value(-2.5), "-2.5");
  EXPECT_EQ(Value(0.005), "0.005");
  EXPECT_EQ(Value(1e21), "1e+21");
  EXPECT_EQ(Value(std::nan("")), "NaN");
  EXPECT_EQ(Value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(Value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(std::stod(Value(1.0 / 3)), 1.0 / 3) << "reads back exactly";
  EXPECT_EQ(Value(uint64_t{0}), "0");
  EXPECT_EQ(Value(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
}

TEST(TextFormatTest, ValuesAppend) {
  std::string out = "x ";
  AppendValue(out, 2.0);
  AppendValue(out, uint64_t{3});
  EXPECT_EQ(out, "x 23");
}

TEST(TextFormatTest, LabelValuesAndHelpEscapeDifferently) {
  std::string label;
  AppendEscapedLabelValue(label, "a\\b\"c\nd\te");
  EXPECT_EQ(label, "a\\\\b\\\"c\\nd\te");
  std::string help;
  AppendEscapedHelp(help, "a\\b\"c\nd");
  EXPECT_EQ(help, "a\\\\b\"c\\nd") << "HELP keeps double quotes";
}

TEST(TextFormatTest, LabelSets) {
  const std::vector<std::string> names = {"code", "method"};
  const std::vector<std::string> values = {"200", "GET"};
  std::string out;
  AppendLabels(out, names, values);
  EXPECT_EQ(out, R"({code="200",method="GET"})");
  out.clear();
  AppendLabels(out, names, values, "le", "+Inf");
  EXPECT_EQ(out, R"({code="200",method="GET",le="+Inf"})");
  out.clear();
  AppendLabels(out, {}, {}, "le", "0.5");
  EXPECT_EQ(out, R"({le="0.5"})");
  out.clear();
  AppendLabels(out, {}, {});
  EXPECT_EQ(out, "") << "no braces without labels";
  const std::vector<std::string> quoted = {"say \"hi\"\n"};
  const std::vector<std::string> name = {"msg"};
  out.clear();
  AppendLabels(out, name, quoted);
  EXPECT_EQ(out, R"({msg="say \"hi\"\n"})");
}

TEST(TextFormatTest, MetricNames) {
  for (const char* ok : {"a", "ccm_reconciles_total", "_private", "ns:metric", "A1"}) {
    EXPECT_TRUE(IsValidMetricName(ok)) << ok;
  }
  for (const char* bad : {"", "1abc", "a-b", "a b", "a.b", "é"}) EXPECT_FALSE(IsValidMetricName(bad)) << bad;
}

TEST(TextFormatTest, LabelNames) {
  for (const char* ok : {"a", "le", "_x", "code2", "X_Y"}) EXPECT_TRUE(IsValidLabelName(ok)) << ok;
  for (const char* bad : {"", "__name__", "__x", "1a", "a:b", "a-b", "a b"}) {
    EXPECT_FALSE(IsValidLabelName(bad)) << bad;
  }
}

}  // namespace
}  // namespace ccm::metrics
