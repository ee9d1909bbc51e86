#include "pkg/oci/transport/url.h"

#include <gtest/gtest.h>

namespace ccm::oci {
namespace {

TEST(PercentEncodeTest, KeepsUnreservedAndEncodesEverythingElse) {
  EXPECT_EQ(PercentEncode("ocid1.loadbalancer.oc1.phx.aaaa-_~"), "ocid1.loadbalancer.oc1.phx.aaaa-_~");
  EXPECT_EQ(PercentEncode("10.0.0.1:8080"), "10.0.0.1%3A8080");
  EXPECT_EQ(PercentEncode("a b/c?d&e=f#g%"), "a%20b%2Fc%3Fd%26e%3Df%23g%25");
  EXPECT_EQ(PercentEncode("\xC3\xA9"), "%C3%A9");
}

TEST(BuildUrlTest, JoinsBaseVersionSegmentsAndQuery) {
  EXPECT_EQ(BuildUrl("https://iaas.us-phoenix-1.oraclecloud.com/", "/20170115",
                     {"loadBalancers", "ocid1.loadbalancer.oc1..x", "backendSets", "my set", "backends",
                      "10.0.0.1:8080"},
                     {}),
            "https://iaas.us-phoenix-1.oraclecloud.com/20170115/loadBalancers/ocid1.loadbalancer.oc1..x/"
            "backendSets/my%20set/backends/10.0.0.1%3A8080");
  EXPECT_EQ(BuildUrl("https://127.0.0.1:9443", "/20160918", {"instances"},
                     {{"compartmentId", "ocid1.compartment.oc1..c"}, {"displayName", "node a&b"}, {"page", "x/y=="}}),
            "https://127.0.0.1:9443/20160918/instances?compartmentId=ocid1.compartment.oc1..c&displayName=node%20a%26b"
            "&page=x%2Fy%3D%3D");
}

TEST(BuildUrlTest, SlashSegmentCannotEscapeThePath) {
  EXPECT_EQ(BuildUrl("https://h", "/v", {"backendSets", "../../x"}, {}), "https://h/v/backendSets/..%2F..%2Fx");
}

}  // namespace
}  // namespace ccm::oci
