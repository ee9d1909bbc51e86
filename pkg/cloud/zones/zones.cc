#include "pkg/cloud/zones/zones.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ccm::cloud::zones {
namespace {

struct RegionKey {
  std::string_view key;
  std::string_view name;
};

// OCI region keys (the short codes instances and IMDS report) of the commercial realm.
constexpr std::array<RegionKey, 39> kRegionKeys{{
    {"phx", "us-phoenix-1"},     {"iad", "us-ashburn-1"},       {"sjc", "us-sanjose-1"},
    {"ord", "us-chicago-1"},     {"yyz", "ca-toronto-1"},       {"yul", "ca-montreal-1"},
    {"gru", "sa-saopaulo-1"},    {"vcp", "sa-vinhedo-1"},       {"scl", "sa-santiago-1"},
    {"vap", "sa-valparaiso-1"},  {"bog", "sa-bogota-1"},        {"qro", "mx-queretaro-1"},
    {"mty", "mx-monterrey-1"},   {"fra", "eu-frankfurt-1"},     {"lhr", "uk-london-1"},
    {"cwl", "uk-cardiff-1"},     {"ams", "eu-amsterdam-1"},     {"zrh", "eu-zurich-1"},
    {"mad", "eu-madrid-1"},      {"cdg", "eu-paris-1"},         {"lin", "eu-milan-1"},
    {"arn", "eu-stockholm-1"},   {"mrs", "eu-marseille-1"},     {"nrt", "ap-tokyo-1"},
    {"kix", "ap-osaka-1"},       {"icn", "ap-seoul-1"},         {"yny", "ap-chuncheon-1"},
    {"bom", "ap-mumbai-1"},      {"hyd", "ap-hyderabad-1"},     {"syd", "ap-sydney-1"},
    {"mel", "ap-melbourne-1"},   {"sin", "ap-singapore-1"},     {"xsp", "ap-singapore-2"},
    {"dxb", "me-dubai-1"},       {"jed", "me-jeddah-1"},        {"auh", "me-abudhabi-1"},
    {"ruh", "me-riyadh-1"},      {"jnb", "af-johannesburg-1"},  {"mtz", "il-jerusalem-1"},
}};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool IsFullRegionName(std::string_view region) { return region.find('-') != std::string_view::npos; }

}  // namespace

std::string ZoneFromAvailabilityDomain(std::string_view availability_domain) {
  auto colon = availability_domain.find(':');
  if (colon == std::string_view::npos) return std::string(availability_domain);
  return std::string(availability_domain.substr(colon + 1));
}

std::optional<std::string_view> RegionForKey(std::string_view key) {
  std::string lower = Lower(key);
  for (const auto& entry : kRegionKeys) {
    if (entry.key == lower) return entry.name;
  }
  return std::nullopt;
}

std::string RegionName(std::string_view instance_region, std::string_view configured_region) {
  if (instance_region.empty()) return std::string(configured_region);
  if (IsFullRegionName(instance_region)) return std::string(instance_region);
  if (auto name = RegionForKey(instance_region)) return std::string(*name);
  if (!configured_region.empty()) {
    if (IsFullRegionName(configured_region)) return std::string(configured_region);
    if (auto name = RegionForKey(configured_region)) return std::string(*name);
  }
  return std::string(instance_region);
}

Topology TopologyOf(const oci::Instance& instance, std::string_view configured_region) {
  return Topology{.zone = ZoneFromAvailabilityDomain(instance.availability_domain),
                  .region = RegionName(instance.region, configured_region),
                  .fault_domain = instance.fault_domain};
}

std::vector<std::pair<std::string, std::string>> TopologyLabels(const Topology& topology,
                                                                std::string_view instance_type) {
  std::vector<std::pair<std::string, std::string>> labels;
  auto add = [&](std::string_view key, std::string_view value) {
    if (!value.empty()) labels.emplace_back(std::string(key), std::string(value));
  };
  add(kZoneLabel, topology.zone);
  add(kBetaZoneLabel, topology.zone);
  add(kRegionLabel, topology.region);
  add(kBetaRegionLabel, topology.region);
  add(kInstanceTypeLabel, instance_type);
  add(kBetaInstanceTypeLabel, instance_type);
  add(kFaultDomainLabel, topology.fault_domain);
  return labels;
}

}  // namespace ccm::cloud::zones
