#include "pkg/oci/models/published_models.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::oci {
namespace {

json::Document Doc(const std::string& text) {
  auto doc = json::Parse(text, "test");
  EXPECT_TRUE(doc) << text;
  return std::move(*doc);
}

TEST(PublishedModelsTest, OnlyPublishedFieldsSurviveInTheirOrder) {
  json::Document hc = Doc(R"({"protocol":"HTTP","port":10256,"lifecycleState":"ACTIVE","urlPath":"/healthz",)"
                          R"("returnCode":200,"isForcePlainText":false})");
  EXPECT_EQ(SerializeAs(hc, kLbHealthCheckerDetails),
            R"({"protocol":"HTTP","port":10256,"urlPath":"/healthz","returnCode":200,"isForcePlainText":false})");
}

TEST(PublishedModelsTest, NestedModelsAreFilteredToo) {
  json::Document hc = Doc(R"({"protocol":"DNS","dns":{"domainName":"x.example","queryType":"A","ttl":5},)"
                          R"("unknown":{"a":1}})");
  EXPECT_EQ(SerializeAs(hc, kNlbHealthCheckerDetails),
            R"({"protocol":"DNS","dns":{"domainName":"x.example","queryType":"A"}})");
  json::Document listed = Doc(R"({"dns":[{"domainName":"a","x":1},{"rcodes":["NOERROR"]}]})");
  EXPECT_EQ(SerializeAs(listed, kNlbHealthCheckerDetails),
            R"({"dns":[{"domainName":"a"},{"rcodes":["NOERROR"]}]})");
}

TEST(PublishedModelsTest, ANonObjectIsKeptVerbatim) {
  EXPECT_EQ(SerializeAs(Doc("[1,2]"), kLbSslConfigurationDetails), "[1,2]");
  EXPECT_EQ(SerializeAs(Doc(R"({"v":"s"})")["v"], kLbSslConfigurationDetails), R"("s")");
}

TEST(PublishedModelsTest, PublishedObjectMember) {
  json::Document set = Doc(R"({"sessionPersistenceConfiguration":{"cookieName":"*","extra":1},)"
                           R"("lbCookieSessionPersistenceConfiguration":null,"sslConfiguration":"x"})");
  EXPECT_EQ(PublishedObject(set, "sessionPersistenceConfiguration", "bs", kLbSessionPersistenceConfigurationDetails)
                .value(),
            R"({"cookieName":"*"})");
  EXPECT_EQ(PublishedObject(set, "lbCookieSessionPersistenceConfiguration", "bs",
                            kLbCookieSessionPersistenceConfigurationDetails)
                .value(),
            "")
      << "null is absent";
  EXPECT_EQ(PublishedObject(set, "healthChecker", "bs", kLbHealthCheckerDetails).value(), "");
  auto required = PublishedObject(set, "healthChecker", "bs", kLbHealthCheckerDetails, /*required=*/true);
  ASSERT_FALSE(required);
  EXPECT_EQ(required.error().message, "field bs.healthChecker is required");
  auto wrong = PublishedObject(set, "sslConfiguration", "bs", kLbSslConfigurationDetails);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_NE(wrong.error().message.find("bs.sslConfiguration"), std::string::npos) << wrong.error().message;
}

}  // namespace
}  // namespace ccm::oci
