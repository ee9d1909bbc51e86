#include "pkg/oci/models/load_balancer_models.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/models/published_models.h"

namespace ccm::oci {
namespace {

Result<LbHealthChecker> ParseHealthChecker(const json::Value& hc, std::string_view path) {
  LbHealthChecker out;
  ASSIGN_OR_RETURN(out.protocol, json::String(hc, "protocol", path));
  ASSIGN_OR_RETURN(out.url_path, json::String(hc, "urlPath", path));
  ASSIGN_OR_RETURN(out.port, json::Int(hc, "port", path));
  ASSIGN_OR_RETURN(out.return_code, json::Int(hc, "returnCode", path));
  ASSIGN_OR_RETURN(out.retries, json::Int(hc, "retries", path));
  ASSIGN_OR_RETURN(out.timeout_in_millis, json::Int(hc, "timeoutInMillis", path));
  ASSIGN_OR_RETURN(out.interval_in_millis, json::Int(hc, "intervalInMillis", path));
  ASSIGN_OR_RETURN(out.response_body_regex, json::String(hc, "responseBodyRegex", path));
  ASSIGN_OR_RETURN(out.is_force_plain_text, json::Bool(hc, "isForcePlainText", path));
  return out;
}

Result<LbWorkRequest> ParseWorkRequestValue(const json::Value& obj, std::string_view path) {
  LbWorkRequest wr;
  ASSIGN_OR_RETURN(wr.id, json::String(obj, "id", path, true));
  ASSIGN_OR_RETURN(wr.load_balancer_id, json::String(obj, "loadBalancerId", path));
  ASSIGN_OR_RETURN(wr.type, json::String(obj, "type", path));
  ASSIGN_OR_RETURN(wr.lifecycle_state, json::String(obj, "lifecycleState", path, true));
  ASSIGN_OR_RETURN(wr.message, json::String(obj, "message", path));
  ASSIGN_OR_RETURN(const json::Value* errors, json::Array(obj, "errorDetails", path));
  if (errors != nullptr) {
    const std::string base = FieldPath(path, "errorDetails");
    for (rapidjson::SizeType i = 0; i < errors->Size(); ++i) {
      const std::string p = IndexPath(base, i);
      const auto& e = (*errors)[i];
      if (!e.IsObject()) return Fail(ErrorKind::kMalformedResponse, "field " + p + " must be an object");
      LbWorkRequestError detail;
      ASSIGN_OR_RETURN(detail.error_code, json::String(e, "errorCode", p));
      ASSIGN_OR_RETURN(detail.message, json::String(e, "message", p));
      wr.error_details.push_back(std::move(detail));
    }
  }
  return wr;
}

void WriteBackendSettings(JsonObjectWriter& w, const LbBackend& b) {
  if (b.weight) w.Int("weight", *b.weight);
  if (b.max_connections) w.Int("maxConnections", *b.max_connections);
  w.Bool("backup", b.backup).Bool("drain", b.drain).Bool("offline", b.offline);
}

}  // namespace

Result<LoadBalancer> ParseLoadBalancer(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "GetLoadBalancer response"));
  LoadBalancer lb;
  ASSIGN_OR_RETURN(lb.id, json::String(doc, "id", "", true));
  ASSIGN_OR_RETURN(lb.display_name, json::String(doc, "displayName", ""));
  ASSIGN_OR_RETURN(lb.compartment_id, json::String(doc, "compartmentId", ""));
  ASSIGN_OR_RETURN(lb.lifecycle_state, json::String(doc, "lifecycleState", "", true));
  ASSIGN_OR_RETURN(lb.ip_addresses, ParseIpAddresses(doc, ""));
  ASSIGN_OR_RETURN(lb.backend_set_names, ParseMapKeys(doc, "backendSets", ""));
  return lb;
}

Result<LbBackend> ParseLbBackend(const json::Value& obj, std::string_view path) {
  if (!obj.IsObject()) {
    return Fail(ErrorKind::kMalformedResponse, "field " + std::string(path.empty() ? "backend" : path) + " must be an object");
  }
  LbBackend b;
  ASSIGN_OR_RETURN(b.name, json::String(obj, "name", path));
  ASSIGN_OR_RETURN(b.ip_address, json::String(obj, "ipAddress", path, true));
  ASSIGN_OR_RETURN(b.port, json::Int(obj, "port", path, true));
  ASSIGN_OR_RETURN(b.weight, OptionalInt(obj, "weight", path));
  ASSIGN_OR_RETURN(b.max_connections, OptionalInt(obj, "maxConnections", path));
  ASSIGN_OR_RETURN(b.backup, json::Bool(obj, "backup", path));
  ASSIGN_OR_RETURN(b.drain, json::Bool(obj, "drain", path));
  ASSIGN_OR_RETURN(b.offline, json::Bool(obj, "offline", path));
  if (b.name.empty()) b.name = b.ip_address + ":" + std::to_string(b.port);
  return b;
}

Result<LbBackendSet> ParseLbBackendSet(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "GetBackendSet response"));
  LbBackendSet set;
  ASSIGN_OR_RETURN(set.name, json::String(doc, "name", "", true));
  ASSIGN_OR_RETURN(set.policy, json::String(doc, "policy", "", true));
  ASSIGN_OR_RETURN(const json::Value* backends, json::Array(doc, "backends", ""));
  if (backends != nullptr) {
    for (rapidjson::SizeType i = 0; i < backends->Size(); ++i) {
      ASSIGN_OR_RETURN(LbBackend b, ParseLbBackend((*backends)[i], IndexPath("backends", i)));
      set.backends.push_back(std::move(b));
    }
  }
  ASSIGN_OR_RETURN(const json::Value* hc, json::Object(doc, "healthChecker", "", true));
  ASSIGN_OR_RETURN(set.health_checker, ParseHealthChecker(*hc, "healthChecker"));
  set.health_checker_json = SerializeAs(*hc, kLbHealthCheckerDetails);
  ASSIGN_OR_RETURN(set.ssl_configuration_json,
                   PublishedObject(doc, "sslConfiguration", "", kLbSslConfigurationDetails));
  ASSIGN_OR_RETURN(
      set.session_persistence_configuration_json,
      PublishedObject(doc, "sessionPersistenceConfiguration", "", kLbSessionPersistenceConfigurationDetails));
  ASSIGN_OR_RETURN(set.lb_cookie_session_persistence_configuration_json,
                   PublishedObject(doc, "lbCookieSessionPersistenceConfiguration", "",
                                   kLbCookieSessionPersistenceConfigurationDetails));
  ASSIGN_OR_RETURN(set.backend_max_connections, OptionalInt(doc, "backendMaxConnections", ""));
  return set;
}

Result<std::vector<LbBackend>> ParseLbBackendList(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "ListBackends response", true));
  std::vector<LbBackend> out;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    ASSIGN_OR_RETURN(LbBackend b, ParseLbBackend(doc[i], IndexPath("", i)));
    out.push_back(std::move(b));
  }
  return out;
}

Result<LbWorkRequest> ParseLbWorkRequest(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "GetWorkRequest response"));
  return ParseWorkRequestValue(doc, "");
}

Result<std::vector<LbWorkRequest>> ParseLbWorkRequestList(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "ListWorkRequests response", true));
  std::vector<LbWorkRequest> out;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    if (!doc[i].IsObject()) {
      return Fail(ErrorKind::kMalformedResponse, "field " + IndexPath("", i) + " must be an object");
    }
    ASSIGN_OR_RETURN(LbWorkRequest wr, ParseWorkRequestValue(doc[i], IndexPath("", i)));
    out.push_back(std::move(wr));
  }
  return out;
}

// BackendDetails / CreateBackendDetails: ipAddress, port, weight, maxConnections, backup,
// drain, offline.
std::string LbBackendDetailsJson(const LbBackend& b) {
  JsonObjectWriter w;
  w.String("ipAddress", b.ip_address).Int("port", b.port);
  WriteBackendSettings(w, b);
  return std::move(w).Finish();
}

// UpdateBackendSetDetails: policy, backends, backendMaxConnections, healthChecker,
// sslConfiguration, sessionPersistenceConfiguration, lbCookieSessionPersistenceConfiguration.
std::string LbUpdateBackendSetBody(const LbBackendSet& set) {
  std::vector<std::string> backends;
  backends.reserve(set.backends.size());
  for (const auto& b : set.backends) backends.push_back(LbBackendDetailsJson(b));
  JsonObjectWriter w;
  w.String("policy", set.policy).RawArray("backends", backends);
  w.Raw("healthChecker", set.health_checker_json.empty() ? "{}" : set.health_checker_json);
  if (!set.ssl_configuration_json.empty()) w.Raw("sslConfiguration", set.ssl_configuration_json);
  if (!set.session_persistence_configuration_json.empty()) {
    w.Raw("sessionPersistenceConfiguration", set.session_persistence_configuration_json);
  }
  if (!set.lb_cookie_session_persistence_configuration_json.empty()) {
    w.Raw("lbCookieSessionPersistenceConfiguration", set.lb_cookie_session_persistence_configuration_json);
  }
  if (set.backend_max_connections) w.Int("backendMaxConnections", *set.backend_max_connections);
  return std::move(w).Finish();
}

std::string LbCreateBackendBody(const LbBackend& b) { return LbBackendDetailsJson(b); }

std::string LbUpdateBackendBody(const LbBackend& b) {
  // UpdateBackendDetails: weight, maxConnections, backup, drain, offline (all but
  // maxConnections required).
  JsonObjectWriter w;
  w.Int("weight", b.weight.value_or(1));
  if (b.max_connections) w.Int("maxConnections", *b.max_connections);
  w.Bool("backup", b.backup).Bool("drain", b.drain).Bool("offline", b.offline);
  return std::move(w).Finish();
}

}  // namespace ccm::oci
