#include "pkg/oci/ocid.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::oci {
namespace {

// The two examples of Oracle's Resource Identifiers page.
constexpr const char* kDocsTenancy = "ocid1.tenancy.oc1..aaaaaaaaba3pv6wkcr4jqae5f44n2b2m2yt2j6rx32uzr4h25vqstifsfdsq";
constexpr const char* kDocsInstance =
    "ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjqofakrwvou52gb6s5a";

struct OcidCase {
  std::string id;
  bool valid;
  const char* why;
};

// The edges where the three checks this one replaced disagreed are marked "was": a prefix
// plus length check (cloud-config), a prefix plus character check (LBRegistrar and Service
// load balancer ids), and a prefix plus " /?#" check (node providerID).
TEST(OcidTest, TheDocumentedShapeAndNothingElse) {
  const OcidCase cases[] = {
      {kDocsTenancy, true, "docs example: no region part"},
      {kDocsInstance, true, "docs example: three-letter region"},
      {"ocid1.networkloadbalancer.oc1.eu-frankfurt-1.aaaa", true, "long region name"},
      {"ocid1.loadbalancer.oc4.uk-gov-london-1.aaaa", true, "another realm"},
      {"ocid1.instance.oc1.phx.future.aaaa", true, "a future-use part"},
      {"ocid1.tenancy.oc1...aaaa", true, "blank region and blank future-use part"},
      {"ocid1.loadbalancer.oc1..a", true, "the unique part's length is the service's business"},
      {"ocid1.instance.oc1.phx.AbC-_9", true, "the unique part's format varies by service"},

      {"", false, "empty"},
      {"ocid1", false, "version only"},
      {"ocid1.loadbalancer", false, "no realm"},
      {"ocid1.instance.", false, "was accepted as a providerID: nothing after the type"},
      {"ocid1.instance.x", false, "was accepted as a providerID: no realm, no unique part"},
      {"ocid1.loadbalancer.abcdef", false, "was accepted everywhere but providerIDs: no realm"},
      {"ocid1.vcn.abc", false, "was accepted by cloud-config: no realm"},
      {"ocid1.loadbalancer.oc1.phx.", false, "was accepted by cloud-config: cut short at the last dot"},
      {"ocid1.loadbalancer.oc1.phx.aaaa\n", false, "was accepted by cloud-config: a pasted block scalar's newline"},
      {"ocid1.user.oc1..aaaa bbbb", false, "was accepted by cloud-config and apiKey.user: a space"},
      {"ocid1.instance.oc1.phx.aaaa:80", false, "was accepted as a providerID: ':'"},
      {"ocid1.instance.oc1.phx.aa%2Fbb", false, "was accepted as a providerID: '%'"},
      {"ocid1.loadbalancer.OC1.PHX.aaaa", false, "was accepted by all three: OCI issues lower-case realms and regions"},
      {"ocid1.loadbalancer.oc1.phx.a.b.c", false, "was accepted for load balancers: seven parts"},
      {"ocid1.instance.oc1.us_phoenix_1.aaaa", false, "was accepted by all three: not a region"},
      {"ocid1.instance.oc1.-phx.aaaa", false, "was accepted by all three: not a region"},
      {"ocid1.Instance.oc1.phx.aaaa", false, "upper-case resource type"},
      {"ocid1..oc1.phx.aaaa", false, "empty resource type"},
      {"ocid1.instance..phx.aaaa", false, "empty realm"},
      {"ocid2.instance.oc1.phx.aaaa", false, "another version"},
      {" ocid1.tenancy.oc1..aaaa", false, "leading space"},
      {"ocid1.instance.oc1.phx.fut_ure.aaaa", false, "future-use part with '_'"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseOcid(c.id).has_value(), c.valid) << "\"" << c.id << "\": " << c.why;
  }
}

TEST(OcidTest, PartsAreViewsOfTheirSegments) {
  auto tenancy = ParseOcid(kDocsTenancy);
  ASSERT_TRUE(tenancy);
  EXPECT_EQ(tenancy->resource_type, "tenancy");
  EXPECT_EQ(tenancy->realm, "oc1");
  EXPECT_EQ(tenancy->region, "");
  EXPECT_EQ(tenancy->unique_id, "aaaaaaaaba3pv6wkcr4jqae5f44n2b2m2yt2j6rx32uzr4h25vqstifsfdsq");

  auto with_future_use = ParseOcid("ocid1.networkloadbalancer.oc19.eu-madrid-2.f1.xyz");
  ASSERT_TRUE(with_future_use);
  EXPECT_EQ(with_future_use->resource_type, "networkloadbalancer");
  EXPECT_EQ(with_future_use->realm, "oc19");
  EXPECT_EQ(with_future_use->region, "eu-madrid-2");
  EXPECT_EQ(with_future_use->unique_id, "xyz");
}

TEST(OcidTest, OfTypeComparesTheWholeResourceType) {
  EXPECT_TRUE(IsOcidOf(kDocsInstance, "instance"));
  EXPECT_FALSE(IsOcidOf(kDocsInstance, "instanc"));
  EXPECT_FALSE(IsOcidOf(kDocsInstance, "instances"));
  EXPECT_FALSE(IsOcidOf(kDocsInstance, ""));
  EXPECT_TRUE(IsOcidOf("ocid1.loadbalancer.oc1.phx.aaaa", "loadbalancer"));
  EXPECT_FALSE(IsOcidOf("ocid1.loadbalancer.oc1.phx.aaaa", "networkloadbalancer"));
  EXPECT_FALSE(IsOcidOf("ocid1.networkloadbalancer.oc1.phx.aaaa", "loadbalancer"));
  EXPECT_FALSE(IsOcidOf("ocid1.instance.x", "instance")) << "the type alone is not an OCID";
}

TEST(OcidTest, CompartmentsIncludeTheRootCompartmentTheTenancy) {
  EXPECT_TRUE(IsCompartmentOcid("ocid1.compartment.oc1..aaaa"));
  EXPECT_TRUE(IsCompartmentOcid(kDocsTenancy));
  EXPECT_FALSE(IsCompartmentOcid("ocid1.user.oc1..aaaa"));
  EXPECT_FALSE(IsCompartmentOcid("ocid1.compartment.aaaa"));
  EXPECT_FALSE(IsCompartmentOcid("compartment-1"));
}

TEST(OcidTest, EitherKindOfLoadBalancer) {
  EXPECT_TRUE(IsAnyLoadBalancerOcid("ocid1.loadbalancer.oc1.phx.aaaa"));
  EXPECT_TRUE(IsAnyLoadBalancerOcid("ocid1.networkloadbalancer.oc1.phx.aaaa"));
  EXPECT_FALSE(IsAnyLoadBalancerOcid(kDocsInstance));
  EXPECT_FALSE(IsAnyLoadBalancerOcid("ocid1.loadbalancer.abcdef"));
  EXPECT_FALSE(IsAnyLoadBalancerOcid("my-lb"));
}

}  // namespace
}  // namespace ccm::oci
