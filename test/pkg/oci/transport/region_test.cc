#include "pkg/oci/transport/region.h"

#include <gtest/gtest.h>

namespace ccm::oci {
namespace {

struct RegionCase {
  const char* input;
  const char* region;
  const char* realm;
  const char* domain;
};

TEST(RegionTest, RegionsOfEveryRealmKindMapToTheirDomain) {
  const RegionCase cases[] = {
      {"us-phoenix-1", "us-phoenix-1", "oc1", "oraclecloud.com"},
      {"eu-frankfurt-1", "eu-frankfurt-1", "oc1", "oraclecloud.com"},
      {"us-langley-1", "us-langley-1", "oc2", "oraclegovcloud.com"},
      {"us-gov-ashburn-1", "us-gov-ashburn-1", "oc3", "oraclegovcloud.com"},
      {"uk-gov-london-1", "uk-gov-london-1", "oc4", "oraclegovcloud.uk"},
      {"ap-chiyoda-1", "ap-chiyoda-1", "oc8", "oraclecloud8.com"},
      {"me-dcc-muscat-1", "me-dcc-muscat-1", "oc9", "oraclecloud9.com"},
      {"ap-dcc-canberra-1", "ap-dcc-canberra-1", "oc10", "oraclecloud10.com"},
      {"eu-frankfurt-2", "eu-frankfurt-2", "oc19", "oraclecloud.eu"},
      // Short codes (IMDS and old OCIDs use them).
      {"iad", "us-ashburn-1", "oc1", "oraclecloud.com"},
      {"PHX", "us-phoenix-1", "oc1", "oraclecloud.com"},
      {" lhr\n", "uk-london-1", "oc1", "oraclecloud.com"},
      {"ltn", "uk-gov-london-1", "oc4", "oraclegovcloud.uk"},
      {"nja", "ap-chiyoda-1", "oc8", "oraclecloud8.com"},
      {"ric", "us-gov-ashburn-1", "oc3", "oraclegovcloud.com"},
  };
  for (const auto& c : cases) {
    RegionInfo info = LookupRegion(c.input);
    EXPECT_EQ(info.region, c.region) << c.input;
    EXPECT_EQ(info.realm, c.realm) << c.input;
    EXPECT_EQ(info.domain, c.domain) << c.input;
    EXPECT_EQ(info.warning, "") << c.input;
  }
}

TEST(RegionTest, AnUnknownRegionUsesTheOcidRealmElseTheCommercialOneWithAWarning) {
  RegionInfo hinted = LookupRegion("xx-newcity-1", "oc4");
  EXPECT_EQ(hinted.domain, "oraclegovcloud.uk");
  EXPECT_NE(hinted.warning.find("xx-newcity-1"), std::string::npos);
  EXPECT_NE(hinted.warning.find("oc4"), std::string::npos);

  RegionInfo plain = LookupRegion("xx-newcity-1");
  EXPECT_EQ(plain.region, "xx-newcity-1");
  EXPECT_EQ(plain.domain, "oraclecloud.com");
  EXPECT_NE(plain.warning.find("commercial realm"), std::string::npos);

  RegionInfo bad_hint = LookupRegion("xx-newcity-1", "oc999");
  EXPECT_EQ(bad_hint.domain, "oraclecloud.com");
}

// One check for every region a user types. "was" marks where the two checks it replaced
// disagreed: cloud-config took any run of lower-case letters, digits and '-'; an LBRegistrar's
// apiKey.region needed a leading letter and no trailing '-'.
TEST(RegionTest, RegionIdentifiers) {
  struct Case {
    const char* region;
    bool valid;
  } cases[] = {
      {"us-phoenix-1", true},
      {"eu-frankfurt-1", true},
      {"us-gov-ashburn-1", true},
      {"phx", true},
      {"xx-newcity-1", true},  // not in the table: newer than this build
      {"", false},
      {"US-Phoenix-1", false},
      {"PHX", false},
      {"US West (Phoenix)", false},
      {"us_phoenix_1", false},
      {"us-phoenix-1 ", false},
      {" us-phoenix-1", false},
      {"us-phoenix-1\n", false},
      {"us.phoenix-1", false},
      {"-us", false},            // was accepted by cloud-config
      {"us-", false},            // was accepted by cloud-config
      {"1-us", false},           // was accepted by cloud-config
      {"us--phoenix-1", false},  // was accepted by both
  };
  for (const auto& c : cases) EXPECT_EQ(IsRegionIdentifier(c.region), c.valid) << "\"" << c.region << "\"";
}

TEST(RegionTest, OcidsNameTheirRealmAndRegion) {
  struct Case {
    const char* ocid;
    const char* realm;
    const char* region;
  } cases[] = {
      {"ocid1.loadbalancer.oc1.iad.aaaa", "oc1", "us-ashburn-1"},
      {"ocid1.loadbalancer.oc1.phx.aaaa", "oc1", "us-phoenix-1"},
      {"ocid1.networkloadbalancer.oc1.eu-frankfurt-1.aaaa", "oc1", "eu-frankfurt-1"},
      {"ocid1.loadbalancer.oc4.uk-gov-london-1.aaaa", "oc4", "uk-gov-london-1"},
      {"ocid1.compartment.oc1..aaaa", "oc1", ""},
      {"ocid1.loadbalancer", "", ""},
      {"not-an-ocid.x.y.z.w", "", ""},
      {"ocid1.loadbalancer.oc1.PHX.aaaa", "", ""},
  };
  for (const auto& c : cases) {
    OcidLocation loc = LocationOfOcid(c.ocid);
    EXPECT_EQ(loc.realm, c.realm) << c.ocid;
    EXPECT_EQ(loc.region, c.region) << c.ocid;
  }
}

}  // namespace
}  // namespace ccm::oci
