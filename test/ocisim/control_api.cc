// The simulator's control API (unsigned, under /_sim/) and the seeding methods behind it.
#include "test/ocisim/service.h"

#include <algorithm>

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "test/ocisim/nlb_backends.h"

namespace ccm::ocisim {
namespace {

using simjson::Alloc;

ApiResponse Ok() { return ApiResponse::Json(200, "{\"ok\":true}"); }

ApiResponse Bad(const Error& e) { return ApiResponse::Error(400, "InvalidParameter", e.message); }

ApiResponse FromStatus(const Status& st) {
  if (st) return Ok();
  if (st.error().kind == ErrorKind::kNotFound) {
    return ApiResponse::Error(404, "NotAuthorizedOrNotFound", st.error().message);
  }
  return Bad(st.error());
}

void Default(json::Value& obj, const char* name, const std::string& value, Alloc& alloc) {
  if (simjson::GetString(obj, name).empty()) simjson::SetString(obj, name, value, alloc);
}

std::string Values(const std::map<std::string, json::Document>& m) {
  std::string out = "[";
  bool first = true;
  for (const auto& [id, doc] : m) {
    if (!first) out += ",";
    first = false;
    out += json::Serialize(doc);
  }
  return out + "]";
}

Result<json::Document> ParseObject(const std::string& text, const std::string& what) {
  ASSIGN_OR_RETURN(auto doc, json::Parse(text, what));
  if (!doc.IsObject()) return Fail(ErrorKind::kInvalidArgument, what + " must be a JSON object");
  return doc;
}

}  // namespace

Status SimService::PutLoadBalancerLocked(LbKind kind, json::Value& lb) {
  json::Document doc = simjson::Clone(lb);
  if (auto st = NormalizeLoadBalancer(kind, doc, doc.GetAllocator()); !st) return st;
  if (kind == LbKind::kNetwork) {  // as OCI holds them: instance backends carry their IP
    for (auto& set : simjson::FindMut(doc, "backendSets")->GetObject()) {
      ResolveInstanceTargetsLocked(store_, *simjson::FindMut(set.value, "backends"), doc.GetAllocator());
    }
  }
  std::string id = simjson::GetString(doc, "id");
  (kind == LbKind::kClassic ? store_.classic : store_.network)[id] = std::move(doc);
  return {};
}

Status SimService::PutVnicLocked(json::Value& v) {
  json::Document doc = simjson::Clone(v);
  auto& a = doc.GetAllocator();
  std::string id = simjson::GetString(doc, "id");
  if (id.empty()) return Fail(ErrorKind::kInvalidArgument, "vnic.id is required");
  Default(doc, "lifecycleState", "AVAILABLE", a);
  Default(doc, "compartmentId", "ocid1.compartment.oc1..sim", a);
  Default(doc, "availabilityDomain", "Uocm:PHX-AD-1", a);
  Default(doc, "subnetId", "ocid1.subnet.oc1.phx.sim", a);
  Default(doc, "timeCreated", "2024-01-01T00:00:00.000Z", a);
  if (json::Find(doc, "isPrimary") == nullptr) simjson::Set(doc, "isPrimary", json::Value(true), a);
  // As OCI models it, a VNIC's address is its primary PrivateIp object (ListPrivateIps by vnicId).
  std::string address = simjson::GetString(doc, "privateIp");
  bool has_private_ip = false;
  for (const auto& [pid, pip] : store_.private_ips) {
    if (simjson::GetString(pip, "vnicId") == id && simjson::GetString(pip, "ipAddress") == address) has_private_ip = true;
  }
  if (!address.empty() && !has_private_ip) {
    json::Document pip;
    pip.SetObject();
    auto& pa = pip.GetAllocator();
    simjson::SetString(pip, "ipAddress", address, pa);
    simjson::SetString(pip, "vnicId", id, pa);
    simjson::SetString(pip, "subnetId", simjson::GetString(doc, "subnetId"), pa);
    simjson::SetString(pip, "compartmentId", simjson::GetString(doc, "compartmentId"), pa);
    simjson::SetString(pip, "availabilityDomain", simjson::GetString(doc, "availabilityDomain"), pa);
    simjson::SetString(pip, "hostnameLabel", simjson::GetString(doc, "hostnameLabel"), pa);
    simjson::Set(pip, "isPrimary", json::Value(true), pa);
    if (auto st = SeedPrivateIpLocked(store_, pip); !st) return st;
  }
  store_.vnics[id] = std::move(doc);
  return {};
}

Status SimService::PutAttachmentLocked(json::Value& v) {
  json::Document doc = simjson::Clone(v);
  auto& a = doc.GetAllocator();
  if (simjson::GetString(doc, "id").empty()) {
    simjson::SetString(doc, "id", store_.NewOcid("vnicattachment"), a);
  }
  if (simjson::GetString(doc, "instanceId").empty() || simjson::GetString(doc, "vnicId").empty()) {
    return Fail(ErrorKind::kInvalidArgument, "vnicAttachment.instanceId and .vnicId are required");
  }
  Default(doc, "lifecycleState", "ATTACHED", a);
  Default(doc, "compartmentId", "ocid1.compartment.oc1..sim", a);
  Default(doc, "availabilityDomain", "Uocm:PHX-AD-1", a);
  Default(doc, "subnetId", "ocid1.subnet.oc1.phx.sim", a);
  Default(doc, "timeCreated", "2024-01-01T00:00:00.000Z", a);
  std::string id = simjson::GetString(doc, "id");
  store_.attachments[id] = std::move(doc);
  return {};
}

Status SimService::PutInstanceLocked(json::Value& v) {
  json::Document doc = simjson::Clone(v);
  auto& a = doc.GetAllocator();
  std::string id = simjson::GetString(doc, "id");
  if (id.empty()) return Fail(ErrorKind::kInvalidArgument, "instance.id is required");
  Default(doc, "lifecycleState", "RUNNING", a);
  Default(doc, "compartmentId", "ocid1.compartment.oc1..sim", a);
  Default(doc, "availabilityDomain", "Uocm:PHX-AD-1", a);
  Default(doc, "faultDomain", "FAULT-DOMAIN-1", a);
  Default(doc, "region", "phx", a);
  Default(doc, "shape", "VM.Standard.E4.Flex", a);
  Default(doc, "displayName", id, a);
  Default(doc, "timeCreated", "2024-01-01T00:00:00.000Z", a);
  // Convenience: "vnics": [{privateIp, ...}] creates the VNICs and their attachments.
  json::Value* vnics = simjson::FindMut(doc, "vnics");
  if (vnics != nullptr && vnics->IsArray()) {
    int index = 0;
    for (auto& vn : vnics->GetArray()) {
      json::Document vnic = simjson::Clone(vn);
      auto& va = vnic.GetAllocator();
      if (simjson::GetString(vnic, "id").empty()) simjson::SetString(vnic, "id", store_.NewOcid("vnic"), va);
      Default(vnic, "compartmentId", simjson::GetString(doc, "compartmentId"), va);
      Default(vnic, "availabilityDomain", simjson::GetString(doc, "availabilityDomain"), va);
      if (json::Find(vnic, "isPrimary") == nullptr) simjson::Set(vnic, "isPrimary", json::Value(index == 0), va);
      if (auto st = PutVnicLocked(vnic); !st) return st;
      json::Document att;
      att.SetObject();
      auto& aa = att.GetAllocator();
      simjson::SetString(att, "instanceId", id, aa);
      simjson::SetString(att, "vnicId", simjson::GetString(vnic, "id"), aa);
      simjson::SetString(att, "compartmentId", simjson::GetString(doc, "compartmentId"), aa);
      simjson::SetString(att, "availabilityDomain", simjson::GetString(doc, "availabilityDomain"), aa);
      simjson::SetString(att, "subnetId",
                         simjson::GetString(store_.vnics[simjson::GetString(vnic, "id")], "subnetId"), aa);
      simjson::Set(att, "nicIndex", json::Value(index), aa);
      if (auto st = PutAttachmentLocked(att); !st) return st;
      ++index;
    }
    doc.RemoveMember("vnics");
  }
  store_.instances[id] = std::move(doc);
  return {};
}

Status SimService::MergeLocked(json::Value& state) {
  struct Section {
    const char* name;
    std::function<Status(json::Value&)> put;
  };
  // Compute first: a network load balancer's instance backends resolve to their instances' IPs.
  Section sections[] = {
      {"subnets", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return SeedSubnetLocked(store_, v);
       }},
      {"privateIps", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return SeedPrivateIpLocked(store_, v);
       }},
      {"vnics", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return PutVnicLocked(v);
       }},
      {"instances", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return PutInstanceLocked(v);
       }},
      {"vnicAttachments", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return PutAttachmentLocked(v);
       }},
      {"loadBalancers", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return PutLoadBalancerLocked(LbKind::kClassic, v);
       }},
      {"networkLoadBalancers", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return PutLoadBalancerLocked(LbKind::kNetwork, v);
       }},
      {"publicIpPools", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return SeedPublicIpPoolLocked(store_, v);
       }},
      {"publicIps", [&](json::Value& v) {
         store_.mu.AssertHeld();
         return SeedPublicIpLocked(store_, v);
       }},
  };
  for (auto& section : sections) {
    json::Value* list = simjson::FindMut(state, section.name);
    if (list == nullptr) continue;
    if (!list->IsArray()) return Fail(ErrorKind::kInvalidArgument, std::string(section.name) + " must be an array");
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      if (auto st = section.put((*list)[i]); !st) {
        return Fail(st.error().Wrap(std::string(section.name) + "[" + std::to_string(i) + "]"));
      }
    }
  }
  if (const json::Value* cfg = json::Find(state, "config"); cfg != nullptr && cfg->IsObject()) {
    if (const json::Value* l = json::Find(*cfg, "workRequestLatencyMs"); l != nullptr && l->IsInt64()) {
      store_.work_request_latency = std::chrono::milliseconds(l->GetInt64());
    }
    if (const json::Value* l = json::Find(*cfg, "publicIpLatencyMs"); l != nullptr && l->IsInt64()) {
      store_.public_ip_latency = std::chrono::milliseconds(l->GetInt64());
    }
  }
  return {};
}

Status SimService::ReplaceState(const std::string& state_json) {
  ASSIGN_OR_RETURN(auto doc, ParseObject(state_json, "state"));
  MutexLock lock(store_.mu);
  store_.ClearLocked();
  return MergeLocked(doc);
}

Status SimService::MergeState(const std::string& state_json) {
  ASSIGN_OR_RETURN(auto doc, ParseObject(state_json, "state"));
  MutexLock lock(store_.mu);
  return MergeLocked(doc);
}

std::string SimService::StateJson() {
  MutexLock lock(store_.mu);
  store_.SettleLocked();
  store_.SettlePublicIpsLocked();
  std::vector<const WorkRequest*> wrs;
  for (const auto& [id, wr] : store_.work_requests) wrs.push_back(&wr);
  std::sort(wrs.begin(), wrs.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
  std::string work = "[";
  for (const WorkRequest* wr : wrs) {
    if (work.size() > 1) work += ",";
    work += "{\"id\":";
    json::AppendQuoted(work, wr->id);
    work += ",\"service\":";
    json::AppendQuoted(work, wr->kind == LbKind::kClassic ? "loadbalancer" : "networkloadbalancer");
    work += ",\"loadBalancerId\":";
    json::AppendQuoted(work, wr->lb_id);
    work += ",\"type\":";
    json::AppendQuoted(work, wr->type);
    work += ",\"resource\":";
    json::AppendQuoted(work, wr->resource_name);
    work += ",\"state\":\"" + store_.StateOfLocked(*wr) + "\",\"errorMessage\":";
    json::AppendQuoted(work, wr->error_message);
    work += "}";
  }
  work += "]";
  return "{\"loadBalancers\":" + Values(store_.classic) +
         ",\"networkLoadBalancers\":" + Values(store_.network) +
         ",\"instances\":" + Values(store_.instances) + ",\"vnics\":" + Values(store_.vnics) +
         ",\"vnicAttachments\":" + Values(store_.attachments) + ",\"workRequests\":" + work +
         ",\"publicIps\":" + Values(store_.public_ips) + ",\"privateIps\":" + Values(store_.private_ips) +
         ",\"subnets\":" + Values(store_.subnets) + ",\"publicIpPools\":" + Values(store_.public_ip_pools) + "}";
}

Status SimService::PutLoadBalancer(LbKind kind, const std::string& lb_json) {
  ASSIGN_OR_RETURN(auto doc, ParseObject(lb_json, "load balancer"));
  MutexLock lock(store_.mu);
  return PutLoadBalancerLocked(kind, doc);
}

Status SimService::PutBackendSet(LbKind kind, const std::string& lb_id, const std::string& set_json) {
  ASSIGN_OR_RETURN(auto doc, ParseObject(set_json, "backend set"));
  std::string name = simjson::GetString(doc, "name");
  if (name.empty()) return Fail(ErrorKind::kInvalidArgument, "backend set name is required");
  MutexLock lock(store_.mu);
  auto& lbs = kind == LbKind::kClassic ? store_.classic : store_.network;
  auto it = lbs.find(lb_id);
  if (it == lbs.end()) return Fail(ErrorKind::kNotFound, "load balancer " + lb_id + " is not seeded");
  json::Document copy = simjson::Clone(it->second);
  json::Value* sets = simjson::FindMut(copy, "backendSets");
  json::Value set(doc, copy.GetAllocator());
  if (sets->HasMember(name.c_str())) sets->RemoveMember(name.c_str());
  sets->AddMember(json::Value(name, copy.GetAllocator()), std::move(set), copy.GetAllocator());
  return PutLoadBalancerLocked(kind, copy);
}

Status SimService::PutInstance(const std::string& instance_json) {
  ASSIGN_OR_RETURN(auto doc, ParseObject(instance_json, "instance"));
  MutexLock lock(store_.mu);
  return PutInstanceLocked(doc);
}

Status SimService::SetInstanceState(const std::string& instance_id, const std::string& state) {
  MutexLock lock(store_.mu);
  auto it = store_.instances.find(instance_id);
  if (it == store_.instances.end()) return Fail(ErrorKind::kNotFound, "instance " + instance_id + " is not seeded");
  simjson::SetString(it->second, "lifecycleState", state, it->second.GetAllocator());
  return {};
}

Status SimService::PutVnic(const std::string& vnic_json) {
  ASSIGN_OR_RETURN(auto doc, ParseObject(vnic_json, "vnic"));
  MutexLock lock(store_.mu);
  return PutVnicLocked(doc);
}

Status SimService::PutVnicAttachment(const std::string& attachment_json) {
  ASSIGN_OR_RETURN(auto doc, ParseObject(attachment_json, "vnicAttachment"));
  MutexLock lock(store_.mu);
  return PutAttachmentLocked(doc);
}

Result<const json::Value*> SimService::SettledBackendSetLocked(LbKind kind, const std::string& lb_id,
                                                                const std::string& set) {
  store_.SettleLocked();
  auto& lbs = kind == LbKind::kClassic ? store_.classic : store_.network;
  auto it = lbs.find(lb_id);
  if (it == lbs.end()) return Fail(ErrorKind::kNotFound, "load balancer " + lb_id + " not found");
  const json::Value* sets = json::Find(it->second, "backendSets");
  const json::Value* s = sets == nullptr ? nullptr : json::Find(*sets, set);
  if (s == nullptr) return Fail(ErrorKind::kNotFound, "backend set " + set + " not found");
  return s;
}

Result<std::string> SimService::BackendSetJson(LbKind kind, const std::string& lb_id,
                                               const std::string& set) {
  MutexLock lock(store_.mu);
  ASSIGN_OR_RETURN(auto s, SettledBackendSetLocked(kind, lb_id, set));
  return json::Serialize(*s);
}

Result<std::vector<std::string>> SimService::BackendNames(LbKind kind, const std::string& lb_id,
                                                         const std::string& set) {
  MutexLock lock(store_.mu);
  ASSIGN_OR_RETURN(auto s, SettledBackendSetLocked(kind, lb_id, set));
  std::vector<std::string> names;
  const json::Value* backends = json::Find(*s, "backends");
  if (backends != nullptr && backends->IsArray()) {
    for (const auto& b : backends->GetArray()) names.push_back(json::String(b, "name", "").value_or(""));
  }
  std::sort(names.begin(), names.end());
  return names;
}

ApiResponse SimService::HandleControl(const ApiRequest& r) {
  const auto& seg = r.segments;  // seg[0] == "_sim"
  const std::string& m = r.method;
  std::string what = seg.size() > 1 ? seg[1] : "";
  if (what == "healthz" && m == "GET") return Ok();
  if (what == "state" && seg.size() == 2) {
    if (m == "GET") return ApiResponse::Json(200, StateJson());
    if (m == "PUT") return FromStatus(ReplaceState(r.body));
    if (m == "POST") return FromStatus(MergeState(r.body));
  }
  if ((what == "loadBalancers" || what == "networkLoadBalancers") && seg.size() >= 3) {
    LbKind kind = what == "loadBalancers" ? LbKind::kClassic : LbKind::kNetwork;
    if (seg.size() == 3 && m == "PUT") {
      auto doc = ParseObject(r.body, "load balancer");
      if (!doc) return Bad(doc.error());
      simjson::SetString(*doc, "id", seg[2], doc->GetAllocator());
      return FromStatus(PutLoadBalancer(kind, json::Serialize(*doc)));
    }
    if (seg.size() == 3 && m == "DELETE") {
      MutexLock lock(store_.mu);
      (kind == LbKind::kClassic ? store_.classic : store_.network).erase(seg[2]);
      return Ok();
    }
    if (seg.size() == 5 && seg[3] == "backendSets") {
      if (m == "PUT") {
        auto doc = ParseObject(r.body, "backend set");
        if (!doc) return Bad(doc.error());
        simjson::SetString(*doc, "name", seg[4], doc->GetAllocator());
        return FromStatus(PutBackendSet(kind, seg[2], json::Serialize(*doc)));
      }
      if (m == "GET") {
        auto set = BackendSetJson(kind, seg[2], seg[4]);
        if (!set) return FromStatus(Fail(set.error()));
        return ApiResponse::Json(200, *set);
      }
    }
  }
  if (what == "instances" && seg.size() >= 3) {
    if (seg.size() == 3 && m == "PUT") {
      auto doc = ParseObject(r.body, "instance");
      if (!doc) return Bad(doc.error());
      simjson::SetString(*doc, "id", seg[2], doc->GetAllocator());
      return FromStatus(PutInstance(json::Serialize(*doc)));
    }
    if (seg.size() == 3 && m == "DELETE") {
      MutexLock lock(store_.mu);
      store_.instances.erase(seg[2]);
      return Ok();
    }
    if (seg.size() == 4 && seg[3] == "state" && (m == "PUT" || m == "POST")) {
      auto doc = ParseObject(r.body, "instance state");
      if (!doc) return Bad(doc.error());
      std::string state = simjson::GetString(*doc, "lifecycleState");
      if (state.empty()) return ApiResponse::Error(400, "MissingParameter", "lifecycleState is required");
      return FromStatus(SetInstanceState(seg[2], state));
    }
  }
  if (what == "vnics" && seg.size() == 3 && m == "PUT") {
    auto doc = ParseObject(r.body, "vnic");
    if (!doc) return Bad(doc.error());
    simjson::SetString(*doc, "id", seg[2], doc->GetAllocator());
    return FromStatus(PutVnic(json::Serialize(*doc)));
  }
  if (what == "vnicAttachments" && seg.size() == 3 && m == "PUT") {
    auto doc = ParseObject(r.body, "vnicAttachment");
    if (!doc) return Bad(doc.error());
    simjson::SetString(*doc, "id", seg[2], doc->GetAllocator());
    return FromStatus(PutVnicAttachment(json::Serialize(*doc)));
  }
  if (what == "counters" && seg.size() == 2) {
    if (m == "GET") return ApiResponse::Json(200, counters_.Json());
    if (m == "DELETE") {
      counters_.Reset();
      return Ok();
    }
  }
  if (what == "config" && seg.size() == 2) {
    if (m == "GET") return ApiResponse::Json(200, ConfigJson());
    if (m == "PUT") {
      auto doc = ParseObject(r.body, "config");
      if (!doc) return Bad(doc.error());
      for (const char* f : {"workRequestLatencyMs", "publicIpLatencyMs", "clockOffsetSeconds", "seed", "tokenTtlSeconds"}) {
        const json::Value* v = json::Find(*doc, f);
        if (v != nullptr && !v->IsInt64()) return ApiResponse::Error(400, "InvalidParameter", std::string(f) + " must be an integer");
      }
      if (const json::Value* v = json::Find(*doc, "workRequestLatencyMs")) {
        SetWorkRequestLatency(std::chrono::milliseconds(v->GetInt64()));
      }
      if (const json::Value* v = json::Find(*doc, "publicIpLatencyMs")) {
        SetPublicIpLatency(std::chrono::milliseconds(v->GetInt64()));
      }
      if (const json::Value* v = json::Find(*doc, "clockOffsetSeconds")) {
        SetClockOffset(std::chrono::seconds(v->GetInt64()));
      }
      if (const json::Value* v = json::Find(*doc, "seed")) faults_.SetSeed(static_cast<uint64_t>(v->GetInt64()));
      if (const json::Value* v = json::Find(*doc, "tokenTtlSeconds")) {
        identity_.SetTokenTtl(std::chrono::seconds(v->GetInt64()));
      }
      return ApiResponse::Json(200, ConfigJson());
    }
  }
  if (what == "faults" && seg.size() == 2) {
    if (m == "GET") {
      std::string out = "[";
      for (const auto& f : faults_.List()) out += (out.size() > 1 ? "," : "") + FaultToJson(f);
      return ApiResponse::Json(200, out + "]");
    }
    if (m == "DELETE") {
      faults_.Clear();
      return Ok();
    }
    if (m == "POST" || m == "PUT") {
      auto doc = json::Parse(r.body, "faults");
      if (!doc) return Bad(doc.error());
      std::vector<FaultSpec> parsed;
      if (doc->IsArray()) {
        for (const auto& f : doc->GetArray()) {
          auto spec = ParseFault(f);
          if (!spec) return Bad(spec.error());
          parsed.push_back(*spec);
        }
      } else {
        auto spec = ParseFault(*doc);
        if (!spec) return Bad(spec.error());
        parsed.push_back(*spec);
      }
      if (m == "PUT") {
        faults_.Replace(std::move(parsed));
      } else {
        for (auto& f : parsed) faults_.Add(std::move(f));
      }
      return Ok();
    }
  }
  if (what == "keys" && seg.size() == 2) {
    if (m == "GET") {
      std::string out = "[";
      for (const auto& id : verifier_.KeyIds()) {
        if (out.size() > 1) out += ",";
        json::AppendQuoted(out, id);
      }
      return ApiResponse::Json(200, out + "]");
    }
    if (m == "PUT" || m == "POST") {
      auto doc = ParseObject(r.body, "key");
      if (!doc) return Bad(doc.error());
      std::string id = simjson::GetString(*doc, "keyId");
      std::string pem = simjson::GetString(*doc, "publicKeyPem");
      if (id.empty() || pem.empty()) {
        return ApiResponse::Error(400, "MissingParameter", "keyId and publicKeyPem are required");
      }
      return FromStatus(verifier_.AddKey(id, pem));
    }
    if (m == "DELETE") {
      if (r.HasQuery("keyId")) {
        verifier_.RemoveKey(r.Query("keyId"));
      } else {
        verifier_.ClearKeys();
      }
      return Ok();
    }
  }
  if (what == "imds" && seg.size() == 2) {
    if (m == "GET") {
      std::string out = "{\"tenancyId\":";
      json::AppendQuoted(out, identity_.tenancy_id());
      out += ",\"certPem\":";
      json::AppendQuoted(out, identity_.leaf_cert_pem());
      out += ",\"tokensIssued\":" + std::to_string(identity_.tokens_issued()) + "}";
      return ApiResponse::Json(200, out);
    }
    if (m == "PUT") {
      auto doc = ParseObject(r.body, "imds identity");
      if (!doc) return Bad(doc.error());
      IdentitySpec spec;
      auto take = [&](const char* f, std::string& into) {
        std::string v = simjson::GetString(*doc, f);
        if (!v.empty()) into = v;
      };
      take("tenancyId", spec.tenancy_id);
      take("instanceId", spec.instance_id);
      take("compartmentId", spec.compartment_id);
      take("region", spec.region);
      take("canonicalRegionName", spec.canonical_region);
      take("availabilityDomain", spec.availability_domain);
      take("faultDomain", spec.fault_domain);
      take("displayName", spec.display_name);
      take("shape", spec.shape);
      std::string cert = simjson::GetString(*doc, "certPem");
      if (!cert.empty()) {
        return FromStatus(identity_.SetPems(spec, cert, simjson::GetString(*doc, "keyPem"),
                                            simjson::GetString(*doc, "intermediatePem")));
      }
      return FromStatus(identity_.Generate(spec));
    }
  }
  return ApiResponse::Error(404, "NotFound", "no such control endpoint: " + m + " " + r.target);
}

}  // namespace ccm::ocisim
