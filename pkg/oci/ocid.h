// The one check of an Oracle Cloud ID, for every field that takes one, so a value is not
// accepted in one place and refused in another. Oracle documents the syntax as
//   ocid1.<RESOURCE TYPE>.<REALM>.[REGION][.FUTURE USE].<UNIQUE ID>
// (Resource Identifiers, https://docs.oracle.com/en-us/iaas/Content/General/Concepts/identifiers.htm):
// the region part is empty for resources that belong to no region (tenancy, compartment, user),
// the future-use part is blank today, and the unique part's format varies by service.
#pragma once

#include <optional>
#include <string_view>

namespace ccm::oci {

// Views into the parsed string.
struct OcidParts {
  std::string_view resource_type;  // "instance", "loadbalancer", ...
  std::string_view realm;          // "oc1"
  std::string_view region;         // "phx", "eu-frankfurt-1", or empty
  std::string_view unique_id;
};

// The documented shape: "ocid1", a resource type and a realm (lower-case letters and digits),
// an optional region (an identifier as IsRegionIdentifier accepts, or empty), an optional
// future-use part (lower-case letters, digits, '-', or empty), and a non-empty unique part
// (letters, digits, '-', '_'), joined by dots. Anything OCI cannot have issued (whitespace, a
// pasted newline, a copy cut short at a '.') is nullopt, so it is refused where it was typed.
std::optional<OcidParts> ParseOcid(std::string_view id);

// An OCID whose resource type is `resource_type`.
bool IsOcidOf(std::string_view id, std::string_view resource_type);

// A compartment, the root compartment included: its OCID is the tenancy's.
bool IsCompartmentOcid(std::string_view id);

// A load balancer the registrar can write to: ocid1.loadbalancer or ocid1.networkloadbalancer.
bool IsAnyLoadBalancerOcid(std::string_view id);

}  // namespace ccm::oci
