// A ReservedIP's spec, parsed and checked before anything touches OCI. A problem names the
// field and carries the Ready reason; the controller then writes only the condition.
#pragma once

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccm::cloud::reservedip {

enum class ReclaimPolicy { kDelete, kRetain };

struct ReservedIPSpec {
  std::map<std::string, std::string> tags;
  std::string pool_id;        // publicIPv4Pool
  std::string address;        // publicIPv4Address, or its alias publicIPAddress
  std::string pod_name;       // assignment.podName
  std::string private_ip_id;  // assignment.privateIpId
  bool replace_ephemeral = false;
  std::optional<ReclaimPolicy> reclaim_policy;

  // An address names an existing IP to adopt: Retain unless the spec says otherwise.
  ReclaimPolicy EffectiveReclaimPolicy() const;
  bool Adopts() const { return !address.empty(); }
  bool HasAssignment() const { return !pod_name.empty() || !private_ip_id.empty(); }
};

struct SpecProblem {
  std::string reason;  // reservedip_reasons.h
  std::string field;   // "spec.assignment"
  std::string message;
  bool operator==(const SpecProblem&) const = default;
};

std::expected<ReservedIPSpec, SpecProblem> ParseReservedIPSpec(std::string_view spec_json);

// Dotted-quad IPv4 text, each part 0..255 without leading zeros.
bool IsIpv4Address(std::string_view text);
// True when `address` lies in one of `cidr_blocks` ("a.b.c.d/n").
bool AddressInCidrs(std::string_view address, const std::vector<std::string>& cidr_blocks);

}  // namespace ccm::cloud::reservedip
