#include "pkg/cloud/zones/zones.h"

#include "pkg/oci/transport/region.h"

namespace ccm::cloud::zones {
namespace {

bool IsFullRegionName(std::string_view region) { return region.find('-') != std::string_view::npos; }

}  // namespace

std::string ZoneFromAvailabilityDomain(std::string_view availability_domain) {
  auto colon = availability_domain.find(':');
  if (colon == std::string_view::npos) return std::string(availability_domain);
  return std::string(availability_domain.substr(colon + 1));
}

std::optional<std::string> RegionForKey(std::string_view key) {
  // One table of region keys for the whole project (pkg/oci/transport/region.h).
  std::string name = oci::CanonicalRegion(key);
  if (!IsFullRegionName(name)) return std::nullopt;
  return name;
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
