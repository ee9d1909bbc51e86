#include "pkg/base/json.h"

#include <gtest/gtest.h>

namespace ccm::json {
namespace {

TEST(JsonTest, ParseErrorNamesTheSourceAndOffset) {
  auto doc = Parse(R"({"a": 1,)", "GetBackendSet response");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_NE(doc.error().message.find("GetBackendSet response is not valid JSON"), std::string::npos);
  EXPECT_NE(doc.error().message.find("offset"), std::string::npos);
}

TEST(JsonTest, ReadersNameTheFieldPathOnWrongType) {
  auto doc = Parse(R"({"port": "80", "name": 3, "drain": "yes", "list": {}, "obj": []})", "x");
  ASSERT_TRUE(doc);
  auto port = Int(*doc, "port", "spec.backends[0]");
  ASSERT_FALSE(port);
  EXPECT_EQ(port.error().message, "field spec.backends[0].port must be an integer");
  EXPECT_EQ(String(*doc, "name", "").error().message, "field name must be a string");
  EXPECT_FALSE(Bool(*doc, "drain", ""));
  EXPECT_FALSE(Array(*doc, "list", ""));
  EXPECT_FALSE(Object(*doc, "obj", ""));
}

TEST(JsonTest, OptionalFieldsDefaultAndRequiredFieldsFail) {
  auto doc = Parse(R"({"weight": null})", "x");
  ASSERT_TRUE(doc);
  EXPECT_EQ(Int(*doc, "weight", "", false, 7).value(), 7);
  EXPECT_EQ(String(*doc, "name", "").value(), "");
  EXPECT_EQ(Object(*doc, "hc", "").value(), nullptr);
  auto missing = String(*doc, "ipAddress", "backend", true);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "field backend.ipAddress is required");
}

TEST(JsonTest, DeepNestingIsAnErrorOrValueNeverAStackOverflow) {
  std::string deep(4u << 20, '[');
  auto doc = Parse(deep, "hostile body");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().kind, ErrorKind::kMalformedResponse);
}

// Found by test/fuzz/json: RapidJSON read 3e308 as infinity, which Serialize cannot write.
TEST(JsonTest, NumbersPastTheDoubleRangeAreAnError) {
  for (const char* text : {"3e308", "[1,{\"x\":-1.8e308}]", "17976931348623159e292"}) {
    auto doc = Parse(text, "GetBackendSet response");
    ASSERT_FALSE(doc) << text;
    EXPECT_EQ(doc.error().message, "GetBackendSet response holds a number outside the double range");
  }
  EXPECT_TRUE(Parse("1.7976931348623157e308", "x"));
}

TEST(JsonTest, AppendQuotedEscapesControlCharacters) {
  std::string out;
  AppendQuoted(out, std::string("a\"b\\c\n\x01", 7));
  EXPECT_EQ(out, R"("a\"b\\c\n\u0001")");
  auto doc = Parse(out, "x");
  ASSERT_TRUE(doc);
  EXPECT_EQ(std::string(doc->GetString(), doc->GetStringLength()), std::string("a\"b\\c\n\x01", 7));
}

TEST(JsonTest, ParseInPlaceReadsLikeParseAndRejectsWhatParseRejects) {
  std::string text = R"({"items":[{"name":"n\u00e9-1","port":80}],"metadata":{"continue":""}})";
  const std::string original = text;
  auto copied = Parse(original, "list");
  auto in_place = ParseInPlace(text, "list");
  ASSERT_TRUE(copied && in_place);
  EXPECT_TRUE(*copied == *in_place);
  EXPECT_STREQ((*in_place)["items"][0]["name"].GetString(), "n\xc3\xa9-1");
  // The strings live in `text` itself: nothing was copied out of it.
  const char* name = (*in_place)["items"][0]["name"].GetString();
  EXPECT_TRUE(name >= text.data() && name < text.data() + text.size());

  for (std::string bad : {std::string(R"({"a": 1,)"), std::string("{\"a\":1}\0{\"b\":2}", 15), std::string("[1e309]"),
                          std::string("{} {}")}) {
    std::string copy = bad;
    auto doc = ParseInPlace(copy, "list /api/v1/nodes");
    ASSERT_FALSE(doc) << bad;
    EXPECT_EQ(doc.error().kind, ErrorKind::kMalformedResponse);
    EXPECT_NE(doc.error().message.find("list /api/v1/nodes"), std::string::npos) << doc.error().message;
  }
}

}  // namespace
}  // namespace ccm::json
