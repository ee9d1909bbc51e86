#include "pkg/cloud/reservedip/reservedip_spec.h"

#include <cstdint>

#include "pkg/base/json.h"
#include "pkg/cloud/reservedip/reservedip_reasons.h"

namespace ccm::cloud::reservedip {
namespace {

std::unexpected<SpecProblem> Problem(const char* reason, std::string field, std::string message) {
  return std::unexpected(SpecProblem{reason, std::move(field), std::move(message)});
}

std::optional<uint32_t> Ipv4Value(std::string_view text) {
  uint32_t value = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    size_t start = i;
    uint32_t part = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3)
      part = part * 10 + (text[i++] - '0');
    size_t len = i - start;
    if (len == 0 || part > 255 || (len > 1 && text[start] == '0')) return std::nullopt;
    value = (value << 8) | part;
    if (++parts < 4) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != text.size()) return std::nullopt;
  return value;
}

// RFC 1123 subdomain, as Kubernetes object names.
bool IsDnsSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return alnum(s.front()) && alnum(s.back());
}

// Freeform tag keys this controller accepts: 1..100 of [A-Za-z0-9_-] (OCI allows no spaces or
// periods; staying narrower keeps keys portable), not one of the controller's own.
bool IsTagKey(std::string_view k) {
  if (k.empty() || k.size() > 100) return false;
  for (char c : k) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

ReclaimPolicy ReservedIPSpec::EffectiveReclaimPolicy() const {
  if (reclaim_policy) return *reclaim_policy;
  return Adopts() ? ReclaimPolicy::kRetain : ReclaimPolicy::kDelete;
}

bool IsIpv4Address(std::string_view text) { return Ipv4Value(text).has_value(); }

bool AddressInCidrs(std::string_view address, const std::vector<std::string>& cidr_blocks) {
  auto value = Ipv4Value(address);
  if (!value) return false;
  for (const auto& cidr : cidr_blocks) {
    auto slash = cidr.find('/');
    if (slash == std::string::npos) continue;
    auto base = Ipv4Value(std::string_view(cidr).substr(0, slash));
    int bits = -1;
    try {
      bits = std::stoi(cidr.substr(slash + 1));
    } catch (...) {
      continue;
    }
    if (!base || bits < 0 || bits > 32) continue;
    uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    if ((*value & mask) == (*base & mask)) return true;
  }
  return false;
}

std::expected<ReservedIPSpec, SpecProblem> ParseReservedIPSpec(std::string_view spec_json) {
  ReservedIPSpec spec;
  if (spec_json.empty()) return spec;
  auto doc = json::Parse(spec_json, "spec");
  if (!doc || !doc->IsObject())
    return Problem(reason::kInvalidSpec, "spec", "spec must be an object");
  auto str = [&](const json::Value& obj, const char* field, const std::string& path,
                 std::string& out) -> std::optional<SpecProblem> {
    const json::Value* v = json::Find(obj, field);
    if (v == nullptr || v->IsNull()) return std::nullopt;
    if (!v->IsString()) return SpecProblem{reason::kInvalidSpec, path, path + " must be a string"};
    out.assign(v->GetString(), v->GetStringLength());
    return std::nullopt;
  };

  if (const json::Value* tags = json::Find(*doc, "tags"); tags != nullptr && !tags->IsNull()) {
    if (!tags->IsObject())
      return Problem(reason::kInvalidTags, "spec.tags", "spec.tags must be a map of strings");
    for (const auto& m : tags->GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (!IsTagKey(key) || key == kTagUid || key == kTagResource) {
        return Problem(reason::kInvalidTags, "spec.tags",
                       "spec.tags key \"" + key +
                           "\" is not a valid freeform tag key (1-100 of A-Z a-z 0-9 _ -; " +
                           kTagUid + " and " + kTagResource + " are the controller's own)");
      }
      if (!m.value.IsString() || m.value.GetStringLength() > 256) {
        return Problem(reason::kInvalidTags, "spec.tags." + key,
                       "spec.tags." + key + " must be a string of at most 256 characters");
      }
      spec.tags.emplace(key, std::string(m.value.GetString(), m.value.GetStringLength()));
    }
  }

  if (auto p = str(*doc, "publicIPv4Pool", "spec.publicIPv4Pool", spec.pool_id))
    return std::unexpected(*p);
  if (!spec.pool_id.empty() && !spec.pool_id.starts_with("ocid1.publicippool.")) {
    return Problem(
        reason::kInvalidPool, "spec.publicIPv4Pool",
        "spec.publicIPv4Pool must be a public IP pool OCID (ocid1.publicippool....), got \"" +
            spec.pool_id + "\"");
  }

  std::string v4, alias;
  if (auto p = str(*doc, "publicIPv4Address", "spec.publicIPv4Address", v4))
    return std::unexpected(*p);
  if (auto p = str(*doc, "publicIPAddress", "spec.publicIPAddress", alias))
    return std::unexpected(*p);
  if (!v4.empty() && !alias.empty() && v4 != alias) {
    return Problem(reason::kInvalidAddress, "spec.publicIPAddress",
                   "spec.publicIPAddress is an alias of spec.publicIPv4Address; they differ (" +
                       alias + " vs " + v4 + ")");
  }
  spec.address = v4.empty() ? alias : v4;
  const char* address_field = v4.empty() ? "spec.publicIPAddress" : "spec.publicIPv4Address";
  if (!spec.address.empty() && !IsIpv4Address(spec.address)) {
    return Problem(reason::kInvalidAddress, address_field,
                   std::string(address_field) + " \"" + spec.address + "\" is not an IPv4 address");
  }

  if (const json::Value* a = json::Find(*doc, "assignment"); a != nullptr && !a->IsNull()) {
    if (!a->IsObject())
      return Problem(reason::kInvalidAssignment, "spec.assignment",
                     "spec.assignment must be an object");
    if (auto p = str(*a, "podName", "spec.assignment.podName", spec.pod_name))
      return std::unexpected(*p);
    if (auto p = str(*a, "privateIpId", "spec.assignment.privateIpId", spec.private_ip_id))
      return std::unexpected(*p);
    if (const json::Value* r = json::Find(*a, "replaceEphemeral"); r != nullptr && !r->IsNull()) {
      if (!r->IsBool())
        return Problem(reason::kInvalidSpec, "spec.assignment.replaceEphemeral",
                       "spec.assignment.replaceEphemeral must be a boolean");
      spec.replace_ephemeral = r->GetBool();
    }
    if (!spec.pod_name.empty() && !spec.private_ip_id.empty()) {
      return Problem(reason::kInvalidAssignment, "spec.assignment",
                     "spec.assignment: set podName or privateIpId, not both");
    }
    if (!spec.pod_name.empty() && !IsDnsSubdomain(spec.pod_name)) {
      return Problem(reason::kInvalidPodName, "spec.assignment.podName",
                     "spec.assignment.podName \"" + spec.pod_name + "\" is not a valid pod name");
    }
    if (!spec.private_ip_id.empty() && !spec.private_ip_id.starts_with("ocid1.privateip.")) {
      return Problem(reason::kInvalidPrivateIpId, "spec.assignment.privateIpId",
                     "spec.assignment.privateIpId must be a private IP OCID (ocid1.privateip....)");
    }
  }

  std::string policy;
  if (auto p = str(*doc, "reclaimPolicy", "spec.reclaimPolicy", policy)) return std::unexpected(*p);
  if (policy == "Delete") {
    spec.reclaim_policy = ReclaimPolicy::kDelete;
  } else if (policy == "Retain") {
    spec.reclaim_policy = ReclaimPolicy::kRetain;
  } else if (!policy.empty()) {
    return Problem(reason::kInvalidSpec, "spec.reclaimPolicy",
                   "spec.reclaimPolicy must be Delete or Retain");
  }
  return spec;
}

}  // namespace ccm::cloud::reservedip
