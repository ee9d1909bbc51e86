// Load balancer operations for both flavours. Classic (20170115) and network (20200501)
// differ in backend field names, required update fields, answer status (204 vs 202), list
// shapes (array vs {items}) and work request JSON; the rest is shared.
#include <algorithm>

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "test/ocisim/handlers.h"
#include "test/ocisim/nlb_backends.h"
#include "test/ocisim/request_models.h"
#include "test/ocisim/signature_verifier.h"

namespace ccm::ocisim {
namespace {

using simjson::Alloc;

const char* LbNoun(LbKind kind) {
  return kind == LbKind::kClassic ? "LoadBalancer" : "NetworkLoadBalancer";
}

ApiResponse NotFound(const std::string& what) {
  return ApiResponse::Error(404, "NotAuthorizedOrNotFound",
                            what + " not found or you are not authorized to access it");
}

ApiResponse JsonWithEtag(const json::Value& v) {
  ApiResponse r = ApiResponse::Json(200, json::Serialize(v));
  r.SetHeader("etag", simjson::Etag(v));
  return r;
}

std::map<std::string, json::Document>& Lbs(SimStore& s, LbKind kind) {
  return kind == LbKind::kClassic ? s.classic : s.network;
}

json::Value* FindLb(SimStore& s, LbKind kind, const std::string& id) {
  auto& lbs = Lbs(s, kind);
  auto it = lbs.find(id);
  return it == lbs.end() ? nullptr : &it->second;
}

json::Value* FindSet(json::Value& lb, const std::string& name) {
  json::Value* sets = simjson::FindMut(lb, "backendSets");
  if (sets == nullptr || !sets->IsObject()) return nullptr;
  auto it = sets->FindMember(name.c_str());
  return it == sets->MemberEnd() ? nullptr : &it->value;
}

json::Value* FindBackend(json::Value& set, const std::string& name) {
  json::Value* backends = simjson::FindMut(set, "backends");
  if (backends == nullptr || !backends->IsArray()) return nullptr;
  for (auto& b : backends->GetArray()) {
    if (simjson::GetString(b, "name") == name) return &b;
  }
  return nullptr;
}

ApiResponse BadRequest(const Error& e) {
  return ApiResponse::Error(400, e.kind == ErrorKind::kNotFound ? "MissingParameter" : "InvalidParameter",
                            e.message);
}

Result<json::Document> ParseBody(const ApiRequest& r) {
  if (r.body.empty()) return Fail(MakeError(ErrorKind::kNotFound, "request body is required"));
  ASSIGN_OR_RETURN(auto doc, json::Parse(r.body, "request body"));
  if (!doc.IsObject()) return Fail(ErrorKind::kInvalidArgument, "request body must be a JSON object");
  return doc;
}

// Missing required field: MissingParameter (kNotFound marks it), wrong type: InvalidParameter.
Status Require(const json::Value& obj, const char* field, const std::string& path) {
  if (json::Find(obj, field) == nullptr) {
    return Fail(MakeError(ErrorKind::kNotFound, path + "." + field + " is required"));
  }
  return {};
}

// Checks if-match against the resource's current etag.
std::optional<ApiResponse> CheckIfMatch(const ApiRequest& r, const json::Value& resource) {
  std::string want = r.Header("if-match");
  if (want.empty() || want == "*" || want == simjson::Etag(resource)) return std::nullopt;
  return ApiResponse::Error(412, "NoEtagMatch",
                            "The if-match etag does not match the resource's current etag");
}

// Replays a retried write: same answer, same work request, nothing applied twice.
std::optional<ApiResponse> ReplayRetry(SimStore& s, LbKind kind, const ApiRequest& r) REQUIRES(s.mu) {
  std::string token = r.Header("opc-retry-token");
  if (token.empty()) return std::nullopt;
  auto it = s.retry_tokens.find(token);
  if (it == s.retry_tokens.end()) return std::nullopt;
  if (it->second.request_key != r.method + " " + r.target) {
    return ApiResponse::Error(409, "Conflict",
                              "opc-retry-token was already used for a different request");
  }
  ApiResponse resp = ApiResponse::Empty(it->second.status);
  resp.SetHeader("opc-work-request-id", it->second.work_request_id);
  (void)kind;
  return resp;
}

using ApplyFn = std::function<Status(json::Value&, Alloc&)>;

// The shared tail of every write: one work request per load balancer at a time.
ApiResponse Submit(SimStore& s, LbKind kind, const CallContext& c, const std::string& lb_id,
                   json::Value& lb, const std::string& classic_type, const std::string& nlb_type,
                   const std::string& resource, ApplyFn apply) REQUIRES(s.mu) {
  if (const WorkRequest* busy = s.InFlightLocked(lb_id)) {
    if (kind == LbKind::kClassic) {
      return ApiResponse::Error(
          409, "IncorrectState",
          "Invalid State Transition of LoadBalancer " + lb_id + ": work request " + busy->id +
              " is " + s.StateOfLocked(*busy) + "; retry after it completes");
    }
    return ApiResponse::Error(409, "IncorrectState",
                              "NetworkLoadBalancer " + lb_id + " is UPDATING (work request " +
                                  busy->id + "); retry after it completes");
  }
  WorkRequest wr;
  wr.id = s.NewOcid(kind == LbKind::kClassic ? "loadbalancerworkrequest" : "nlbworkrequest");
  wr.kind = kind;
  wr.lb_id = lb_id;
  wr.compartment_id = simjson::GetString(lb, "compartmentId");
  wr.type = kind == LbKind::kClassic ? classic_type : nlb_type;
  wr.resource_name = resource;
  wr.fail = c.fault.fail_work_request;
  wr.error_message = c.fault.work_request_message;
  wr.apply = std::move(apply);
  const WorkRequest& added = s.AddWorkRequestLocked(std::move(wr));
  if (kind == LbKind::kNetwork) {
    auto& doc = Lbs(s, kind)[lb_id];
    simjson::SetString(doc, "lifecycleState", "UPDATING", doc.GetAllocator());
  }
  int status = kind == LbKind::kClassic ? 204 : 202;
  std::string token = c.request.Header("opc-retry-token");
  if (!token.empty()) {
    s.retry_tokens[token] = RetryRecord{c.request.method + " " + c.request.target, added.id, status,
                                        s.WallNowLocked() + std::chrono::hours(24)};
  }
  ApiResponse resp = ApiResponse::Empty(status);
  resp.SetHeader("opc-work-request-id", added.id);
  return resp;
}

Status CheckBool(const json::Value& b, const char* field, const std::string& path) {
  const json::Value* v = json::Find(b, field);
  if (v != nullptr && !v->IsBool() && !v->IsNull()) {
    return Fail(ErrorKind::kInvalidArgument, path + "." + field + " must be a boolean");
  }
  return {};
}

Status CheckInt(const json::Value& b, const char* field, const std::string& path) {
  const json::Value* v = json::Find(b, field);
  if (v != nullptr && !v->IsInt64() && !v->IsNull()) {
    return Fail(ErrorKind::kInvalidArgument, path + "." + field + " must be an integer");
  }
  return {};
}

void Default(json::Value& obj, const char* name, json::Value value, Alloc& alloc) {
  json::Value* v = simjson::FindMut(obj, name);
  if (v == nullptr || v->IsNull()) simjson::Set(obj, name, std::move(value), alloc);
}

// Fields an update may change on a backend.
const std::vector<const char*>& UpdatableBackendFields(LbKind kind) {
  static const std::vector<const char*> classic = {"weight", "maxConnections", "backup", "drain",
                                                   "offline"};
  static const std::vector<const char*> network = {"weight", "isBackup", "isDrain", "isOffline"};
  return kind == LbKind::kClassic ? classic : network;
}

}  // namespace

Status NormalizeBackend(LbKind kind, json::Value& b, Alloc& alloc, const std::string& path) {
  if (!b.IsObject()) return Fail(ErrorKind::kInvalidArgument, path + " must be an object");
  const json::Value* port = json::Find(b, "port");
  if (port == nullptr) return Fail(MakeError(ErrorKind::kNotFound, path + ".port is required"));
  if (!port->IsInt() || port->GetInt() < 0 || port->GetInt() > 65535) {
    return Fail(ErrorKind::kInvalidArgument, path + ".port must be an integer in 0..65535");
  }
  std::string ip = simjson::GetString(b, "ipAddress");
  std::string target = kind == LbKind::kNetwork ? simjson::GetString(b, "targetId") : "";
  if (ip.empty() && target.empty()) {
    return Fail(MakeError(ErrorKind::kNotFound,
                          path + (kind == LbKind::kClassic ? ".ipAddress is required"
                                                           : ".ipAddress or .targetId is required")));
  }
  for (const char* f : {"weight", "maxConnections"}) {
    if (auto st = CheckInt(b, f, path); !st) return st;
  }
  const char* bools[] = {"backup", "drain", "offline", "isBackup", "isDrain", "isOffline"};
  for (const char* f : bools) {
    if (auto st = CheckBool(b, f, path); !st) return st;
  }
  std::string name = simjson::GetString(b, "name");
  if (name.empty()) {
    name = (target.empty() ? ip : target) + ":" + std::to_string(port->GetInt());
    simjson::SetString(b, "name", name, alloc);
  }
  Default(b, "weight", json::Value(1), alloc);
  if (kind == LbKind::kClassic) {
    Default(b, "backup", json::Value(false), alloc);
    Default(b, "drain", json::Value(false), alloc);
    Default(b, "offline", json::Value(false), alloc);
  } else {
    Default(b, "isBackup", json::Value(false), alloc);
    Default(b, "isDrain", json::Value(false), alloc);
    Default(b, "isOffline", json::Value(false), alloc);
  }
  return {};
}

Status NormalizeBackendSet(LbKind kind, json::Value& set, Alloc& alloc, const std::string& path) {
  if (!set.IsObject()) return Fail(ErrorKind::kInvalidArgument, path + " must be an object");
  json::Value* backends = simjson::FindMut(set, "backends");
  if (backends == nullptr || backends->IsNull()) {
    simjson::Set(set, "backends", json::Value(rapidjson::kArrayType), alloc);
    backends = simjson::FindMut(set, "backends");
  }
  if (!backends->IsArray()) return Fail(ErrorKind::kInvalidArgument, path + ".backends must be an array");
  std::vector<std::string> names;
  for (rapidjson::SizeType i = 0; i < backends->Size(); ++i) {
    std::string bpath = path + ".backends[" + std::to_string(i) + "]";
    if (auto st = NormalizeBackend(kind, (*backends)[i], alloc, bpath); !st) return st;
    std::string name = simjson::GetString((*backends)[i], "name");
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return Fail(ErrorKind::kInvalidArgument, bpath + ": duplicate backend " + name);
    }
    names.push_back(name);
  }
  const json::Value* hc = json::Find(set, "healthChecker");
  if (hc != nullptr && !hc->IsObject() && !hc->IsNull()) {
    return Fail(ErrorKind::kInvalidArgument, path + ".healthChecker must be an object");
  }
  const json::Value* policy = json::Find(set, "policy");
  if (policy != nullptr && !policy->IsString() && !policy->IsNull()) {
    return Fail(ErrorKind::kInvalidArgument, path + ".policy must be a string");
  }
  return {};
}

Status NormalizeLoadBalancer(LbKind kind, json::Value& lb, Alloc& alloc) {
  if (!lb.IsObject()) return Fail(ErrorKind::kInvalidArgument, "load balancer must be an object");
  if (simjson::GetString(lb, "id").empty()) {
    return Fail(ErrorKind::kInvalidArgument, "load balancer id is required");
  }
  Default(lb, "lifecycleState", json::Value("ACTIVE"), alloc);
  Default(lb, "displayName", json::Value(simjson::GetString(lb, "id"), alloc), alloc);
  Default(lb, "compartmentId", json::Value("ocid1.compartment.oc1..sim"), alloc);
  Default(lb, "timeCreated", json::Value("2024-01-01T00:00:00.000Z"), alloc);
  Default(lb, "ipAddresses", json::Value(rapidjson::kArrayType), alloc);
  if (kind == LbKind::kClassic) {
    Default(lb, "shapeName", json::Value("flexible"), alloc);
  } else {
    Default(lb, "subnetId", json::Value("ocid1.subnet.oc1.phx.sim"), alloc);
  }
  json::Value* sets = simjson::FindMut(lb, "backendSets");
  if (sets == nullptr || sets->IsNull()) {
    simjson::Set(lb, "backendSets", json::Value(rapidjson::kObjectType), alloc);
    sets = simjson::FindMut(lb, "backendSets");
  }
  if (sets->IsArray()) {  // accept a list in seeds for convenience
    json::Value obj(rapidjson::kObjectType);
    for (auto& set : sets->GetArray()) {
      std::string name = simjson::GetString(set, "name");
      if (name.empty()) return Fail(ErrorKind::kInvalidArgument, "backendSets[].name is required");
      obj.AddMember(json::Value(name, alloc), json::Value(set, alloc), alloc);
    }
    *sets = std::move(obj);
  }
  if (!sets->IsObject()) return Fail(ErrorKind::kInvalidArgument, "backendSets must be an object");
  for (auto& m : sets->GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    simjson::SetString(m.value, "name", name, alloc);
    if (auto st = NormalizeBackendSet(kind, m.value, alloc, "backendSets." + name); !st) return st;
    if (kind == LbKind::kClassic) {
      Default(m.value, "policy", json::Value("ROUND_ROBIN"), alloc);
    } else {
      Default(m.value, "policy", json::Value("FIVE_TUPLE"), alloc);
    }
    Default(m.value, "healthChecker", json::Value(rapidjson::kObjectType), alloc);
  }
  return {};
}

ApiResponse GetLoadBalancer(SimStore& s, LbKind kind, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  return JsonWithEtag(*lb);
}

ApiResponse GetBackendSet(SimStore& s, LbKind kind, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  json::Value* set = FindSet(*lb, p[1]);
  if (set == nullptr) return NotFound("Backend set " + p[1]);
  return JsonWithEtag(*set);
}

ApiResponse GetBackendSetHealth(SimStore& s, LbKind kind, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  json::Value* set = FindSet(*lb, p[1]);
  if (set == nullptr) return NotFound("Backend set " + p[1]);
  // Offline backends are critical, the rest healthy: enough for callers that read health.
  std::string critical = "[";
  int total = 0, bad = 0;
  for (const auto& b : json::Find(*set, "backends")->GetArray()) {
    ++total;
    const json::Value* off = json::Find(b, kind == LbKind::kClassic ? "offline" : "isOffline");
    if (off != nullptr && off->IsBool() && off->GetBool()) {
      if (bad++ > 0) critical += ",";
      json::AppendQuoted(critical, simjson::GetString(b, "name"));
    }
  }
  critical += "]";
  std::string status = bad == 0 ? "OK" : (bad == total ? "CRITICAL" : "WARNING");
  return ApiResponse::Json(200, "{\"status\":\"" + status +
                                    "\",\"warningStateBackendNames\":[],\"criticalStateBackendNames\":" +
                                    critical + ",\"unknownStateBackendNames\":[],\"totalBackendCount\":" +
                                    std::to_string(total) + "}");
}

ApiResponse UpdateBackendSet(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  if (auto replay = ReplayRetry(s, kind, c.request)) return *replay;
  json::Value* set = FindSet(*lb, p[1]);
  if (set == nullptr) return NotFound("Backend set " + p[1]);
  auto body = ParseBody(c.request);
  if (!body) return BadRequest(body.error());
  if (auto st = CheckBodyFields(kind, WriteBody::kUpdateBackendSet, *body); !st) return BadRequest(st.error());
  if (kind == LbKind::kClassic) {
    for (const char* f : {"policy", "backends", "healthChecker"}) {
      if (auto st = Require(*body, f, "UpdateBackendSetDetails"); !st) return BadRequest(st.error());
    }
  }
  if (auto st = NormalizeBackendSet(kind, *body, body->GetAllocator(), "UpdateBackendSetDetails"); !st) {
    return BadRequest(st.error());
  }
  if (kind == LbKind::kNetwork) {
    json::Value& backends = *simjson::FindMut(*body, "backends");
    ResolveInstanceTargetsLocked(s, backends, body->GetAllocator());
    if (auto duplicate = DuplicateTarget(backends)) return *duplicate;
  }
  if (auto mismatch = CheckIfMatch(c.request, *set)) return *mismatch;
  auto details = std::make_shared<json::Document>(std::move(*body));
  std::string set_name = p[1];
  return Submit(s, kind, c, p[0], *lb, "UpdateBackendSet", "UPDATE_BACKENDSET", set_name,
                [details, set_name, kind](json::Value& lbv, Alloc& alloc) -> Status {
                  json::Value* target = FindSet(lbv, set_name);
                  if (target == nullptr) return Fail(ErrorKind::kNotFound, "backend set " + set_name + " is gone");
                  if (kind == LbKind::kClassic) {
                    // A PUT replaces the backend set: omitted optional settings are cleared.
                    json::Value replacement(*details, alloc);
                    simjson::SetString(replacement, "name", set_name, alloc);
                    *target = std::move(replacement);
                  } else {
                    for (auto& m : details->GetObject()) {
                      if (m.value.IsNull()) continue;
                      simjson::Set(*target, m.name.GetString(), json::Value(m.value, alloc), alloc);
                    }
                  }
                  return {};
                });
}

ApiResponse ListBackends(SimStore& s, LbKind kind, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  json::Value* set = FindSet(*lb, p[1]);
  if (set == nullptr) return NotFound("Backend set " + p[1]);
  std::string backends = json::Serialize(*json::Find(*set, "backends"));
  if (kind == LbKind::kClassic) return ApiResponse::Json(200, backends);
  return ApiResponse::Json(200, "{\"items\":" + backends + "}");
}

ApiResponse CreateBackend(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  if (auto replay = ReplayRetry(s, kind, c.request)) return *replay;
  json::Value* set = FindSet(*lb, p[1]);
  if (set == nullptr) return NotFound("Backend set " + p[1]);
  auto body = ParseBody(c.request);
  if (!body) return BadRequest(body.error());
  if (auto st = CheckBodyFields(kind, WriteBody::kCreateBackend, *body); !st) return BadRequest(st.error());
  if (auto st = NormalizeBackend(kind, *body, body->GetAllocator(), "CreateBackendDetails"); !st) {
    return BadRequest(st.error());
  }
  std::string name = simjson::GetString(*body, "name");
  if (FindBackend(*set, name) != nullptr) {
    return ApiResponse::Error(409, "Conflict",
                              "Backend " + name + " already exists in backend set " + p[1]);
  }
  if (kind == LbKind::kNetwork) {
    ResolveInstanceTargetsLocked(s, *body, body->GetAllocator());
    if (auto duplicate = DuplicateTarget(*simjson::FindMut(*set, "backends"), &*body)) return *duplicate;
  }
  if (auto mismatch = CheckIfMatch(c.request, *set)) return *mismatch;
  auto details = std::make_shared<json::Document>(std::move(*body));
  std::string set_name = p[1];
  return Submit(s, kind, c, p[0], *lb, "CreateBackend", "CREATE_BACKEND", name,
                [details, set_name, name](json::Value& lbv, Alloc& alloc) -> Status {
                  json::Value* target = FindSet(lbv, set_name);
                  if (target == nullptr) return Fail(ErrorKind::kNotFound, "backend set " + set_name + " is gone");
                  if (FindBackend(*target, name) != nullptr) {
                    return Fail(ErrorKind::kConflict, "backend " + name + " already exists");
                  }
                  simjson::FindMut(*target, "backends")->PushBack(json::Value(*details, alloc), alloc);
                  return {};
                });
}

ApiResponse GetBackend(SimStore& s, LbKind kind, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  json::Value* set = FindSet(*lb, p[1]);
  if (set == nullptr) return NotFound("Backend set " + p[1]);
  json::Value* backend = FindBackend(*set, p[2]);
  if (backend == nullptr) return NotFound("Backend " + p[2]);
  return JsonWithEtag(*backend);
}

ApiResponse UpdateBackend(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  if (auto replay = ReplayRetry(s, kind, c.request)) return *replay;
  json::Value* set = FindSet(*lb, p[1]);
  if (set == nullptr) return NotFound("Backend set " + p[1]);
  auto body = ParseBody(c.request);
  if (!body) return BadRequest(body.error());
  if (auto st = CheckBodyFields(kind, WriteBody::kUpdateBackend, *body); !st) return BadRequest(st.error());
  if (kind == LbKind::kClassic) {
    for (const char* f : {"weight", "backup", "drain", "offline"}) {
      if (auto st = Require(*body, f, "UpdateBackendDetails"); !st) return BadRequest(st.error());
    }
  }
  for (const char* f : {"weight", "maxConnections"}) {
    if (auto st = CheckInt(*body, f, "UpdateBackendDetails"); !st) return BadRequest(st.error());
  }
  for (const char* f : {"backup", "drain", "offline", "isBackup", "isDrain", "isOffline"}) {
    if (auto st = CheckBool(*body, f, "UpdateBackendDetails"); !st) return BadRequest(st.error());
  }
  json::Value* backend = FindBackend(*set, p[2]);
  if (backend == nullptr) return NotFound("Backend " + p[2]);
  if (auto mismatch = CheckIfMatch(c.request, *backend)) return *mismatch;
  auto details = std::make_shared<json::Document>(std::move(*body));
  std::string set_name = p[1], name = p[2];
  return Submit(s, kind, c, p[0], *lb, "UpdateBackend", "UPDATE_BACKEND", name,
                [details, set_name, name, kind](json::Value& lbv, Alloc& alloc) -> Status {
                  json::Value* target = FindSet(lbv, set_name);
                  json::Value* b = target == nullptr ? nullptr : FindBackend(*target, name);
                  if (b == nullptr) return Fail(ErrorKind::kNotFound, "backend " + name + " is gone");
                  for (const char* f : UpdatableBackendFields(kind)) {
                    const json::Value* v = json::Find(*details, f);
                    if (v != nullptr && !v->IsNull()) simjson::Set(*b, f, json::Value(*v, alloc), alloc);
                  }
                  return {};
                });
}

ApiResponse DeleteBackend(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  json::Value* lb = FindLb(s, kind, p[0]);
  if (lb == nullptr) return NotFound(std::string(LbNoun(kind)) + " " + p[0]);
  if (auto replay = ReplayRetry(s, kind, c.request)) return *replay;
  json::Value* set = FindSet(*lb, p[1]);
  if (set == nullptr) return NotFound("Backend set " + p[1]);
  json::Value* backend = FindBackend(*set, p[2]);
  if (backend == nullptr) return NotFound("Backend " + p[2]);
  if (auto mismatch = CheckIfMatch(c.request, *backend)) return *mismatch;
  std::string set_name = p[1], name = p[2];
  return Submit(s, kind, c, p[0], *lb, "DeleteBackend", "DELETE_BACKEND", name,
                [set_name, name](json::Value& lbv, Alloc&) -> Status {
                  json::Value* target = FindSet(lbv, set_name);
                  if (target == nullptr) return Fail(ErrorKind::kNotFound, "backend set " + set_name + " is gone");
                  json::Value* backends = simjson::FindMut(*target, "backends");
                  for (auto it = backends->Begin(); it != backends->End(); ++it) {
                    if (simjson::GetString(*it, "name") == name) {
                      backends->Erase(it);
                      return {};
                    }
                  }
                  return Fail(ErrorKind::kNotFound, "backend " + name + " is gone");
                });
}

}  // namespace ccm::ocisim
