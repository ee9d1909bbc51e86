#include "pkg/cloud/registrar/node_eligibility.h"

#include "pkg/oci/ocid.h"

namespace ccm::cloud::registrar {

Ineligible NodeIneligibility(const kube::Node& node) {
  // On presence, whatever the value ("false" too), as upstream's service controller does.
  if (node.Label(kExcludeFromLoadBalancersLabel) != nullptr) return Ineligible::kExcludedByLabel;
  if (node.deleting) return Ineligible::kDeleting;
  for (const auto& t : node.taints) {
    if (t.key == std::string_view(kToBeDeletedTaint)) return Ineligible::kToBeDeleted;
    if (t.key == std::string_view(kUninitializedTaint)) return Ineligible::kUninitialized;
  }
  if (InternalIP(node).empty()) return Ineligible::kNoInternalIP;
  return Ineligible::kNone;
}

bool MatchesSelector(const kube::Node& node, const std::map<std::string, std::string>& selector) {
  for (const auto& [key, value] : selector) {
    const auto* v = node.Label(key);
    if (v == nullptr || v->view() != value) return false;
  }
  return true;
}

std::string_view InternalIP(const kube::Node& node) {
  for (const auto& a : node.addresses) {
    if (a.type == std::string_view("InternalIP")) return a.address;
  }
  return {};
}

std::string_view InstanceOcid(std::string_view provider_id) {
  if (provider_id.starts_with("oci://")) provider_id.remove_prefix(6);
  return oci::IsOcidOf(provider_id, "instance") ? provider_id : std::string_view{};
}

}  // namespace ccm::cloud::registrar
