#include "test/ocisim/nlb_backends.h"

#include <unordered_map>

namespace ccm::ocisim {
namespace {

std::string PrimaryPrivateIpLocked(const SimStore& s, const std::string& instance_id) REQUIRES(s.mu) {
  if (!s.instances.contains(instance_id)) return "";
  for (const auto& [id, att] : s.attachments) {
    if (simjson::GetString(att, "instanceId") != instance_id) continue;
    auto vnic = s.vnics.find(simjson::GetString(att, "vnicId"));
    if (vnic == s.vnics.end()) continue;
    const json::Value* primary = json::Find(vnic->second, "isPrimary");
    if (primary != nullptr && primary->IsBool() && primary->GetBool()) return simjson::GetString(vnic->second, "privateIp");
  }
  return "";
}

int Port(const json::Value& b) {
  const json::Value* port = json::Find(b, "port");
  return port != nullptr && port->IsInt() ? port->GetInt() : -1;
}

ApiResponse Duplicate(const json::Value& first, const json::Value& second) {
  return ApiResponse::Error(409, "NotAuthorizedOrResourceAlreadyExists",
                            "Conflict. Duplicate backend IP/id + port combinations not allowed: " +
                                simjson::GetString(second, "name") + " is the same target as " +
                                simjson::GetString(first, "name"));
}

// Backends by target at a port: by instance OCID and by IP, each backend under both.
class Targets {
 public:
  // The backend already known for one of `b`'s identities, or nullptr; then remembers `b`.
  const json::Value* Add(const json::Value& b) {
    const json::Value* seen = nullptr;
    for (const char* field : {"targetId", "ipAddress"}) {
      std::string id = simjson::GetString(b, field);
      if (id.empty()) continue;
      auto [it, inserted] = by_id_.emplace(std::string(field) + "=" + id + ":" + std::to_string(Port(b)), &b);
      if (!inserted && seen == nullptr) seen = it->second;
    }
    return seen;
  }

 private:
  std::unordered_map<std::string, const json::Value*> by_id_;
};

}  // namespace

void ResolveInstanceTargetsLocked(const SimStore& s, json::Value& backends, simjson::Alloc& alloc) {
  if (backends.IsArray()) {
    for (auto& b : backends.GetArray()) ResolveInstanceTargetsLocked(s, b, alloc);
    return;
  }
  std::string target = simjson::GetString(backends, "targetId");
  if (target.empty() || !simjson::GetString(backends, "ipAddress").empty()) return;
  std::string ip = PrimaryPrivateIpLocked(s, target);
  if (!ip.empty()) simjson::SetString(backends, "ipAddress", ip, alloc);
}

std::optional<ApiResponse> DuplicateTarget(const json::Value& backends, const json::Value* added) {
  if (!backends.IsArray()) return std::nullopt;
  Targets targets;
  for (const auto& b : backends.GetArray()) {
    const json::Value* seen = targets.Add(b);
    if (seen != nullptr && added == nullptr) return Duplicate(*seen, b);
  }
  if (added == nullptr) return std::nullopt;
  if (const json::Value* seen = targets.Add(*added)) return Duplicate(*seen, *added);
  return std::nullopt;
}

}  // namespace ccm::ocisim
