// Kubernetes objects as a production cluster holds them, for load generation: nodes as a
// kubelet registers them (labels, conditions, images), NodePort Services with the registrar's
// annotations, EndpointSlices as the EndpointSlice controller writes them, LBRegistrars.
#pragma once

#include <string>
#include <vector>

namespace ccm::bench {

struct NodeSpec {
  std::string name;
  std::string ip;
  std::string instance_id;  // OCID
  std::string pool;         // value of the "pool" label
  int index = 0;            // varies images, zones and fault domains
};

// POST body for /api/v1/nodes (the API server ignores status on create).
std::string NodeCreateBody(const NodeSpec& node);
// Merge patch for /api/v1/nodes/<name>/status: addresses, capacity, the five kubelet
// conditions with `heartbeat` as lastHeartbeatTime, nodeInfo and 24 images.
std::string NodeStatusPatch(const NodeSpec& node, const std::string& heartbeat);
// A heartbeat only: the conditions with a new lastHeartbeatTime, as kubelet posts it.
std::string NodeHeartbeatPatch(const std::string& heartbeat);

struct ServiceSpec {
  std::string ns;
  std::string name;
  std::string lb_id;
  std::string backend_set;
  std::string node_selector;  // "pool=pool-3"
  int node_port = 0;
  bool local_traffic = false;     // externalTrafficPolicy: Local (implies endpoint filtering)
  bool filter_annotation = false;  // nodes.peppy-ratio.dev/filter-by-endpoints: "true"
};
std::string ServiceBody(const ServiceSpec& service);

// One EndpointSlice of `service` with a ready endpoint on each of `node_names`.
std::string EndpointSliceBody(const std::string& ns, const std::string& service,
                              const std::vector<std::string>& node_names);

std::string LBRegistrarBody(const std::string& name, const std::string& lb_id, const std::string& backend_set,
                            int node_port, const std::string& pool);

}  // namespace ccm::bench
