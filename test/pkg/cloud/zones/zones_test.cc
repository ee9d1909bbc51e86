#include "pkg/cloud/zones/zones.h"

#include <gtest/gtest.h>

#include <map>

namespace ccm::cloud::zones {
namespace {

TEST(ZonesTest, ZoneDropsTenancyPrefix) {
  EXPECT_EQ(ZoneFromAvailabilityDomain("Uocm:PHX-AD-1"), "PHX-AD-1");
  EXPECT_EQ(ZoneFromAvailabilityDomain("PHX-AD-3"), "PHX-AD-3");
  EXPECT_EQ(ZoneFromAvailabilityDomain(""), "");
}

TEST(ZonesTest, RegionKeysMapToFullNames) {
  EXPECT_EQ(RegionName("phx", ""), "us-phoenix-1");
  EXPECT_EQ(RegionName("IAD", ""), "us-ashburn-1");
  EXPECT_EQ(RegionName("fra", "us-phoenix-1"), "eu-frankfurt-1");  // the instance wins
  EXPECT_EQ(RegionName("eu-zurich-1", "us-phoenix-1"), "eu-zurich-1");
}

TEST(ZonesTest, UnknownKeyFallsBackToConfiguredRegionElseStays) {
  EXPECT_EQ(RegionName("zzq", "us-sanjose-1"), "us-sanjose-1");
  EXPECT_EQ(RegionName("zzq", "ord"), "us-chicago-1");
  EXPECT_EQ(RegionName("zzq", ""), "zzq");
  EXPECT_EQ(RegionName("", "us-ashburn-1"), "us-ashburn-1");
}

TEST(ZonesTest, LabelsCarryStableBetaAndFaultDomain) {
  oci::Instance instance{.id = "i", .display_name = "n", .availability_domain = "Uocm:PHX-AD-2",
                         .fault_domain = "FAULT-DOMAIN-2", .region = "phx", .shape = "VM.Standard.E4.Flex",
                         .lifecycle_state = "RUNNING", .compartment_id = "c", .time_created = ""};
  Topology t = TopologyOf(instance, "");
  EXPECT_EQ(t, (Topology{"PHX-AD-2", "us-phoenix-1", "FAULT-DOMAIN-2"}));
  auto labels = TopologyLabels(t, instance.shape);
  std::map<std::string, std::string> m(labels.begin(), labels.end());
  EXPECT_EQ(m.size(), labels.size());
  EXPECT_EQ(m.at("topology.kubernetes.io/zone"), "PHX-AD-2");
  EXPECT_EQ(m.at("failure-domain.beta.kubernetes.io/zone"), "PHX-AD-2");
  EXPECT_EQ(m.at("topology.kubernetes.io/region"), "us-phoenix-1");
  EXPECT_EQ(m.at("failure-domain.beta.kubernetes.io/region"), "us-phoenix-1");
  EXPECT_EQ(m.at("node.kubernetes.io/instance-type"), "VM.Standard.E4.Flex");
  EXPECT_EQ(m.at("beta.kubernetes.io/instance-type"), "VM.Standard.E4.Flex");
  EXPECT_EQ(m.at("oci.oraclecloud.com/fault-domain"), "FAULT-DOMAIN-2");
}

TEST(ZonesTest, EmptyValuesAreLeftOut) {
  auto labels = TopologyLabels(Topology{"AD-1", "", ""}, "");
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0].second, "AD-1");
  EXPECT_EQ(labels[1].second, "AD-1");
}

}  // namespace
}  // namespace ccm::cloud::zones
