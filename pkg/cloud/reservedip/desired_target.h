// Where a ReservedIP's public IP should be assigned, from the spec and the cached pod and node:
// a pure function, so every case is a table row in its test.
#pragma once

#include <expected>
#include <string>

#include "pkg/cloud/reservedip/reservedip_projection.h"
#include "pkg/cloud/reservedip/reservedip_spec.h"

namespace ccm::cloud::reservedip {

struct Target {
  enum class Kind { kNone, kPrivateIpId, kPodAddress };
  Kind kind = Kind::kNone;
  std::string private_ip_id;  // kPrivateIpId
  // kPodAddress: the pod's VCN address on its node's instance.
  std::string address;
  std::string instance_id;
  std::string pod_name;
  std::string pod_uid;

  bool operator==(const Target&) const = default;
};

struct TargetProblem {
  std::string reason;
  std::string message;
  bool operator==(const TargetProblem&) const = default;
};

// `pod` is the cached pod named by spec.assignment.podName (null when absent); `node_provider_id`
// is the providerID of the node the pod runs on ("" when the node is unknown).
std::expected<Target, TargetProblem> DesiredTarget(const ReservedIPSpec& spec, const PodRef* pod,
                                                   const std::string& node_provider_id);

}  // namespace ccm::cloud::reservedip
