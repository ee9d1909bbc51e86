#include "pkg/base/json_member_elider.h"

#include <gtest/gtest.h>

#include <string>

#include "pkg/base/json.h"

namespace ccm::json {
namespace {

std::string Elide(std::string_view in, size_t chunk = std::string::npos, size_t* elided = nullptr) {
  MemberElider elider("backends", "[]");
  std::string out;
  for (size_t i = 0; i < in.size(); i += chunk) elider.Feed(in.substr(i, chunk), out);
  if (elided != nullptr) *elided = elider.elided_bytes();
  return out;
}

constexpr char kLoadBalancer[] = R"({"id":"ocid1.loadbalancer.oc1..a","backendSets":{
  "web":{"name":"web","backends":[{"name":"10.0.0.1:80","ipAddress":"10.0.0.1","port":80},
                                  {"name":"10.0.0.2:80","ipAddress":"10.0.0.2","port":80}],"policy":"ROUND_ROBIN"},
  "api" : {"backends" :  [ ], "healthChecker":{"protocol":"HTTP","urlPath":"/backends]\"}"}},
  "odd":{"name":"x\"backends\":[1]","backends":{"nested":[[{"a":"]}"}]]}}},
 "lifecycleState":"ACTIVE"})";

constexpr char kExpected[] = R"({"id":"ocid1.loadbalancer.oc1..a","backendSets":{
  "web":{"name":"web","backends":[],"policy":"ROUND_ROBIN"},
  "api" : {"backends" :[], "healthChecker":{"protocol":"HTTP","urlPath":"/backends]\"}"}},
  "odd":{"name":"x\"backends\":[1]","backends":[]}},
 "lifecycleState":"ACTIVE"})";

TEST(MemberEliderTest, DropsEveryValueOfTheMemberAndCopiesTheRestByteForByte) {
  size_t elided = 0;
  EXPECT_EQ(Elide(kLoadBalancer, std::string::npos, &elided), kExpected);
  EXPECT_GT(elided, 150u);
}

TEST(MemberEliderTest, SameOutputHoweverTheInputIsSplit) {
  for (size_t chunk = 1; chunk < 40; ++chunk) EXPECT_EQ(Elide(kLoadBalancer, chunk), kExpected) << "chunk " << chunk;
}

TEST(MemberEliderTest, OutputParsesAndKeepsEveryOtherField) {
  auto doc = Parse(Elide(kLoadBalancer, 7), "elided");
  ASSERT_TRUE(doc) << doc.error().ToString();
  const Value& sets = (*doc)["backendSets"];
  EXPECT_TRUE(sets["web"]["backends"].IsArray());
  EXPECT_EQ(sets["web"]["backends"].Size(), 0u);
  EXPECT_STREQ(sets["web"]["policy"].GetString(), "ROUND_ROBIN");
  EXPECT_STREQ(sets["api"]["healthChecker"]["urlPath"].GetString(), "/backends]\"}");
  EXPECT_STREQ(sets["odd"]["name"].GetString(), "x\"backends\":[1]");
  EXPECT_STREQ((*doc)["lifecycleState"].GetString(), "ACTIVE");
}

TEST(MemberEliderTest, ScalarValuesAndOtherKeysAreCopied) {
  EXPECT_EQ(Elide(R"({"backends":"none","backendsCount":[1],"xbackends":[2],"backends": 3})"),
            R"({"backends":"none","backendsCount":[1],"xbackends":[2],"backends": 3})");
  EXPECT_EQ(Elide(R"(["backends",{"k":"backends"},{"backends":[9]}])"), R"(["backends",{"k":"backends"},{"backends":[]}])");
  // An escaped key is not matched: OCI never writes one.
  EXPECT_EQ(Elide(R"({"back\u0065nds":[1]})"), R"({"back\u0065nds":[1]})");
}

TEST(MemberEliderTest, MalformedInputStaysMalformed) {
  for (std::string bad : {R"({"backends":[1,2)", R"({"backends":[1}, "x":1})", R"({"backends":[{"a":"]})", R"({"backends":)"}) {
    std::string out = Elide(bad, 3);
    EXPECT_FALSE(Parse(out, "elided")) << bad << " -> " << out;
  }
}

}  // namespace
}  // namespace ccm::json
