// Regions and realms: which second-level domain serves a region ("oraclecloud.com" in the
// commercial realm oc1, "oraclegovcloud.uk" in oc4, ...), what a short code ("iad") names,
// and which region an OCID lives in. The tables follow Oracle's SDK region and realm lists;
// a region missing from them (newer than this build) falls back to its OCID's realm, else
// to the commercial realm, with a warning the caller logs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ccm::oci {

inline constexpr std::string_view kCommercialRealm = "oc1";
inline constexpr std::string_view kCommercialDomain = "oraclecloud.com";

// The one check of a region a user typed (cloud-config, an LBRegistrar's apiKey, an OCID's
// region part): a canonical name such as us-phoenix-1 or a short code such as phx, that is
// lower-case letters and digits in parts joined by single '-', starting with a letter. A
// region missing from this build's table passes: newer regions keep working.
bool IsRegionIdentifier(std::string_view region);

// Lower-cased, trimmed, short code ("phx") mapped to its canonical name ("us-phoenix-1").
std::string CanonicalRegion(std::string_view region);

// The realm's second-level domain ("oc4" -> "oraclegovcloud.uk"), or nullopt if unknown.
std::optional<std::string> RealmDomain(std::string_view realm);

struct RegionInfo {
  std::string region;  // canonical name
  std::string realm;   // "oc1"
  std::string domain;  // "oraclecloud.com"
  std::string warning;  // non-empty when the realm was guessed
};

// Where `region` (canonical name or short code) lives. `realm_hint` (e.g. from an OCID) is
// used when the region is not in the table.
RegionInfo LookupRegion(std::string_view region, std::string_view realm_hint = "");

// The realm and region parts of an OCID: "ocid1.loadbalancer.oc1.iad.xyz" -> {"oc1",
// "us-ashburn-1"}. The region is empty when the OCID carries none (tenancy and compartment
// OCIDs), both are empty when `ocid` is not an OCID (ParseOcid).
struct OcidLocation {
  std::string realm;
  std::string region;  // canonical
};
OcidLocation LocationOfOcid(std::string_view ocid);

}  // namespace ccm::oci
