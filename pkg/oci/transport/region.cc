#include "pkg/oci/transport/region.h"

#include <array>
#include <cctype>

#include "pkg/oci/ocid.h"

namespace ccm::oci {
namespace {

struct KnownRegion {
  std::string_view code;
  std::string_view name;
  std::string_view realm;
};

// From Oracle's SDK region tables (oci-go-sdk common/regions.go; the same list ships in every
// SDK): airport code, canonical name, realm.
constexpr std::array<KnownRegion, 79> kRegions = {{
    {"yny", "ap-chuncheon-1", "oc1"},   {"hyd", "ap-hyderabad-1", "oc1"},  {"mel", "ap-melbourne-1", "oc1"},
    {"bom", "ap-mumbai-1", "oc1"},      {"kix", "ap-osaka-1", "oc1"},      {"icn", "ap-seoul-1", "oc1"},
    {"syd", "ap-sydney-1", "oc1"},      {"nrt", "ap-tokyo-1", "oc1"},      {"yul", "ca-montreal-1", "oc1"},
    {"yyz", "ca-toronto-1", "oc1"},     {"ams", "eu-amsterdam-1", "oc1"},  {"fra", "eu-frankfurt-1", "oc1"},
    {"zrh", "eu-zurich-1", "oc1"},      {"jed", "me-jeddah-1", "oc1"},     {"dxb", "me-dubai-1", "oc1"},
    {"gru", "sa-saopaulo-1", "oc1"},    {"cwl", "uk-cardiff-1", "oc1"},    {"lhr", "uk-london-1", "oc1"},
    {"iad", "us-ashburn-1", "oc1"},     {"phx", "us-phoenix-1", "oc1"},    {"sjc", "us-sanjose-1", "oc1"},
    {"vcp", "sa-vinhedo-1", "oc1"},     {"scl", "sa-santiago-1", "oc1"},   {"mtz", "il-jerusalem-1", "oc1"},
    {"mrs", "eu-marseille-1", "oc1"},   {"sin", "ap-singapore-1", "oc1"},  {"auh", "me-abudhabi-1", "oc1"},
    {"lin", "eu-milan-1", "oc1"},       {"arn", "eu-stockholm-1", "oc1"},  {"jnb", "af-johannesburg-1", "oc1"},
    {"cdg", "eu-paris-1", "oc1"},       {"qro", "mx-queretaro-1", "oc1"},  {"mad", "eu-madrid-1", "oc1"},
    {"ord", "us-chicago-1", "oc1"},     {"mty", "mx-monterrey-1", "oc1"},  {"aga", "us-saltlake-2", "oc1"},
    {"bog", "sa-bogota-1", "oc1"},      {"vap", "sa-valparaiso-1", "oc1"}, {"xsp", "ap-singapore-2", "oc1"},
    {"ruh", "me-riyadh-1", "oc1"},      {"onm", "ap-delhi-1", "oc1"},      {"hsg", "ap-batam-1", "oc1"},
    {"lfi", "us-langley-1", "oc2"},     {"luf", "us-luke-1", "oc2"},       {"ric", "us-gov-ashburn-1", "oc3"},
    {"pia", "us-gov-chicago-1", "oc3"}, {"tus", "us-gov-phoenix-1", "oc3"}, {"ltn", "uk-gov-london-1", "oc4"},
    {"brs", "uk-gov-cardiff-1", "oc4"}, {"nja", "ap-chiyoda-1", "oc8"},    {"ukb", "ap-ibaraki-1", "oc8"},
    {"mct", "me-dcc-muscat-1", "oc9"},  {"ibr", "me-ibri-1", "oc9"},       {"wga", "ap-dcc-canberra-1", "oc10"},
    {"bgy", "eu-dcc-milan-1", "oc14"},  {"mxp", "eu-dcc-milan-2", "oc14"}, {"snn", "eu-dcc-dublin-2", "oc14"},
    {"dtm", "eu-dcc-rating-2", "oc14"}, {"dus", "eu-dcc-rating-1", "oc14"}, {"ork", "eu-dcc-dublin-1", "oc14"},
    {"dac", "ap-dcc-gazipur-1", "oc15"}, {"vll", "eu-madrid-2", "oc19"},   {"str", "eu-frankfurt-2", "oc19"},
    {"beg", "eu-jovanovac-1", "oc20"},  {"doh", "me-dcc-doha-1", "oc21"},  {"ebb", "us-somerset-1", "oc23"},
    {"ebl", "us-thames-1", "oc23"},     {"avz", "eu-dcc-zurich-1", "oc24"}, {"avf", "eu-crissier-1", "oc24"},
    {"ahu", "me-abudhabi-3", "oc26"},   {"rba", "me-alain-1", "oc26"},     {"rkt", "me-abudhabi-2", "oc29"},
    {"shj", "me-abudhabi-4", "oc29"},   {"dtz", "ap-seoul-2", "oc35"},     {"dln", "ap-suwon-1", "oc35"},
    {"bno", "ap-chuncheon-2", "oc35"},  {"yxj", "us-ashburn-2", "oc42"},   {"pgc", "us-newark-1", "oc42"},
    {"jsk", "eu-budapest-1", "oc51"},
}};

// Realm -> second-level domain, from the same SDK tables.
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kRealms = {{
    {"oc1", "oraclecloud.com"},     {"oc2", "oraclegovcloud.com"},  {"oc3", "oraclegovcloud.com"},
    {"oc4", "oraclegovcloud.uk"},   {"oc8", "oraclecloud8.com"},    {"oc9", "oraclecloud9.com"},
    {"oc10", "oraclecloud10.com"},  {"oc14", "oraclecloud14.com"},  {"oc15", "oraclecloud15.com"},
    {"oc19", "oraclecloud.eu"},     {"oc20", "oraclecloud20.com"},  {"oc21", "oraclecloud21.com"},
    {"oc23", "oraclecloud23.com"},  {"oc24", "oraclecloud24.com"},  {"oc26", "oraclecloud26.com"},
    {"oc29", "oraclecloud29.com"},  {"oc35", "oraclecloud35.com"},  {"oc42", "oraclecloud42.com"},
    {"oc51", "oraclecloud51.com"},
}};

const KnownRegion* Find(std::string_view canonical) {
  for (const auto& r : kRegions) {
    if (r.name == canonical) return &r;
  }
  return nullptr;
}

std::string Normalized(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

bool IsRegionIdentifier(std::string_view region) {
  if (region.empty() || !std::islower(static_cast<unsigned char>(region.front()))) return false;
  char previous = '-';
  for (char c : region) {
    const bool part_char = std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
    if (!part_char && (c != '-' || previous == '-')) return false;
    previous = c;
  }
  return previous != '-';
}

std::string CanonicalRegion(std::string_view region) {
  std::string r = Normalized(region);
  for (const auto& known : kRegions) {
    if (known.code == r) return std::string(known.name);
  }
  return r;
}

std::optional<std::string> RealmDomain(std::string_view realm) {
  std::string r = Normalized(realm);
  for (const auto& [id, domain] : kRealms) {
    if (id == r) return std::string(domain);
  }
  return std::nullopt;
}

RegionInfo LookupRegion(std::string_view region, std::string_view realm_hint) {
  RegionInfo info;
  info.region = CanonicalRegion(region);
  if (const KnownRegion* known = Find(info.region)) {
    info.realm = known->realm;
    info.domain = *RealmDomain(known->realm);
    return info;
  }
  if (auto domain = RealmDomain(realm_hint)) {
    info.realm = Normalized(realm_hint);
    info.domain = *domain;
    info.warning = "region \"" + info.region + "\" is not in this build's region table; using realm " + info.realm +
                   " (" + info.domain + ") from the OCID";
    return info;
  }
  info.realm = kCommercialRealm;
  info.domain = kCommercialDomain;
  info.warning = "region \"" + info.region + "\" is not in this build's region table; assuming the commercial realm (" +
                 std::string(kCommercialDomain) + "); set the endpoints section if it lives elsewhere";
  return info;
}

OcidLocation LocationOfOcid(std::string_view ocid) {
  auto parts = ParseOcid(ocid);
  if (!parts) return {};
  return {.realm = std::string(parts->realm), .region = parts->region.empty() ? "" : CanonicalRegion(parts->region)};
}

}  // namespace ccm::oci
