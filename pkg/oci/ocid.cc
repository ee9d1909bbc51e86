#include "pkg/oci/ocid.h"

#include <array>
#include <cctype>

#include "pkg/oci/transport/region.h"

namespace ccm::oci {
namespace {

bool LowerAlnum(char c) {
  return std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

template <typename Allowed>
bool AllOf(std::string_view s, Allowed allowed) {
  for (char c : s) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool IsTypeOrRealm(std::string_view s) { return !s.empty() && AllOf(s, LowerAlnum); }

bool IsFutureUse(std::string_view s) {
  return AllOf(s, [](char c) { return LowerAlnum(c) || c == '-'; });
}

bool IsUniqueId(std::string_view s) {
  return !s.empty() &&
         AllOf(s, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_'; });
}

std::string_view ResourceType(std::string_view id) {
  auto parts = ParseOcid(id);
  return parts ? parts->resource_type : std::string_view{};
}

}  // namespace

std::optional<OcidParts> ParseOcid(std::string_view id) {
  // Version, type, realm, region, then the unique id, with the future-use part before it when present.
  std::array<std::string_view, 6> parts{};
  size_t count = 0;
  for (size_t start = 0;;) {
    if (count == parts.size()) return std::nullopt;
    size_t dot = id.find('.', start);
    parts[count++] = id.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (count < 5) return std::nullopt;
  OcidParts out{.resource_type = parts[1], .realm = parts[2], .region = parts[3], .unique_id = parts[count - 1]};
  const std::string_view future_use = count == 6 ? parts[4] : std::string_view{};
  if (parts[0] != "ocid1" || !IsTypeOrRealm(out.resource_type) || !IsTypeOrRealm(out.realm) ||
      !(out.region.empty() || IsRegionIdentifier(out.region)) || !IsFutureUse(future_use) ||
      !IsUniqueId(out.unique_id)) {
    return std::nullopt;
  }
  return out;
}

bool IsOcidOf(std::string_view id, std::string_view resource_type) {
  return !resource_type.empty() && ResourceType(id) == resource_type;
}

bool IsCompartmentOcid(std::string_view id) {
  const std::string_view type = ResourceType(id);
  return type == "compartment" || type == "tenancy";
}

bool IsAnyLoadBalancerOcid(std::string_view id) {
  const std::string_view type = ResourceType(id);
  return type == "loadbalancer" || type == "networkloadbalancer";
}

}  // namespace ccm::oci
