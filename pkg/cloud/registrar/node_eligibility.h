// Which nodes may receive load-balancer traffic, as the upstream service controller decides
// (KEP-3458): NotReady and cordoned nodes stay (the load balancer's health check handles
// them); excluded, deleting and autoscaler-condemned nodes go.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "pkg/kube/informer/projections.h"

namespace ccm::cloud::registrar {

inline constexpr char kExcludeFromLoadBalancersLabel[] = "node.kubernetes.io/exclude-from-external-load-balancers";
inline constexpr char kToBeDeletedTaint[] = "ToBeDeletedByClusterAutoscaler";
inline constexpr char kUninitializedTaint[] = "node.cloudprovider.kubernetes.io/uninitialized";

enum class Ineligible { kNone, kExcludedByLabel, kDeleting, kToBeDeleted, kUninitialized, kNoInternalIP };

// Independent of any binding. A node the cloud node controller has not initialized yet waits:
// it has no providerID (no NLB targetId) and may not have its final addresses, and it is
// seconds away from being initialized. An exclude label whose value is not a boolean excludes the
// node, as upstream does for the label's mere presence.
Ineligible NodeIneligibility(const kube::Node& node);

bool MatchesSelector(const kube::Node& node, const std::map<std::string, std::string>& selector);

// The node's InternalIP ("" when it has none).
std::string_view InternalIP(const kube::Node& node);
// The instance OCID from providerID "oci://<ocid>" or a bare OCID ("" otherwise).
std::string_view InstanceOcid(std::string_view provider_id);

}  // namespace ccm::cloud::registrar
