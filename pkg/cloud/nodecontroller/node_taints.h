// The taints the cloud node controllers own.
#pragma once

#include <algorithm>
#include <string_view>

#include "pkg/kube/informer/projections.h"

namespace ccm::cloud::nodecontroller {

// Set by kubelets started with --cloud-provider=external until a CCM initializes the node.
inline constexpr std::string_view kUninitializedTaintKey = "node.cloudprovider.kubernetes.io/uninitialized";
// Set by the node lifecycle controller while the node's instance is stopped.
inline constexpr std::string_view kShutdownTaintKey = "node.cloudprovider.kubernetes.io/shutdown";
inline constexpr std::string_view kNoSchedule = "NoSchedule";

inline bool HasTaint(const kube::Node& node, std::string_view key) {
  return std::any_of(node.taints.begin(), node.taints.end(), [&](const kube::Taint& t) { return t.key == key; });
}

}  // namespace ccm::cloud::nodecontroller
