#include "pkg/cloud/instances/provider_id.h"

#include <gtest/gtest.h>

namespace ccm::cloud::instances {
namespace {

TEST(ProviderIdTest, AcceptsSchemeAndBareOcid) {
  EXPECT_EQ(InstanceIdFromProviderId("oci://ocid1.instance.oc1.phx.abc").value(), "ocid1.instance.oc1.phx.abc");
  EXPECT_EQ(InstanceIdFromProviderId("ocid1.instance.oc1.phx.abc").value(), "ocid1.instance.oc1.phx.abc");
}

TEST(ProviderIdTest, RejectsOtherCloudsEmptyAndNonInstanceOcids) {
  for (const char* bad : {"", "aws:///us-east-1a/i-0123", "oci://", "oci://ocid1.vnic.oc1.phx.abc",
                          "gce://p/z/n", "oci://ocid1.instance.oc1.phx.a b",
                          // Accepted before the one OCID check (pkg/oci/ocid.h): a GetInstance 404
                          // for such an id could end in "instance gone".
                          "oci://ocid1.instance.", "oci://ocid1.instance.x", "ocid1.instance.oc1.phx.a:1"}) {
    auto r = InstanceIdFromProviderId(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument) << bad;
  }
}

TEST(ProviderIdTest, FormatsWithScheme) {
  EXPECT_EQ(ProviderIdForInstance("ocid1.instance.oc1.phx.abc"), "oci://ocid1.instance.oc1.phx.abc");
  EXPECT_EQ(InstanceIdFromProviderId(ProviderIdForInstance("ocid1.instance.oc1..x")).value(), "ocid1.instance.oc1..x");
}

}  // namespace
}  // namespace ccm::cloud::instances
