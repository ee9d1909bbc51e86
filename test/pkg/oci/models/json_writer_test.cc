#include "pkg/oci/models/json_writer.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::oci {
namespace {

json::Document Doc(const char* text) {
  auto doc = json::Parse(text, "test");
  EXPECT_TRUE(doc) << text;
  return std::move(*doc);
}

TEST(JsonObjectWriterTest, WritesMembersInOrderAndSplicesRawValues) {
  JsonObjectWriter w;
  w.String("name", "bs \"1\"").Int("port", -80).Bool("drain", false).Raw("healthChecker", R"({"port":10256})");
  w.RawArray("backends", {R"({"ip":"a"})", "2"}).RawArray("empty", {});
  EXPECT_EQ(std::move(w).Finish(),
            R"({"name":"bs \"1\"","port":-80,"drain":false,"healthChecker":{"port":10256},"backends":[{"ip":"a"},2],"empty":[]})");
  EXPECT_EQ(JsonObjectWriter().Finish(), "{}");
}

TEST(JsonWriterTest, Paths) {
  EXPECT_EQ(FieldPath("", "backends"), "backends");
  EXPECT_EQ(FieldPath("items[0]", "port"), "items[0].port");
  EXPECT_EQ(IndexPath("backends", 3), "backends[3]");
  EXPECT_EQ(IndexPath("", 0), "[0]");
}

TEST(JsonWriterTest, OptionalValuesStayAbsentWhenNotSentOrNull) {
  json::Document doc = Doc(R"({"weight":3,"backup":true,"none":null})");
  EXPECT_EQ(OptionalInt(doc, "weight", "b").value(), std::optional<int64_t>(3));
  EXPECT_EQ(OptionalInt(doc, "missing", "b").value(), std::nullopt);
  EXPECT_EQ(OptionalInt(doc, "none", "b").value(), std::nullopt);
  EXPECT_EQ(OptionalBool(doc, "backup", "b").value(), std::optional<bool>(true));
  EXPECT_EQ(OptionalBool(doc, "none", "b").value(), std::nullopt);
  auto wrong = OptionalInt(doc, "backup", "b");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_NE(wrong.error().message.find("b.backup"), std::string::npos) << wrong.error().message;
  EXPECT_FALSE(OptionalBool(doc, "weight", "b"));
}

TEST(JsonWriterTest, StringArraysNameTheFirstWrongElement) {
  json::Document doc = Doc(R"({"ids":["a","b"],"mixed":["a",1],"none":null})");
  EXPECT_EQ(StringArray(doc, "ids", "x").value(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(StringArray(doc, "missing", "x").value().empty());
  auto mixed = StringArray(doc, "mixed", "x");
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().message, "field x.mixed[1] must be a string");
}

TEST(JsonWriterTest, BodiesMustBeTheRightKindOfJson) {
  EXPECT_TRUE(ParseBody(R"({"a":1})", "GetBackendSet response"));
  EXPECT_TRUE(ParseBody("[1]", "ListBackends response", /*want_array=*/true));
  auto array = ParseBody("[1]", "GetBackendSet response");
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_EQ(array.error().message, "GetBackendSet response must be a JSON object");
  auto object = ParseBody("{}", "ListBackends response", true);
  ASSERT_FALSE(object);
  EXPECT_EQ(object.error().message, "ListBackends response must be a JSON array");
  EXPECT_FALSE(ParseBody("{", "GetBackendSet response"));
  auto deep = ParseBody(std::string(1000, '[') + std::string(1000, ']'), "deep", true);
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("deep nests deeper than"), std::string::npos) << deep.error().message;
}

}  // namespace
}  // namespace ccm::oci
