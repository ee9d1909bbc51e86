#include "pkg/cloud/registrar/source_status.h"

#include "pkg/base/json.h"

namespace ccm::cloud::registrar {
namespace {

void Field(std::string& out, const char* name, const std::string& value, bool comma = true) {
  if (comma) out += ",";
  json::AppendQuoted(out, name);
  out += ":";
  json::AppendQuoted(out, value);
}

}  // namespace

void SetCondition(std::vector<Condition>& conditions, Condition next) {
  for (auto& c : conditions) {
    if (c.type != next.type) continue;
    if (c.status == next.status) next.last_transition_time = c.last_transition_time;
    c = std::move(next);
    return;
  }
  conditions.push_back(std::move(next));
}

std::string RegistrarStatusPatch(const RegistrarStatus& s) {
  std::string out = R"({"status":{)";
  Field(out, "phase", s.phase, false);
  out += ",\"observedGeneration\":" + std::to_string(s.observed_generation);
  out += ",\"registeredBackends\":" + std::to_string(s.registered_backends);
  out += ",\"conditions\":[";
  for (size_t i = 0; i < s.conditions.size(); ++i) {
    const auto& c = s.conditions[i];
    if (i > 0) out += ",";
    out += "{";
    Field(out, "type", c.type, false);
    Field(out, "status", c.status);
    Field(out, "reason", c.reason);
    Field(out, "message", c.message);
    out += ",\"observedGeneration\":" + std::to_string(c.observed_generation);
    Field(out, "lastTransitionTime", c.last_transition_time);
    out += "}";
  }
  out += "],\"backendSets\":[";
  for (size_t i = 0; i < s.backend_sets.size(); ++i) {
    const auto& b = s.backend_sets[i];
    if (i > 0) out += ",";
    out += "{";
    Field(out, "name", b.name, false);
    out += ",\"registeredBackends\":" + std::to_string(b.registered);
    if (!b.last_sync_time.empty()) Field(out, "lastSyncTime", b.last_sync_time);
    if (!b.last_work_request_id.empty()) Field(out, "lastWorkRequestId", b.last_work_request_id);
    out += "}";
  }
  out += "]}}";
  return out;
}

std::string FinalizersPatch(const std::vector<std::string>& finalizers, const std::string& resource_version) {
  std::string out = R"({"metadata":{"finalizers":[)";
  for (size_t i = 0; i < finalizers.size(); ++i) {
    if (i > 0) out += ",";
    json::AppendQuoted(out, finalizers[i]);
  }
  out += "]";
  if (!resource_version.empty()) Field(out, "resourceVersion", resource_version);
  out += "}}";
  return out;
}

std::string IngressPatch(const std::vector<std::string>& ips) {
  std::string out = R"({"status":{"loadBalancer":{"ingress":[)";
  for (size_t i = 0; i < ips.size(); ++i) {
    if (i > 0) out += ",";
    out += "{\"ip\":";
    json::AppendQuoted(out, ips[i]);
    out += "}";
  }
  out += "]}}}";
  return out;
}

}  // namespace ccm::cloud::registrar
