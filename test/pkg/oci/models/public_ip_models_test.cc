#include "pkg/oci/models/public_ip_models.h"

#include <gtest/gtest.h>

namespace ccm::oci {
namespace {

TEST(PublicIpModelsTest, CreateWritesOnlyWhatIsSet) {
  EXPECT_EQ(WriteCreatePublicIpDetails({.compartment_id = "c"}),
            R"({"compartmentId":"c","lifetime":"RESERVED"})");
  EXPECT_EQ(
      WriteCreatePublicIpDetails({.compartment_id = "c",
                                  .display_name = "ns/n",
                                  .freeform_tags = {{"b", "2"}, {"a", "1"}},
                                  .private_ip_id = "pip",
                                  .public_ip_pool_id = "pool"}),
      R"({"compartmentId":"c","lifetime":"RESERVED","displayName":"ns/n","freeformTags":{"a":"1","b":"2"},)"
      R"("privateIpId":"pip","publicIpPoolId":"pool"})");
}

TEST(PublicIpModelsTest, UpdateDistinguishesAbsentFromEmpty) {
  EXPECT_EQ(WriteUpdatePublicIpDetails({}), "{}");
  EXPECT_EQ(WriteUpdatePublicIpDetails({.private_ip_id = std::string()}), R"({"privateIpId":""})");
  EXPECT_EQ(WriteUpdatePublicIpDetails({.freeform_tags = FreeformTags{{"k", "v"}}}),
            R"({"freeformTags":{"k":"v"}})");
}

TEST(PublicIpModelsTest, ParsesNullsAsAbsentAndRejectsWrongTypes) {
  auto ip = ParsePublicIp(
      R"({"id":"p","ipAddress":"1.2.3.4","lifecycleState":"AVAILABLE","privateIpId":null,"publicIpPoolId":null,)"
      R"("freeformTags":{"a":"b"},"definedTags":{},"unknownNewField":[1]})");
  ASSERT_TRUE(ip) << ip.error().ToString();
  EXPECT_EQ(ip->private_ip_id, "");
  EXPECT_FALSE(ip->InTransition());
  EXPECT_EQ(ip->freeform_tags.at("a"), "b");
  EXPECT_FALSE(ParsePublicIp(R"({"id":"p","lifecycleState":"AVAILABLE","freeformTags":{"a":1}})"));
  EXPECT_FALSE(ParsePublicIp(R"({"lifecycleState":"AVAILABLE"})"));
  for (const char* s : {"PROVISIONING", "ASSIGNING", "UNASSIGNING", "TERMINATING"}) {
    auto t = ParsePublicIp(std::string(R"({"id":"p","lifecycleState":")") + s + "\"}");
    ASSERT_TRUE(t);
    EXPECT_TRUE(t->InTransition()) << s;
  }
}

}  // namespace
}  // namespace ccm::oci
