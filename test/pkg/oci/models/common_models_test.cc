#include "pkg/oci/models/common_models.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::oci {
namespace {

json::Document Doc(const char* text) {
  auto doc = json::Parse(text, "test");
  EXPECT_TRUE(doc) << text;
  return std::move(*doc);
}

TEST(CommonModelsTest, IpAddresses) {
  json::Document lb = Doc(R"({"ipAddresses":[{"ipAddress":"129.1.2.3","isPublic":true},{"ipAddress":"10.0.0.9"}]})");
  auto ips = ParseIpAddresses(lb, "loadBalancer");
  ASSERT_TRUE(ips) << ips.error().ToString();
  ASSERT_EQ(ips->size(), 2u);
  EXPECT_EQ((*ips)[0].ip_address, "129.1.2.3");
  EXPECT_TRUE((*ips)[0].is_public);
  EXPECT_EQ((*ips)[1].ip_address, "10.0.0.9");
  EXPECT_FALSE((*ips)[1].is_public) << "absent isPublic is private";
  EXPECT_TRUE(ParseIpAddresses(Doc("{}"), "loadBalancer").value().empty());
}

TEST(CommonModelsTest, AMalformedIpAddressIsNamedByItsPath) {
  auto not_object = ParseIpAddresses(Doc(R"({"ipAddresses":[{"ipAddress":"1.1.1.1"},"2.2.2.2"]})"), "lb");
  ASSERT_FALSE(not_object);
  EXPECT_EQ(not_object.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_EQ(not_object.error().message, "field lb.ipAddresses[1] must be an object");
  auto missing = ParseIpAddresses(Doc(R"({"ipAddresses":[{"isPublic":true}]})"), "lb");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "field lb.ipAddresses[0].ipAddress is required");
  auto not_array = ParseIpAddresses(Doc(R"({"ipAddresses":{}})"), "lb");
  ASSERT_FALSE(not_array);
  EXPECT_NE(not_array.error().message.find("lb.ipAddresses"), std::string::npos);
}

TEST(CommonModelsTest, MapKeysAreTheBackendSetNames) {
  auto names = ParseMapKeys(Doc(R"({"backendSets":{"http":{},"https":{"port":443}}})"), "backendSets", "lb");
  ASSERT_TRUE(names) << names.error().ToString();
  EXPECT_EQ(*names, (std::vector<std::string>{"http", "https"}));
  EXPECT_TRUE(ParseMapKeys(Doc("{}"), "backendSets", "lb").value().empty());
  auto wrong = ParseMapKeys(Doc(R"({"backendSets":["http"]})"), "backendSets", "lb");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("lb.backendSets"), std::string::npos);
}

}  // namespace
}  // namespace ccm::oci
