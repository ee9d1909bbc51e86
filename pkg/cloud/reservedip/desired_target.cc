#include "pkg/cloud/reservedip/desired_target.h"

#include "pkg/cloud/instances/provider_id.h"
#include "pkg/cloud/reservedip/reservedip_reasons.h"

namespace ccm::cloud::reservedip {

std::expected<Target, TargetProblem> DesiredTarget(const ReservedIPSpec& spec, const PodRef* pod,
                                                   const std::string& node_provider_id) {
  Target t;
  if (!spec.private_ip_id.empty()) {
    t.kind = Target::Kind::kPrivateIpId;
    t.private_ip_id = spec.private_ip_id;
    return t;
  }
  if (spec.pod_name.empty()) return t;
  if (pod == nullptr || pod->deleting) {
    return std::unexpected(TargetProblem{
        reason::kPodNotFound, "spec.assignment.podName: pod " + spec.pod_name + " does not exist"});
  }
  if (pod->host_network) {
    return std::unexpected(
        TargetProblem{reason::kHostNetworkUnsupported,
                      "spec.assignment.podName: pod " + pod->name +
                          " uses the host network: assigning to a node's primary "
                          "private IP is not supported yet"});
  }
  if (pod->pod_ip.empty() || pod->node_name.empty()) {
    return std::unexpected(TargetProblem{
        reason::kPodHasNoIP, "spec.assignment.podName: pod " + pod->name + " has no IP yet"});
  }
  auto instance = instances::InstanceIdFromProviderId(node_provider_id);
  if (node_provider_id.empty() || !instance) {
    return std::unexpected(TargetProblem{
        reason::kNodeNotFound, "spec.assignment.podName: node " + pod->node_name + " of pod " +
                                   pod->name + " is unknown or has no OCI providerID"});
  }
  t.kind = Target::Kind::kPodAddress;
  t.address = pod->pod_ip;
  t.instance_id = *instance;
  t.pod_name = pod->name;
  t.pod_uid = pod->uid;
  return t;
}

}  // namespace ccm::cloud::reservedip
