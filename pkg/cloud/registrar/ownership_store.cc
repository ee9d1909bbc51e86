#include "pkg/cloud/registrar/ownership_store.h"

#include <openssl/sha.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

#include "pkg/base/json.h"
#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "pkg/kube/meta_time.h"

namespace ccm::cloud::registrar {
namespace {

constexpr char kLbAnnotation[] = "nodes.peppy-ratio.dev/load-balancer-id";
constexpr char kSetAnnotation[] = "nodes.peppy-ratio.dev/backend-set";
constexpr char kManagedByLabel[] = "app.kubernetes.io/managed-by=oci-lb-registrar-ccm";
constexpr char kDataKey[] = "ownership";

std::string HexSha256(const std::string& text, int bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string hex;
  char buf[3];
  for (int i = 0; i < bytes; ++i) {
    std::snprintf(buf, sizeof(buf), "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

}  // namespace

std::string ConfigMapOwnershipStore::ConfigMapName(const std::string& lb_id, const std::string& backend_set) {
  return "lb-registrar-" + HexSha256(lb_id, 10) + "-" + HexSha256(backend_set, 5);
}

std::string ConfigMapOwnershipStore::Encode(const Ownership& o) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("owned");
  w.StartArray();
  for (const auto& n : o.owned) w.String(n.c_str(), static_cast<rapidjson::SizeType>(n.size()));
  w.EndArray();
  w.Key("drainSince");
  w.StartObject();
  for (const auto& [n, t] : o.drain_since) {
    w.Key(n.c_str(), static_cast<rapidjson::SizeType>(n.size()));
    std::string ts = kube::FormatTime(t);
    w.String(ts.c_str(), static_cast<rapidjson::SizeType>(ts.size()));
  }
  w.EndObject();
  w.Key("sources");
  w.StartArray();
  for (const auto& s : o.sources) w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<Ownership> ConfigMapOwnershipStore::Decode(std::string_view text) {
  ASSIGN_OR_RETURN(auto doc, json::Parse(text, "ownership record"));
  if (!doc.IsObject()) return Fail(ErrorKind::kMalformedResponse, "ownership record is not an object");
  Ownership o;
  ASSIGN_OR_RETURN(auto owned, json::Array(doc, "owned", ""));
  if (owned != nullptr) {
    for (const auto& v : owned->GetArray()) {
      if (!v.IsString()) return Fail(ErrorKind::kMalformedResponse, "ownership record: owned holds a non-string");
      o.owned.emplace(v.GetString(), v.GetStringLength());
    }
  }
  ASSIGN_OR_RETURN(auto drain, json::Object(doc, "drainSince", ""));
  if (drain != nullptr) {
    for (auto it = drain->MemberBegin(); it != drain->MemberEnd(); ++it) {
      if (!it->value.IsString()) return Fail(ErrorKind::kMalformedResponse, "ownership record: bad drainSince");
      ASSIGN_OR_RETURN(auto t, kube::ParseTime(std::string_view(it->value.GetString(), it->value.GetStringLength())));
      o.drain_since[std::string(it->name.GetString(), it->name.GetStringLength())] = t;
    }
  }
  ASSIGN_OR_RETURN(auto sources, json::Array(doc, "sources", ""));
  if (sources != nullptr) {
    for (const auto& v : sources->GetArray()) {
      if (v.IsString()) o.sources.emplace(v.GetString(), v.GetStringLength());
    }
  }
  return o;
}

ConfigMapOwnershipStore::ConfigMapOwnershipStore(kube::RestClient& client, std::string namespace_name)
    : client_(client), namespace_(std::move(namespace_name)) {}

Status ConfigMapOwnershipStore::EnsureLoadedLocked() {
  if (loaded_) return {};
  CompactOwnership records;
  std::map<std::string, std::string> versions;
  const std::string collection = "/api/v1/namespaces/" + namespace_ + "/configmaps";
  kube::ListOptions options;
  options.label_selector = kManagedByLabel;
  // A record of 500 instance-OCID backends is ~45 KB: pages of 20 keep one page near 1 MB.
  options.limit = 20;
  auto listed = client_.List(collection, options, [&](const json::Document& page) -> Status {
    const json::Value* items = json::Find(page, "items");
    if (items == nullptr || !items->IsArray()) return {};
    for (const auto& item : items->GetArray()) {
      const json::Value* meta = json::Find(item, "metadata");
      const json::Value* ann = meta ? json::Find(*meta, "annotations") : nullptr;
      if (ann == nullptr) continue;
      std::string lb = json::String(*ann, kLbAnnotation, "").value_or("");
      std::string set = json::String(*ann, kSetAnnotation, "").value_or("");
      std::string name = json::String(*meta, "name", "").value_or("");
      if (lb.empty() || set.empty() || name != ConfigMapName(lb, set)) continue;  // not a record of ours
      const json::Value* data = json::Find(item, "data");
      const json::Value* text = data ? json::Find(*data, kDataKey) : nullptr;
      if (text == nullptr || !text->IsString()) {
        return Fail(ErrorKind::kMalformedResponse, "ownership record ConfigMap " + namespace_ + "/" + name +
                                                       " has no data." + kDataKey + ": restore it or delete it to "
                                                       "let the controller treat that set's backends as unowned");
      }
      auto o = Decode(std::string_view(text->GetString(), text->GetStringLength()));
      // A damaged record must not turn into "we own nothing" silently: refuse to proceed.
      if (!o) return Fail(o.error().Wrap("ownership record ConfigMap " + namespace_ + "/" + name));
      records.Put(lb, set, *o);
      versions[name] = json::String(*meta, "resourceVersion", "").value_or("");
    }
    return {};
  });
  if (!listed) return Fail(listed.error().Wrap("listing ownership records in " + namespace_));
  records_ = std::move(records);
  versions_ = std::move(versions);
  loaded_ = true;
  return {};
}

Result<Ownership> ConfigMapOwnershipStore::Load(const std::string& lb_id, const std::string& backend_set) {
  MutexLock lock(mu_);
  RETURN_IF_ERROR(EnsureLoadedLocked());
  return records_.Get(lb_id, backend_set);
}

Result<RecordedSets> ConfigMapOwnershipStore::Recorded(const std::string& lb_id) {
  MutexLock lock(mu_);
  RETURN_IF_ERROR(EnsureLoadedLocked());
  return records_.Sources(lb_id);
}

Status ConfigMapOwnershipStore::Write(const std::string& lb_id, const std::string& backend_set,
                                      const Ownership& ownership, const std::string& resource_version) {
  const std::string name = ConfigMapName(lb_id, backend_set);
  const std::string collection = "/api/v1/namespaces/" + namespace_ + "/configmaps";
  if (ownership.owned.empty() && ownership.drain_since.empty()) {
    Status st = client_.Delete(collection + "/" + name, {.resource_version = resource_version});
    if (!st && st.error().kind != ErrorKind::kNotFound) return st;
    versions_.erase(name);
    return {};
  }
  std::string body = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":)";
  json::AppendQuoted(body, name);
  body += R"(,"namespace":)";
  json::AppendQuoted(body, namespace_);
  body += R"(,"labels":{"app.kubernetes.io/managed-by":"oci-lb-registrar-ccm"},"annotations":{)";
  json::AppendQuoted(body, kLbAnnotation);
  body += ":";
  json::AppendQuoted(body, lb_id);
  body += ",";
  json::AppendQuoted(body, kSetAnnotation);
  body += ":";
  json::AppendQuoted(body, backend_set);
  body += "}";
  if (!resource_version.empty()) {
    body += R"(,"resourceVersion":)";
    json::AppendQuoted(body, resource_version);
  }
  body += R"(},"data":{)";
  json::AppendQuoted(body, kDataKey);
  body += ":";
  json::AppendQuoted(body, Encode(ownership));
  body += "}}";
  ASSIGN_OR_RETURN(auto result, resource_version.empty() ? client_.Create(collection, body)
                                                         : client_.Update(collection + "/" + name, body));
  auto doc = json::Parse(result, "ownership ConfigMap");
  std::string rv;
  if (doc) {
    if (const json::Value* meta = json::Find(*doc, "metadata")) rv = json::String(*meta, "resourceVersion", "").value_or("");
  }
  versions_[name] = rv;
  return {};
}

Status ConfigMapOwnershipStore::Save(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership) {
  MutexLock lock(mu_);
  if (auto st = EnsureLoadedLocked(); !st) return st;
  const std::string name = ConfigMapName(lb_id, backend_set);
  if (records_.Equals(lb_id, backend_set, ownership) &&
      (records_.Contains(lb_id, backend_set) == versions_.contains(name))) {
    return {};
  }
  auto known = versions_.find(name);
  Status st = Write(lb_id, backend_set, ownership, known == versions_.end() ? "" : known->second);
  if (!st && (st.error().kind == ErrorKind::kConflict || st.error().kind == ErrorKind::kNotFound)) {
    // Someone (a previous instance of us) wrote in between: take its version, write once more.
    std::string fresh_rv;
    if (auto fresh = client_.Get("/api/v1/namespaces/" + namespace_ + "/configmaps/" + name)) {
      if (auto doc = json::Parse(*fresh, "ownership ConfigMap")) {
        if (const json::Value* meta = json::Find(*doc, "metadata")) fresh_rv = json::String(*meta, "resourceVersion", "").value_or("");
      }
    }
    if (fresh_rv.empty()) versions_.erase(name);
    st = Write(lb_id, backend_set, ownership, fresh_rv);
  }
  if (!st) return st;
  records_.Put(lb_id, backend_set, ownership);
  return {};
}

Result<std::vector<std::string>> ConfigMapOwnershipStore::LoadBalancers() {
  MutexLock lock(mu_);
  RETURN_IF_ERROR(EnsureLoadedLocked());
  return records_.LoadBalancers();
}

Result<Ownership> InMemoryOwnershipStore::Load(const std::string& lb_id, const std::string& backend_set) {
  MutexLock lock(mu_);
  auto lb = data_.find(lb_id);
  if (lb == data_.end()) return Ownership{};
  auto it = lb->second.find(backend_set);
  return it == lb->second.end() ? Ownership{} : it->second;
}

Result<RecordedSets> InMemoryOwnershipStore::Recorded(const std::string& lb_id) {
  MutexLock lock(mu_);
  RecordedSets out;
  for (const auto& [set, o] : data_[lb_id]) out[set] = o.sources;
  return out;
}

Status InMemoryOwnershipStore::Save(const std::string& lb_id, const std::string& backend_set,
                                    const Ownership& ownership) {
  MutexLock lock(mu_);
  ++saves_;
  if (ownership.owned.empty() && ownership.drain_since.empty()) data_[lb_id].erase(backend_set);
  else data_[lb_id][backend_set] = ownership;
  return {};
}

Result<std::vector<std::string>> InMemoryOwnershipStore::LoadBalancers() {
  MutexLock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [lb, sets] : data_) {
    if (!sets.empty()) out.push_back(lb);
  }
  return out;
}

}  // namespace ccm::cloud::registrar
