#include "pkg/oci/transport/endpoint.h"

#include <gtest/gtest.h>

#include "pkg/oci/transport/region.h"

namespace ccm::oci {
namespace {

TEST(EndpointsTest, RegionDefaultsAndOverrides) {
  auto e = EndpointsForRegion("us-phoenix-1");
  EXPECT_EQ(e.load_balancer.base_url, "https://iaas.us-phoenix-1.oraclecloud.com");
  EXPECT_EQ(e.load_balancer.version_path, "/20170115");
  EXPECT_EQ(e.network_load_balancer.base_url, "https://network-load-balancer-api.us-phoenix-1.oci.oraclecloud.com");
  EXPECT_EQ(e.network_load_balancer.version_path, "/20200501");
  EXPECT_EQ(e.compute.base_url, "https://iaas.us-phoenix-1.oraclecloud.com");
  EXPECT_EQ(e.compute.version_path, "/20160918");
  auto o = EndpointsForRegion("us-phoenix-1", "oraclecloud.com", {.network_load_balancer = "https://127.0.0.1:1/"});
  EXPECT_EQ(o.network_load_balancer.base_url, "https://127.0.0.1:1");
  EXPECT_EQ(o.network_load_balancer.version_path, "/20200501") << "an override replaces the base URL only";
  EXPECT_EQ(o.compute.base_url, "https://iaas.us-phoenix-1.oraclecloud.com");
}

TEST(EndpointsTest, EveryOverrideLosesItsTrailingSlashes) {
  auto o = EndpointsForRegion("us-phoenix-1", "oraclecloud.com",
                              {.load_balancer = "https://sim:1//", .network_load_balancer = "https://sim:2",
                               .compute = "https://sim:3/"});
  EXPECT_EQ(o.load_balancer.base_url, "https://sim:1");
  EXPECT_EQ(o.network_load_balancer.base_url, "https://sim:2");
  EXPECT_EQ(o.compute.base_url, "https://sim:3");
}

// The way the controller builds them (OciApis): the region table names the realm's domain.
TEST(EndpointsTest, EachRealmUsesItsDomain) {
  const RegionInfo gov = LookupRegion("uk-gov-london-1");
  auto e = EndpointsForRegion(gov.region, gov.domain);
  EXPECT_EQ(e.load_balancer.base_url, "https://iaas.uk-gov-london-1.oraclegovcloud.uk");
  EXPECT_EQ(e.network_load_balancer.base_url, "https://network-load-balancer-api.uk-gov-london-1.oci.oraclegovcloud.uk");
  const RegionInfo code = LookupRegion("iad");
  EXPECT_EQ(EndpointsForRegion(code.region, code.domain).compute.base_url, "https://iaas.us-ashburn-1.oraclecloud.com");
}

}  // namespace
}  // namespace ccm::oci
