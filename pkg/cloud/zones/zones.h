// Topology of an OCI instance as Kubernetes labels it: zone = availability domain without its
// tenancy prefix, region = the full region name, plus the fault domain.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/oci/models/compute_models.h"

namespace ccm::cloud::zones {

inline constexpr std::string_view kZoneLabel = "topology.kubernetes.io/zone";
inline constexpr std::string_view kRegionLabel = "topology.kubernetes.io/region";
inline constexpr std::string_view kInstanceTypeLabel = "node.kubernetes.io/instance-type";
// The upstream cloud node controller still writes the beta keys next to the stable ones
// (and reconciles them), so workloads selecting on either keep working.
inline constexpr std::string_view kBetaZoneLabel = "failure-domain.beta.kubernetes.io/zone";
inline constexpr std::string_view kBetaRegionLabel = "failure-domain.beta.kubernetes.io/region";
inline constexpr std::string_view kBetaInstanceTypeLabel = "beta.kubernetes.io/instance-type";
// Oracle's cloud-controller-manager uses this key.
inline constexpr std::string_view kFaultDomainLabel = "oci.oraclecloud.com/fault-domain";

struct Topology {
  std::string zone;          // "PHX-AD-1"
  std::string region;        // "us-phoenix-1"
  std::string fault_domain;  // "FAULT-DOMAIN-2"
  bool operator==(const Topology&) const = default;
};

// "Uocm:PHX-AD-1" -> "PHX-AD-1"; a value without a prefix is returned as is.
std::string ZoneFromAvailabilityDomain(std::string_view availability_domain);

// The full region name for a region key ("phx", "IAD"), or nullopt when unknown.
std::optional<std::string> RegionForKey(std::string_view key);

// Full names ("us-phoenix-1") pass through; known keys are mapped; an unknown key falls back
// to `configured_region` (the cloud-config region) when that is set, else stays as is.
std::string RegionName(std::string_view instance_region, std::string_view configured_region);

Topology TopologyOf(const oci::Instance& instance, std::string_view configured_region);

// The labels the cloud node controller sets; empty values are left out.
std::vector<std::pair<std::string, std::string>> TopologyLabels(const Topology& topology,
                                                                std::string_view instance_type);

}  // namespace ccm::cloud::zones
