// Core networking (API 20160918): public IPs, private IPs, subnets and public IP pools, as the
// ReservedIP controller uses them. Rules modelled, each with the page it follows:
//
// - Assigning, moving and unassigning a reserved public IP are asynchronous: poll the public
//   IP's lifecycleState (UpdatePublicIp,
//   https://docs.oracle.com/iaas/api/#/en/iaas/20160918/PublicIp/UpdatePublicIp). The
//   simulator answers with ASSIGNING / UNASSIGNING and settles to ASSIGNED / AVAILABLE after
//   its public-IP latency.
// - "When moving a reserved public IP, the target private IP must not already have a public
//   IP with lifecycleState = ASSIGNING or ASSIGNED. If it does, an error is returned" (same
//   page): 409 Conflict. CreatePublicIp with a privateIpId follows the same one-per-private-IP
//   rule ("The private IP must not already have a public IP", Assigning a Reserved Public IP,
//   https://docs.oracle.com/iaas/Content/Network/Tasks/reserved-public-ip-assign.htm).
// - "the assignment to the target private IP is asynchronous and could fail silently (for
//   example, if the target private IP is deleted or has a different public IP assigned to it in
//   the interim). If that occurs, the public IP remains unassigned and its lifecycleState
//   switches to AVAILABLE" (same page). A failWorkRequest fault on UpdatePublicIp injects it.
// - Unassigning "returns it to your pool of reserved public IPs" (same page): AVAILABLE.
// - DeletePublicIp "Unassigns and deletes the specified public IP ... For an assigned reserved
//   public IP, the initial unassignment portion of this operation is asynchronous"
//   (https://docs.oracle.com/iaas/api/#/en/iaas/20160918/PublicIp/DeletePublicIp): 204, the IP
//   is TERMINATING and then TERMINATED; its address is free again at once.
// - Lifecycle states are the PublicIp model's enum (oci-python-sdk
//   src/oci/core/models/public_ip.py: PROVISIONING, AVAILABLE, ASSIGNING, ASSIGNED,
//   UNASSIGNING, UNASSIGNED, TERMINATING, TERMINATED); a reserved IP has scope REGION
//   (same model: "scope ... REGION for reserved public IPs").
// - CreatePublicIp needs compartmentId and lifetime (EPHEMERAL | RESERVED); an ephemeral one
//   needs the privateIpId of a primary private IP (CreatePublicIpDetails,
//   https://docs.oracle.com/iaas/api/#/en/iaas/20160918/datatypes/CreatePublicIpDetails);
//   publicIpPoolId allocates from a BYOIP pool's cidrBlocks (PublicIpPool model).
// - Request bodies carry only the fields of CreatePublicIpDetails / UpdatePublicIpDetails /
//   GetPublicIpByIpAddressDetails / GetPublicIpByPrivateIpIdDetails; anything else is refused
//   with 400 InvalidParameter (the strict reading request_models.h explains).
// - ListPublicIps requires scope and compartmentId (availabilityDomain with
//   AVAILABILITY_DOMAIN) and filters by lifetime and publicIpPoolId; ListPrivateIps takes a
//   subnetId (optionally with ipAddress) or a vnicId
//   (https://docs.oracle.com/iaas/api/#/en/iaas/20160918/PrivateIp/ListPrivateIps).
// - Simulator assumptions OCI does not document: a second change while one is in progress is
//   refused with 409 IncorrectState, which OCI's SDKs retry like any IncorrectState; addresses
//   outside pools come from 129.146.0.0/16.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "test/ocisim/crypto_util.h"
#include "test/ocisim/handlers.h"
#include "test/ocisim/paging.h"
#include "test/ocisim/signature_verifier.h"

namespace ccm::ocisim {
namespace {

using simjson::Alloc;

constexpr uint32_t kDefaultRangeBase = (129u << 24) | (146u << 16);  // 129.146.0.0/16

ApiResponse NotFound(const std::string& what) {
  return ApiResponse::Error(404, "NotAuthorizedOrNotFound",
                            what + " not found or you are not authorized to access it");
}

ApiResponse WithEtag(const json::Value& v, int status = 200) {
  ApiResponse r = ApiResponse::Json(status, json::Serialize(v));
  r.SetHeader("etag", simjson::Etag(v));
  return r;
}

ApiResponse Invalid(const std::string& message) {
  return ApiResponse::Error(400, "InvalidParameter", message);
}
ApiResponse Missing(const std::string& message) {
  return ApiResponse::Error(400, "MissingParameter", message);
}

ApiResponse PagedArray(const ApiRequest& r, const std::vector<std::string>& items) {
  PageWindow w;
  ApiResponse error;
  if (!ComputePage(r, items.size(), w, error)) return error;
  ApiResponse resp = ApiResponse::Json(200, JsonArray(items, w.begin, w.end));
  if (!w.next_page.empty()) resp.SetHeader("opc-next-page", w.next_page);
  return resp;
}

std::optional<uint32_t> ParseIpv4(const std::string& s) {
  unsigned a, b, c, d;
  char tail;
  if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4) return std::nullopt;
  if (a > 255 || b > 255 || c > 255 || d > 255) return std::nullopt;
  return (a << 24) | (b << 16) | (c << 8) | d;
}

std::string FormatIpv4(uint32_t v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
         std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
}

// [first, last] of "a.b.c.d/n".
std::optional<std::pair<uint32_t, uint32_t>> ParseCidr(const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto base = ParseIpv4(cidr.substr(0, slash));
  int bits = std::atoi(cidr.c_str() + slash + 1);
  if (!base || bits < 0 || bits > 32) return std::nullopt;
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return std::make_pair(*base & mask, (*base & mask) | ~mask);
}

Result<json::Document> ParseObjectBody(const ApiRequest& r) {
  if (r.body.empty()) return Fail(ErrorKind::kNotFound, "request body is required");
  auto doc = json::Parse(r.body, "request body");
  if (!doc) return Fail(doc.error());
  if (!doc->IsObject())
    return Fail(ErrorKind::kInvalidArgument, "request body must be a JSON object");
  return doc;
}

std::optional<ApiResponse> CheckFields(const json::Value& body, const char* model,
                                       std::initializer_list<const char*> allowed) {
  for (const auto& m : body.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; }) ==
        allowed.end()) {
      return Invalid(std::string(model) + "." + name + " is not a field of " + model);
    }
  }
  return std::nullopt;
}

// Freeform tags: an object of string values (Tags, https://docs.oracle.com/iaas/Content/
// Tagging/Concepts/understandingfreeformtags.htm: keys up to 100 characters, no spaces).
std::optional<ApiResponse> CheckFreeformTags(const json::Value& body, const char* model) {
  const json::Value* tags = json::Find(body, "freeformTags");
  if (tags == nullptr || tags->IsNull()) return std::nullopt;
  if (!tags->IsObject()) return Invalid(std::string(model) + ".freeformTags must be an object");
  for (const auto& m : tags->GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (!m.value.IsString())
      return Invalid(std::string(model) + ".freeformTags." + key + " must be a string");
    if (key.empty() || key.size() > 100 || key.find(' ') != std::string::npos) {
      return Invalid(std::string(model) + ".freeformTags key '" + key + "' is not valid");
    }
  }
  return std::nullopt;
}

bool InTransition(const std::string& state) {
  return state == "PROVISIONING" || state == "ASSIGNING" || state == "UNASSIGNING" ||
         state == "TERMINATING";
}

// The public IP assigned (or being assigned) to `private_ip_id`, other than `except`.
const json::Value* PublicIpOn(const SimStore& s, const std::string& private_ip_id,
                              const std::string& except = "") REQUIRES(s.mu) {
  for (const auto& [id, ip] : s.public_ips) {
    if (id == except || simjson::GetString(ip, "privateIpId") != private_ip_id) continue;
    std::string state = simjson::GetString(ip, "lifecycleState");
    if (state == "ASSIGNING" || state == "ASSIGNED") return &ip;
  }
  return nullptr;
}

bool AddressInUse(const SimStore& s, const std::string& address) REQUIRES(s.mu) {
  for (const auto& [id, ip] : s.public_ips) {
    if (simjson::GetString(ip, "ipAddress") == address &&
        simjson::GetString(ip, "lifecycleState") != "TERMINATED") {
      return true;
    }
  }
  return false;
}

std::optional<std::string> AllocateAddress(SimStore& s, const json::Value* pool) REQUIRES(s.mu) {
  if (pool != nullptr) {
    const json::Value* blocks = json::Find(*pool, "cidrBlocks");
    if (blocks == nullptr || !blocks->IsArray()) return std::nullopt;
    for (const auto& b : blocks->GetArray()) {
      if (!b.IsString()) continue;
      auto range = ParseCidr(b.GetString());
      if (!range) continue;
      for (uint64_t v = range->first; v <= range->second; ++v) {
        std::string a = FormatIpv4(static_cast<uint32_t>(v));
        if (!AddressInUse(s, a)) return a;
      }
    }
    return std::nullopt;
  }
  for (uint32_t n = 0; n < 65536; ++n) {
    uint32_t offset = (s.next_public_address++ % 65534) + 1;
    std::string a = FormatIpv4(kDefaultRangeBase + offset);
    if (!AddressInUse(s, a)) return a;
  }
  return std::nullopt;
}

void SetAssignment(json::Value& ip, const std::string& private_ip_id, Alloc& alloc) {
  if (private_ip_id.empty()) {
    simjson::Set(ip, "privateIpId", json::Value(rapidjson::kNullType), alloc);
    simjson::Set(ip, "assignedEntityId", json::Value(rapidjson::kNullType), alloc);
    simjson::Set(ip, "assignedEntityType", json::Value(rapidjson::kNullType), alloc);
    return;
  }
  simjson::SetString(ip, "privateIpId", private_ip_id, alloc);
  simjson::SetString(ip, "assignedEntityId", private_ip_id, alloc);
  simjson::SetString(ip, "assignedEntityType", "PRIVATE_IP", alloc);
}

void StartChange(SimStore& s, json::Document& ip, const std::string& now_state,
                 const std::string& final_state, bool fail = false) REQUIRES(s.mu) {
  simjson::SetString(ip, "lifecycleState", now_state, ip.GetAllocator());
  s.public_ip_changes[simjson::GetString(ip, "id")] =
      PublicIpChange{std::chrono::steady_clock::now() + s.public_ip_latency, final_state, fail};
}

json::Document* FindPublicIp(SimStore& s, const std::string& id) REQUIRES(s.mu) {
  auto it = s.public_ips.find(id);
  return it == s.public_ips.end() ? nullptr : &it->second;
}

json::Document* LivePublicIpByAddress(SimStore& s, const std::string& address) REQUIRES(s.mu) {
  for (auto& [id, ip] : s.public_ips) {
    if (simjson::GetString(ip, "ipAddress") == address &&
        simjson::GetString(ip, "lifecycleState") != "TERMINATED") {
      return &ip;
    }
  }
  return nullptr;
}

void DefaultString(json::Value& obj, const char* name, const std::string& value, Alloc& alloc) {
  if (simjson::GetString(obj, name).empty()) simjson::SetString(obj, name, value, alloc);
}

}  // namespace

void SimStore::SettlePublicIpsLocked() {
  auto now = std::chrono::steady_clock::now();
  for (auto it = public_ip_changes.begin(); it != public_ip_changes.end();) {
    if (it->second.due > now) {
      ++it;
      continue;
    }
    auto ip_it = public_ips.find(it->first);
    if (ip_it != public_ips.end()) {
      json::Document& ip = ip_it->second;
      std::string state = it->second.final_state;
      if (state == "ASSIGNED") {
        std::string target = simjson::GetString(ip, "privateIpId");
        bool target_gone = !private_ips.contains(target);
        if (it->second.fail || target_gone || PublicIpOn(*this, target, it->first) != nullptr) {
          state = "AVAILABLE";  // the silent failure UpdatePublicIp documents
          SetAssignment(ip, "", ip.GetAllocator());
        }
      }
      simjson::SetString(ip, "lifecycleState", state, ip.GetAllocator());
    }
    it = public_ip_changes.erase(it);
  }
}

Status SeedPublicIpLocked(SimStore& s, json::Value& v) REQUIRES(s.mu) {
  json::Document doc = simjson::Clone(v);
  auto& a = doc.GetAllocator();
  if (simjson::GetString(doc, "ipAddress").empty())
    return Fail(ErrorKind::kInvalidArgument, "publicIp.ipAddress is required");
  DefaultString(doc, "id", s.NewOcid("publicip"), a);
  DefaultString(doc, "lifetime", "RESERVED", a);
  DefaultString(doc, "compartmentId", "ocid1.compartment.oc1..sim", a);
  DefaultString(
      doc, "scope",
      simjson::GetString(doc, "lifetime") == "RESERVED" ? "REGION" : "AVAILABILITY_DOMAIN", a);
  DefaultString(doc, "displayName", simjson::GetString(doc, "ipAddress"), a);
  DefaultString(doc, "timeCreated", "2024-01-01T00:00:00.000Z", a);
  std::string private_ip = simjson::GetString(doc, "privateIpId");
  SetAssignment(doc, private_ip, a);
  DefaultString(doc, "lifecycleState", private_ip.empty() ? "AVAILABLE" : "ASSIGNED", a);
  if (json::Find(doc, "freeformTags") == nullptr)
    simjson::Set(doc, "freeformTags", json::Value(rapidjson::kObjectType), a);
  if (json::Find(doc, "definedTags") == nullptr)
    simjson::Set(doc, "definedTags", json::Value(rapidjson::kObjectType), a);
  std::string id = simjson::GetString(doc, "id");
  s.public_ips[id] = std::move(doc);
  return {};
}

Status SeedPrivateIpLocked(SimStore& s, json::Value& v) REQUIRES(s.mu) {
  json::Document doc = simjson::Clone(v);
  auto& a = doc.GetAllocator();
  if (!ParseIpv4(simjson::GetString(doc, "ipAddress"))) {
    return Fail(ErrorKind::kInvalidArgument, "privateIp.ipAddress must be an IPv4 address");
  }
  DefaultString(doc, "id", s.NewOcid("privateip"), a);
  DefaultString(doc, "compartmentId", "ocid1.compartment.oc1..sim", a);
  DefaultString(doc, "availabilityDomain", "Uocm:PHX-AD-1", a);
  DefaultString(doc, "subnetId", "ocid1.subnet.oc1.phx.sim", a);
  DefaultString(doc, "displayName", simjson::GetString(doc, "ipAddress"), a);
  DefaultString(doc, "timeCreated", "2024-01-01T00:00:00.000Z", a);
  if (json::Find(doc, "isPrimary") == nullptr)
    simjson::Set(doc, "isPrimary", json::Value(false), a);
  std::string id = simjson::GetString(doc, "id");
  s.private_ips[id] = std::move(doc);
  return {};
}

Status SeedSubnetLocked(SimStore& s, json::Value& v) REQUIRES(s.mu) {
  json::Document doc = simjson::Clone(v);
  auto& a = doc.GetAllocator();
  std::string id = simjson::GetString(doc, "id");
  if (id.empty()) return Fail(ErrorKind::kInvalidArgument, "subnet.id is required");
  DefaultString(doc, "cidrBlock", "10.0.0.0/16", a);
  DefaultString(doc, "compartmentId", "ocid1.compartment.oc1..sim", a);
  DefaultString(doc, "vcnId", "ocid1.vcn.oc1.phx.sim", a);
  DefaultString(doc, "displayName", id, a);
  DefaultString(doc, "lifecycleState", "AVAILABLE", a);
  DefaultString(doc, "virtualRouterIp", "10.0.0.1", a);
  DefaultString(doc, "virtualRouterMac", "00:00:17:00:00:01", a);
  DefaultString(doc, "routeTableId", "ocid1.routetable.oc1.phx.sim", a);
  DefaultString(doc, "timeCreated", "2024-01-01T00:00:00.000Z", a);
  if (json::Find(doc, "prohibitPublicIpOnVnic") == nullptr) {
    simjson::Set(doc, "prohibitPublicIpOnVnic", json::Value(false), a);
  }
  s.subnets[id] = std::move(doc);
  return {};
}

Status SeedPublicIpPoolLocked(SimStore& s, json::Value& v) REQUIRES(s.mu) {
  json::Document doc = simjson::Clone(v);
  auto& a = doc.GetAllocator();
  std::string id = simjson::GetString(doc, "id");
  if (id.empty()) return Fail(ErrorKind::kInvalidArgument, "publicIpPool.id is required");
  const json::Value* blocks = json::Find(doc, "cidrBlocks");
  if (blocks == nullptr || !blocks->IsArray())
    return Fail(ErrorKind::kInvalidArgument, "publicIpPool.cidrBlocks is required");
  for (const auto& b : blocks->GetArray()) {
    if (!b.IsString() || !ParseCidr(b.GetString())) {
      return Fail(ErrorKind::kInvalidArgument, "publicIpPool.cidrBlocks holds an invalid CIDR");
    }
  }
  DefaultString(doc, "compartmentId", "ocid1.compartment.oc1..sim", a);
  DefaultString(doc, "displayName", id, a);
  DefaultString(doc, "lifecycleState", "ACTIVE", a);
  DefaultString(doc, "timeCreated", "2024-01-01T00:00:00.000Z", a);
  s.public_ip_pools[id] = std::move(doc);
  return {};
}

ApiResponse CreatePublicIp(SimStore& s, const CallContext& c, const PathParams&) {
  const ApiRequest& r = c.request;
  MutexLock lock(s.mu);
  s.SettlePublicIpsLocked();
  // opc-retry-token: a retried create answers with the public IP the first attempt made
  // (API Requests, https://docs.oracle.com/iaas/Content/API/Concepts/usingapi.htm#retrytoken).
  const std::string token = r.Header("opc-retry-token");
  const std::string request_key = "POST " + r.target + " " + Sha256(r.body);
  if (!token.empty()) {
    if (auto it = s.retry_tokens.find(token); it != s.retry_tokens.end()) {
      if (it->second.request_key != request_key) {
        return ApiResponse::Error(409, "Conflict",
                                  "opc-retry-token was already used for a different request");
      }
      if (json::Document* ip = FindPublicIp(s, it->second.work_request_id)) return WithEtag(*ip);
    }
  }
  auto body = ParseObjectBody(r);
  if (!body)
    return body.error().kind == ErrorKind::kNotFound ? Missing(body.error().message)
                                                     : Invalid(body.error().message);
  if (auto bad = CheckFields(*body, "CreatePublicIpDetails",
                             {"compartmentId", "definedTags", "displayName", "freeformTags",
                              "lifetime", "privateIpId", "publicIpPoolId"})) {
    return *bad;
  }
  if (auto bad = CheckFreeformTags(*body, "CreatePublicIpDetails")) return *bad;
  const std::string compartment = simjson::GetString(*body, "compartmentId");
  const std::string lifetime = simjson::GetString(*body, "lifetime");
  if (compartment.empty()) return Missing("CreatePublicIpDetails.compartmentId is required");
  if (lifetime.empty()) return Missing("CreatePublicIpDetails.lifetime is required");
  if (lifetime != "RESERVED" && lifetime != "EPHEMERAL") {
    return Invalid("CreatePublicIpDetails.lifetime must be EPHEMERAL or RESERVED");
  }
  const std::string private_ip = simjson::GetString(*body, "privateIpId");
  const json::Value* target = nullptr;
  if (!private_ip.empty()) {
    auto it = s.private_ips.find(private_ip);
    if (it == s.private_ips.end()) return NotFound("PrivateIp " + private_ip);
    target = &it->second;
    if (PublicIpOn(s, private_ip) != nullptr) {
      return ApiResponse::Error(409, "Conflict",
                                "PrivateIp " + private_ip + " already has a public IP assigned");
    }
  }
  if (lifetime == "EPHEMERAL") {
    if (target == nullptr)
      return Missing("CreatePublicIpDetails.privateIpId is required for an EPHEMERAL public IP");
    const json::Value* primary = json::Find(*target, "isPrimary");
    if (primary == nullptr || !primary->IsBool() || !primary->GetBool()) {
      return Invalid("an EPHEMERAL public IP can only be assigned to a primary private IP");
    }
  }
  const std::string pool_id = simjson::GetString(*body, "publicIpPoolId");
  const json::Value* pool = nullptr;
  if (!pool_id.empty()) {
    auto it = s.public_ip_pools.find(pool_id);
    if (it == s.public_ip_pools.end()) return NotFound("PublicIpPool " + pool_id);
    pool = &it->second;
  }
  auto address = AllocateAddress(s, pool);
  if (!address)
    return ApiResponse::Error(409, "Conflict",
                              "no free address in " + (pool_id.empty() ? "the region" : pool_id));

  json::Document ip;
  ip.SetObject();
  auto& a = ip.GetAllocator();
  const std::string id = s.NewOcid("publicip");
  simjson::SetString(ip, "id", id, a);
  simjson::SetString(ip, "ipAddress", *address, a);
  simjson::SetString(ip, "compartmentId", compartment, a);
  simjson::SetString(ip, "lifetime", lifetime, a);
  simjson::SetString(ip, "scope", lifetime == "RESERVED" ? "REGION" : "AVAILABILITY_DOMAIN", a);
  if (lifetime == "EPHEMERAL")
    simjson::SetString(ip, "availabilityDomain", simjson::GetString(*target, "availabilityDomain"),
                       a);
  std::string name = simjson::GetString(*body, "displayName");
  simjson::SetString(ip, "displayName", name.empty() ? "publicip" + *address : name, a);
  for (const char* tags : {"freeformTags", "definedTags"}) {
    const json::Value* t = json::Find(*body, tags);
    simjson::Set(
        ip, tags,
        t != nullptr && t->IsObject() ? json::Value(*t, a) : json::Value(rapidjson::kObjectType),
        a);
  }
  if (pool != nullptr) {
    simjson::SetString(ip, "publicIpPoolId", pool_id, a);
  } else {
    simjson::Set(ip, "publicIpPoolId", json::Value(rapidjson::kNullType), a);
  }
  simjson::SetString(ip, "timeCreated", FormatRfc3339(s.WallNowLocked()), a);
  SetAssignment(ip, private_ip, a);
  if (private_ip.empty()) {
    StartChange(s, ip, "PROVISIONING", "AVAILABLE");
  } else {
    StartChange(s, ip, "ASSIGNING", "ASSIGNED");
  }
  if (!token.empty()) {
    s.retry_tokens[token] =
        RetryRecord{request_key, id, 200, s.WallNowLocked() + std::chrono::hours(24)};
  }
  auto [it, inserted] = s.public_ips.emplace(id, std::move(ip));
  (void)inserted;
  return WithEtag(it->second);
}

ApiResponse GetPublicIp(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettlePublicIpsLocked();
  json::Document* ip = FindPublicIp(s, p[0]);
  if (ip == nullptr) return NotFound("PublicIp " + p[0]);
  return WithEtag(*ip);
}

ApiResponse GetPublicIpByIpAddress(SimStore& s, const CallContext& c, const PathParams&) {
  auto body = ParseObjectBody(c.request);
  if (!body) return Missing(body.error().message);
  if (auto bad = CheckFields(*body, "GetPublicIpByIpAddressDetails", {"ipAddress"})) return *bad;
  std::string address = simjson::GetString(*body, "ipAddress");
  if (address.empty()) return Missing("GetPublicIpByIpAddressDetails.ipAddress is required");
  MutexLock lock(s.mu);
  s.SettlePublicIpsLocked();
  json::Document* ip = LivePublicIpByAddress(s, address);
  if (ip == nullptr) return NotFound("PublicIp with address " + address);
  return WithEtag(*ip);
}

ApiResponse GetPublicIpByPrivateIpId(SimStore& s, const CallContext& c, const PathParams&) {
  auto body = ParseObjectBody(c.request);
  if (!body) return Missing(body.error().message);
  if (auto bad = CheckFields(*body, "GetPublicIpByPrivateIpIdDetails", {"privateIpId"}))
    return *bad;
  std::string private_ip = simjson::GetString(*body, "privateIpId");
  if (private_ip.empty()) return Missing("GetPublicIpByPrivateIpIdDetails.privateIpId is required");
  MutexLock lock(s.mu);
  s.SettlePublicIpsLocked();
  const json::Value* ip = PublicIpOn(s, private_ip);
  if (ip == nullptr) return NotFound("PublicIp of PrivateIp " + private_ip);
  return WithEtag(*ip);
}

ApiResponse UpdatePublicIp(SimStore& s, const CallContext& c, const PathParams& p) {
  auto body = ParseObjectBody(c.request);
  if (!body)
    return body.error().kind == ErrorKind::kNotFound ? Missing(body.error().message)
                                                     : Invalid(body.error().message);
  if (auto bad = CheckFields(*body, "UpdatePublicIpDetails",
                             {"definedTags", "displayName", "freeformTags", "privateIpId"})) {
    return *bad;
  }
  if (auto bad = CheckFreeformTags(*body, "UpdatePublicIpDetails")) return *bad;
  MutexLock lock(s.mu);
  s.SettlePublicIpsLocked();
  json::Document* ip = FindPublicIp(s, p[0]);
  if (ip == nullptr) return NotFound("PublicIp " + p[0]);
  auto& a = ip->GetAllocator();
  const std::string state = simjson::GetString(*ip, "lifecycleState");
  if (state == "TERMINATING" || state == "TERMINATED") {
    return ApiResponse::Error(409, "IncorrectState", "PublicIp " + p[0] + " is " + state);
  }
  const json::Value* want = json::Find(*body, "privateIpId");
  if (want != nullptr && !want->IsNull()) {
    if (!want->IsString()) return Invalid("UpdatePublicIpDetails.privateIpId must be a string");
    std::string target(want->GetString(), want->GetStringLength());
    std::string current = simjson::GetString(*ip, "privateIpId");
    if (target != current) {
      if (simjson::GetString(*ip, "lifetime") == "EPHEMERAL") {
        return Invalid("an EPHEMERAL public IP cannot be moved or unassigned; delete it instead");
      }
      if (InTransition(state)) {
        return ApiResponse::Error(409, "IncorrectState",
                                  "PublicIp " + p[0] + " is " + state + "; retry when it settles");
      }
      if (target.empty()) {
        SetAssignment(*ip, "", a);
        StartChange(s, *ip, "UNASSIGNING", "AVAILABLE");
      } else {
        if (!s.private_ips.contains(target)) return NotFound("PrivateIp " + target);
        if (PublicIpOn(s, target, p[0]) != nullptr) {
          return ApiResponse::Error(409, "Conflict",
                                    "PrivateIp " + target + " already has a public IP assigned");
        }
        SetAssignment(*ip, target, a);
        StartChange(s, *ip, "ASSIGNING", "ASSIGNED", c.fault.fail_work_request);
      }
    }
  }
  if (const json::Value* name = json::Find(*body, "displayName");
      name != nullptr && name->IsString()) {
    simjson::Set(*ip, "displayName", json::Value(*name, a), a);
  }
  for (const char* tags : {"freeformTags", "definedTags"}) {
    const json::Value* t = json::Find(*body, tags);
    if (t != nullptr && t->IsObject()) simjson::Set(*ip, tags, json::Value(*t, a), a);
  }
  return WithEtag(*ip);
}

ApiResponse DeletePublicIp(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettlePublicIpsLocked();
  json::Document* ip = FindPublicIp(s, p[0]);
  if (ip == nullptr || simjson::GetString(*ip, "lifecycleState") == "TERMINATED")
    return NotFound("PublicIp " + p[0]);
  if (simjson::GetString(*ip, "lifecycleState") != "TERMINATING") {
    SetAssignment(*ip, "", ip->GetAllocator());
    StartChange(s, *ip, "TERMINATING", "TERMINATED");
  }
  return ApiResponse::Empty(204);
}

ApiResponse ListPublicIps(SimStore& s, const CallContext& c, const PathParams&) {
  const ApiRequest& r = c.request;
  const std::string scope = r.Query("scope");
  if (scope.empty()) return Missing("scope query parameter is required");
  if (scope != "REGION" && scope != "AVAILABILITY_DOMAIN")
    return Invalid("scope must be REGION or AVAILABILITY_DOMAIN");
  if (r.Query("compartmentId").empty()) return Missing("compartmentId query parameter is required");
  if (scope == "AVAILABILITY_DOMAIN" && r.Query("availabilityDomain").empty()) {
    return Missing("availabilityDomain is required when scope is AVAILABILITY_DOMAIN");
  }
  if (r.HasQuery("lifetime") && r.Query("lifetime") != "RESERVED" &&
      r.Query("lifetime") != "EPHEMERAL") {
    return Invalid("lifetime must be EPHEMERAL or RESERVED");
  }
  MutexLock lock(s.mu);
  s.SettlePublicIpsLocked();
  std::vector<std::string> items;
  for (const auto& [id, ip] : s.public_ips) {
    if (simjson::GetString(ip, "lifecycleState") == "TERMINATED") continue;
    if (simjson::GetString(ip, "compartmentId") != r.Query("compartmentId")) continue;
    if (simjson::GetString(ip, "scope") != scope) continue;
    if (scope == "AVAILABILITY_DOMAIN" &&
        simjson::GetString(ip, "availabilityDomain") != r.Query("availabilityDomain"))
      continue;
    if (r.HasQuery("lifetime") && simjson::GetString(ip, "lifetime") != r.Query("lifetime"))
      continue;
    if (r.HasQuery("publicIpPoolId") &&
        simjson::GetString(ip, "publicIpPoolId") != r.Query("publicIpPoolId"))
      continue;
    items.push_back(json::Serialize(ip));
  }
  return PagedArray(r, items);
}

ApiResponse GetPublicIpPool(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  auto it = s.public_ip_pools.find(p[0]);
  if (it == s.public_ip_pools.end()) return NotFound("PublicIpPool " + p[0]);
  return WithEtag(it->second);
}

ApiResponse ListPrivateIps(SimStore& s, const CallContext& c, const PathParams&) {
  const ApiRequest& r = c.request;
  const std::string subnet = r.Query("subnetId"), vnic = r.Query("vnicId"),
                    address = r.Query("ipAddress");
  if (subnet.empty() && vnic.empty())
    return Missing("subnetId or vnicId query parameter is required");
  MutexLock lock(s.mu);
  std::vector<std::string> items;
  for (const auto& [id, pip] : s.private_ips) {
    if (!subnet.empty() && simjson::GetString(pip, "subnetId") != subnet) continue;
    if (!vnic.empty() && simjson::GetString(pip, "vnicId") != vnic) continue;
    if (!address.empty() && simjson::GetString(pip, "ipAddress") != address) continue;
    items.push_back(json::Serialize(pip));
  }
  return PagedArray(r, items);
}

ApiResponse GetPrivateIp(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  auto it = s.private_ips.find(p[0]);
  if (it == s.private_ips.end()) return NotFound("PrivateIp " + p[0]);
  return WithEtag(it->second);
}

ApiResponse GetSubnet(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  auto it = s.subnets.find(p[0]);
  if (it == s.subnets.end()) return NotFound("Subnet " + p[0]);
  return WithEtag(it->second);
}

}  // namespace ccm::ocisim
