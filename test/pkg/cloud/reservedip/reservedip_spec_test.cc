#include "pkg/cloud/reservedip/reservedip_spec.h"

#include <gtest/gtest.h>

#include "pkg/cloud/reservedip/reservedip_reasons.h"

namespace ccm::cloud::reservedip {
namespace {

TEST(ReservedIPSpecTest, TheOperatorsReadmeExamplesParse) {
  auto basic =
      ParseReservedIPSpec(R"({"tags":{"owner":"My team"},"assignment":{"podName":"some-pod"}})");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->tags.at("owner"), "My team");
  EXPECT_EQ(basic->pod_name, "some-pod");
  EXPECT_EQ(basic->EffectiveReclaimPolicy(), ReclaimPolicy::kDelete);
  auto adopt = ParseReservedIPSpec(R"({"publicIPv4Address":"12.34.56.78"})");
  ASSERT_TRUE(adopt);
  EXPECT_TRUE(adopt->Adopts());
  EXPECT_EQ(adopt->EffectiveReclaimPolicy(), ReclaimPolicy::kRetain);
  auto alias = ParseReservedIPSpec(R"({"publicIPAddress":"12.34.56.78","reclaimPolicy":"Delete"})");
  ASSERT_TRUE(alias);
  EXPECT_EQ(alias->address, "12.34.56.78");
  EXPECT_EQ(alias->EffectiveReclaimPolicy(), ReclaimPolicy::kDelete);
  EXPECT_TRUE(ParseReservedIPSpec(""));
  EXPECT_TRUE(ParseReservedIPSpec("{}"));
}

struct BadCase {
  const char* spec;
  const char* reason;
  const char* field;
};

TEST(ReservedIPSpecTest, BadInputNamesTheFieldAndTheReason) {
  const BadCase cases[] = {
      {R"({"assignment":{"podName":"p","privateIpId":"ocid1.privateip.oc1.phx.x"}})",
       reason::kInvalidAssignment, "spec.assignment"},
      {R"({"publicIPv4Address":"12.34.56"})", reason::kInvalidAddress, "spec.publicIPv4Address"},
      {R"({"publicIPv4Address":"12.34.56.789"})", reason::kInvalidAddress,
       "spec.publicIPv4Address"},
      {R"({"publicIPAddress":"012.34.56.78"})", reason::kInvalidAddress, "spec.publicIPAddress"},
      {R"({"publicIPv4Address":"1.2.3.4","publicIPAddress":"1.2.3.5"})", reason::kInvalidAddress,
       "spec.publicIPAddress"},
      {R"({"publicIPv4Pool":"ocid1.subnet.oc1.phx.x"})", reason::kInvalidPool,
       "spec.publicIPv4Pool"},
      {R"({"tags":{"has space":"x"}})", reason::kInvalidTags, "spec.tags"},
      {R"({"tags":{"k8s-reservedip-uid":"x"}})", reason::kInvalidTags, "spec.tags"},
      {R"({"tags":{"n":1}})", reason::kInvalidTags, "spec.tags.n"},
      {R"({"assignment":{"podName":"Not_A_Pod"}})", reason::kInvalidPodName,
       "spec.assignment.podName"},
      {R"({"assignment":{"privateIpId":"ocid1.vnic.oc1.phx.x"}})", reason::kInvalidPrivateIpId,
       "spec.assignment.privateIpId"},
      {R"({"reclaimPolicy":"Keep"})", reason::kInvalidSpec, "spec.reclaimPolicy"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseReservedIPSpec(c.spec);
    ASSERT_FALSE(parsed) << c.spec;
    EXPECT_EQ(parsed.error().reason, c.reason) << c.spec;
    EXPECT_EQ(parsed.error().field, c.field) << c.spec;
    EXPECT_NE(parsed.error().message.find(c.field), std::string::npos) << parsed.error().message;
  }
}

TEST(ReservedIPSpecTest, AddressesAndCidrs) {
  EXPECT_TRUE(IsIpv4Address("0.0.0.0"));
  EXPECT_TRUE(IsIpv4Address("255.255.255.255"));
  EXPECT_FALSE(IsIpv4Address("1.2.3.4 "));
  EXPECT_FALSE(IsIpv4Address("1.2.3.4.5"));
  EXPECT_FALSE(IsIpv4Address("a.b.c.d"));
  EXPECT_TRUE(AddressInCidrs("192.0.2.77", {"198.51.100.0/24", "192.0.2.64/26"}));
  EXPECT_FALSE(AddressInCidrs("192.0.2.7", {"192.0.2.64/26"}));
  EXPECT_TRUE(AddressInCidrs("8.8.8.8", {"0.0.0.0/0"}));
  EXPECT_FALSE(AddressInCidrs("8.8.8.8", {"garbage", "8.8.8.0/33"}));
}

}  // namespace
}  // namespace ccm::cloud::reservedip
