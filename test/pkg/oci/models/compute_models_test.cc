#include "pkg/oci/models/compute_models.h"

#include <gtest/gtest.h>

namespace ccm::oci {
namespace {

TEST(ComputeModelsTest, Instance) {
  auto i = ParseInstanceBody(R"({"id":"ocid1.instance.oc1..i","displayName":"node-1","availabilityDomain":"Uocm:PHX-AD-1",
      "faultDomain":"FAULT-DOMAIN-2","region":"phx","shape":"VM.Standard.E4.Flex","lifecycleState":"RUNNING",
      "compartmentId":"ocid1.compartment.oc1..c","timeCreated":"2024-01-01T00:00:00.000Z","metadata":{"a":"b"}})");
  ASSERT_TRUE(i) << i.error().ToString();
  EXPECT_EQ(i->availability_domain, "Uocm:PHX-AD-1");
  EXPECT_EQ(i->fault_domain, "FAULT-DOMAIN-2");
  EXPECT_EQ(i->region, "phx");
  EXPECT_EQ(i->shape, "VM.Standard.E4.Flex");
  EXPECT_EQ(i->lifecycle_state, "RUNNING");
  EXPECT_EQ(i->compartment_id, "ocid1.compartment.oc1..c");
  EXPECT_EQ(i->time_created, "2024-01-01T00:00:00.000Z");

  auto bad = ParseInstanceBody(R"({"id":"x","lifecycleState":"RUNNING"})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("field availabilityDomain is required"), std::string::npos);
  auto list = ParseInstanceList(R"([{"id":"x","availabilityDomain":"AD","lifecycleState":"RUNNING","shape":7}])");
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find("field [0].shape must be a string"), std::string::npos) << list.error().message;
}

TEST(ComputeModelsTest, VnicAttachmentsAndVnic) {
  auto a = ParseVnicAttachmentList(R"([{"id":"att","instanceId":"i","vnicId":"v","lifecycleState":"ATTACHED"},
                                       {"id":"att2","instanceId":"i","lifecycleState":"ATTACHING"}])");
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].vnic_id, "v");
  EXPECT_EQ((*a)[1].vnic_id, "");

  auto v = ParseVnic(R"({"id":"v","isPrimary":true,"privateIp":"10.0.0.2","publicIp":"1.2.3.4","hostnameLabel":"node1",
      "subnetId":"s","lifecycleState":"AVAILABLE","ipv6Addresses":["2001:db8::1"]})");
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_TRUE(v->is_primary);
  EXPECT_EQ(v->private_ip, "10.0.0.2");
  EXPECT_EQ(v->public_ip, "1.2.3.4");
  EXPECT_EQ(v->hostname_label, "node1");
  EXPECT_EQ(v->ipv6_addresses, std::vector<std::string>{"2001:db8::1"});
  auto bad = ParseVnic(R"({"id":"v","ipv6Addresses":[1]})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("ipv6Addresses[0] must be a string"), std::string::npos);
  EXPECT_FALSE(ParseVnic(R"({"id":"v","isPrimary":"true"})"));
}

}  // namespace
}  // namespace ccm::oci
