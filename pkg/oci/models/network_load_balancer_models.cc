#include "pkg/oci/models/network_load_balancer_models.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/models/published_models.h"

namespace ccm::oci {
namespace {

Result<NlbHealthChecker> ParseHealthChecker(const json::Value& hc, std::string_view path) {
  NlbHealthChecker out;
  ASSIGN_OR_RETURN(out.protocol, json::String(hc, "protocol", path));
  ASSIGN_OR_RETURN(out.port, json::Int(hc, "port", path));
  ASSIGN_OR_RETURN(out.retries, json::Int(hc, "retries", path));
  ASSIGN_OR_RETURN(out.timeout_in_millis, json::Int(hc, "timeoutInMillis", path));
  ASSIGN_OR_RETURN(out.interval_in_millis, json::Int(hc, "intervalInMillis", path));
  ASSIGN_OR_RETURN(out.url_path, json::String(hc, "urlPath", path));
  ASSIGN_OR_RETURN(out.response_body_regex, json::String(hc, "responseBodyRegex", path));
  ASSIGN_OR_RETURN(out.return_code, json::Int(hc, "returnCode", path));
  ASSIGN_OR_RETURN(out.request_data, json::String(hc, "requestData", path));
  ASSIGN_OR_RETURN(out.response_data, json::String(hc, "responseData", path));
  return out;
}

Result<const json::Value*> Items(const json::Document& doc, std::string_view what) {
  (void)what;
  ASSIGN_OR_RETURN(const json::Value* items, json::Array(doc, "items", ""));
  return items;
}

Result<NlbWorkRequest> ParseWorkRequestValue(const json::Value& obj, std::string_view path) {
  if (!obj.IsObject()) {
    return Fail(ErrorKind::kMalformedResponse, "field " + std::string(path) + " must be an object");
  }
  NlbWorkRequest wr;
  ASSIGN_OR_RETURN(wr.id, json::String(obj, "id", path, true));
  ASSIGN_OR_RETURN(wr.status, json::String(obj, "status", path, true));
  ASSIGN_OR_RETURN(wr.operation_type, json::String(obj, "operationType", path));
  ASSIGN_OR_RETURN(wr.compartment_id, json::String(obj, "compartmentId", path));
  if (const json::Value* pc = json::Find(obj, "percentComplete"); pc != nullptr && !pc->IsNull()) {
    if (!pc->IsNumber()) {
      return Fail(ErrorKind::kMalformedResponse, "field " + FieldPath(path, "percentComplete") + " must be a number");
    }
    wr.percent_complete = pc->GetDouble();
  }
  return wr;
}

void WriteOptionalBool(JsonObjectWriter& w, std::string_view key, const std::optional<bool>& v) {
  if (v) w.Bool(key, *v);
}

}  // namespace

Result<NetworkLoadBalancer> ParseNetworkLoadBalancer(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "GetNetworkLoadBalancer response"));
  NetworkLoadBalancer nlb;
  ASSIGN_OR_RETURN(nlb.id, json::String(doc, "id", "", true));
  ASSIGN_OR_RETURN(nlb.display_name, json::String(doc, "displayName", ""));
  ASSIGN_OR_RETURN(nlb.compartment_id, json::String(doc, "compartmentId", ""));
  ASSIGN_OR_RETURN(nlb.lifecycle_state, json::String(doc, "lifecycleState", "", true));
  ASSIGN_OR_RETURN(nlb.ip_addresses, ParseIpAddresses(doc, ""));
  ASSIGN_OR_RETURN(nlb.backend_set_names, ParseMapKeys(doc, "backendSets", ""));
  return nlb;
}

Result<NlbBackend> ParseNlbBackend(const json::Value& obj, std::string_view path) {
  if (!obj.IsObject()) {
    return Fail(ErrorKind::kMalformedResponse, "field " + std::string(path.empty() ? "backend" : path) + " must be an object");
  }
  NlbBackend b;
  ASSIGN_OR_RETURN(b.name, json::String(obj, "name", path));
  ASSIGN_OR_RETURN(b.ip_address, json::String(obj, "ipAddress", path));
  ASSIGN_OR_RETURN(b.target_id, json::String(obj, "targetId", path));
  ASSIGN_OR_RETURN(b.port, json::Int(obj, "port", path, true));
  ASSIGN_OR_RETURN(b.weight, OptionalInt(obj, "weight", path));
  ASSIGN_OR_RETURN(b.is_drain, json::Bool(obj, "isDrain", path));
  ASSIGN_OR_RETURN(b.is_backup, json::Bool(obj, "isBackup", path));
  ASSIGN_OR_RETURN(b.is_offline, json::Bool(obj, "isOffline", path));
  if (b.ip_address.empty() && b.target_id.empty()) {
    return Fail(ErrorKind::kMalformedResponse,
                "field " + FieldPath(path, "ipAddress") + " or " + FieldPath(path, "targetId") + " is required");
  }
  if (b.name.empty()) b.name = (b.target_id.empty() ? b.ip_address : b.target_id) + ":" + std::to_string(b.port);
  return b;
}

Result<NlbBackendSet> ParseNlbBackendSet(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "GetBackendSet response"));
  NlbBackendSet set;
  ASSIGN_OR_RETURN(set.name, json::String(doc, "name", "", true));
  ASSIGN_OR_RETURN(set.policy, json::String(doc, "policy", ""));
  ASSIGN_OR_RETURN(set.is_preserve_source, OptionalBool(doc, "isPreserveSource", ""));
  ASSIGN_OR_RETURN(set.is_fail_open, OptionalBool(doc, "isFailOpen", ""));
  ASSIGN_OR_RETURN(set.is_instant_failover_enabled, OptionalBool(doc, "isInstantFailoverEnabled", ""));
  ASSIGN_OR_RETURN(set.is_instant_failover_tcp_reset_enabled,
                   OptionalBool(doc, "isInstantFailoverTcpResetEnabled", ""));
  ASSIGN_OR_RETURN(set.are_operationally_active_backends_preferred,
                   OptionalBool(doc, "areOperationallyActiveBackendsPreferred", ""));
  ASSIGN_OR_RETURN(set.ip_version, json::String(doc, "ipVersion", ""));
  ASSIGN_OR_RETURN(const json::Value* backends, json::Array(doc, "backends", ""));
  if (backends != nullptr) {
    for (rapidjson::SizeType i = 0; i < backends->Size(); ++i) {
      ASSIGN_OR_RETURN(NlbBackend b, ParseNlbBackend((*backends)[i], IndexPath("backends", i)));
      set.backends.push_back(std::move(b));
    }
  }
  ASSIGN_OR_RETURN(const json::Value* hc, json::Object(doc, "healthChecker", "", true));
  ASSIGN_OR_RETURN(set.health_checker, ParseHealthChecker(*hc, "healthChecker"));
  set.health_checker_json = SerializeAs(*hc, kNlbHealthCheckerDetails);
  return set;
}

Result<std::vector<NlbBackend>> ParseNlbBackendCollection(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "ListBackends response"));
  ASSIGN_OR_RETURN(const json::Value* items, Items(doc, "ListBackends response"));
  std::vector<NlbBackend> out;
  if (items == nullptr) return out;
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    ASSIGN_OR_RETURN(NlbBackend b, ParseNlbBackend((*items)[i], IndexPath("items", i)));
    out.push_back(std::move(b));
  }
  return out;
}

Result<NlbWorkRequest> ParseNlbWorkRequest(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "GetWorkRequest response"));
  return ParseWorkRequestValue(doc, "");
}

Result<std::vector<NlbWorkRequestError>> ParseNlbWorkRequestErrors(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "ListWorkRequestErrors response"));
  ASSIGN_OR_RETURN(const json::Value* items, Items(doc, "ListWorkRequestErrors response"));
  std::vector<NlbWorkRequestError> out;
  if (items == nullptr) return out;
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    const std::string p = IndexPath("items", i);
    const auto& e = (*items)[i];
    if (!e.IsObject()) return Fail(ErrorKind::kMalformedResponse, "field " + p + " must be an object");
    NlbWorkRequestError err;
    ASSIGN_OR_RETURN(err.code, json::String(e, "code", p));
    ASSIGN_OR_RETURN(err.message, json::String(e, "message", p));
    out.push_back(std::move(err));
  }
  return out;
}

// BackendDetails / CreateBackendDetails: name, ipAddress, targetId, port, weight, isBackup,
// isDrain, isOffline.
std::string NlbBackendDetailsJson(const NlbBackend& b) {
  JsonObjectWriter w;
  if (!b.name.empty()) w.String("name", b.name);
  if (!b.ip_address.empty()) w.String("ipAddress", b.ip_address);
  if (!b.target_id.empty()) w.String("targetId", b.target_id);
  w.Int("port", b.port);
  if (b.weight) w.Int("weight", *b.weight);
  w.Bool("isBackup", b.is_backup).Bool("isDrain", b.is_drain).Bool("isOffline", b.is_offline);
  return std::move(w).Finish();
}

// UpdateBackendSetDetails: policy, isPreserveSource, isFailOpen, isInstantFailoverEnabled,
// isInstantFailoverTcpResetEnabled, areOperationallyActiveBackendsPreferred, ipVersion,
// backends, healthChecker.
std::string NlbUpdateBackendSetBody(const NlbBackendSet& set) {
  std::vector<std::string> backends;
  backends.reserve(set.backends.size());
  for (const auto& b : set.backends) backends.push_back(NlbBackendDetailsJson(b));
  JsonObjectWriter w;
  if (!set.policy.empty()) w.String("policy", set.policy);
  WriteOptionalBool(w, "isPreserveSource", set.is_preserve_source);
  WriteOptionalBool(w, "isFailOpen", set.is_fail_open);
  WriteOptionalBool(w, "isInstantFailoverEnabled", set.is_instant_failover_enabled);
  WriteOptionalBool(w, "isInstantFailoverTcpResetEnabled", set.is_instant_failover_tcp_reset_enabled);
  WriteOptionalBool(w, "areOperationallyActiveBackendsPreferred", set.are_operationally_active_backends_preferred);
  if (!set.ip_version.empty()) w.String("ipVersion", set.ip_version);
  w.RawArray("backends", backends);
  if (!set.health_checker_json.empty()) w.Raw("healthChecker", set.health_checker_json);
  return std::move(w).Finish();
}

std::string NlbCreateBackendBody(const NlbBackend& b) { return NlbBackendDetailsJson(b); }

// UpdateBackendDetails: weight, isBackup, isDrain, isOffline.
std::string NlbUpdateBackendBody(const NlbBackend& b) {
  JsonObjectWriter w;
  if (b.weight) w.Int("weight", *b.weight);
  w.Bool("isBackup", b.is_backup).Bool("isDrain", b.is_drain).Bool("isOffline", b.is_offline);
  return std::move(w).Finish();
}

}  // namespace ccm::oci
