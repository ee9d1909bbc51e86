#include "pkg/cloud/registrar/ownership_store.h"

#include <openssl/sha.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

#include "pkg/base/json.h"
#include "pkg/kube/meta_time.h"

namespace ccm::cloud::registrar {
namespace {

constexpr char kLbAnnotation[] = "nodes.peppy-ratio.dev/load-balancer-id";
constexpr char kManagedByLabel[] = "app.kubernetes.io/managed-by=oci-lb-registrar-ccm";

}  // namespace

std::string ConfigMapOwnershipStore::ConfigMapName(const std::string& lb_id) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(lb_id.data()), lb_id.size(), digest);
  std::string name = "lb-registrar-";
  char hex[3];
  for (int i = 0; i < 10; ++i) {
    std::snprintf(hex, sizeof(hex), "%02x", digest[i]);
    name += hex;
  }
  return name;
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
  auto doc = json::Parse(text, "ownership record");
  if (!doc) return Fail(doc.error());
  if (!doc->IsObject()) return Fail(ErrorKind::kMalformedResponse, "ownership record is not an object");
  Ownership o;
  auto owned = json::Array(*doc, "owned", "");
  if (!owned) return Fail(owned.error());
  if (*owned != nullptr) {
    for (const auto& v : (*owned)->GetArray()) {
      if (!v.IsString()) return Fail(ErrorKind::kMalformedResponse, "ownership record: owned holds a non-string");
      o.owned.emplace(v.GetString(), v.GetStringLength());
    }
  }
  auto drain = json::Object(*doc, "drainSince", "");
  if (!drain) return Fail(drain.error());
  if (*drain != nullptr) {
    for (auto it = (*drain)->MemberBegin(); it != (*drain)->MemberEnd(); ++it) {
      if (!it->value.IsString()) return Fail(ErrorKind::kMalformedResponse, "ownership record: bad drainSince");
      auto t = kube::ParseTime(std::string_view(it->value.GetString(), it->value.GetStringLength()));
      if (!t) return Fail(t.error());
      o.drain_since[std::string(it->name.GetString(), it->name.GetStringLength())] = *t;
    }
  }
  auto sources = json::Array(*doc, "sources", "");
  if (!sources) return Fail(sources.error());
  if (*sources != nullptr) {
    for (const auto& v : (*sources)->GetArray()) {
      if (v.IsString()) o.sources.emplace(v.GetString(), v.GetStringLength());
    }
  }
  return o;
}

ConfigMapOwnershipStore::ConfigMapOwnershipStore(kube::RestClient& client, std::string namespace_name)
    : client_(client), namespace_(std::move(namespace_name)) {}

Result<OwnershipByBackendSet> ConfigMapOwnershipStore::Load(const std::string& lb_id) {
  std::lock_guard lock(mu_);
  return LoadLocked(lb_id);
}

Result<OwnershipByBackendSet> ConfigMapOwnershipStore::LoadLocked(const std::string& lb_id) {
  if (auto it = cache_.find(lb_id); it != cache_.end()) return it->second.first;
  std::string path = "/api/v1/namespaces/" + namespace_ + "/configmaps/" + ConfigMapName(lb_id);
  auto body = client_.Get(path);
  OwnershipByBackendSet sets;
  std::string rv;
  if (!body) {
    if (body.error().kind != ErrorKind::kNotFound) return Fail(body.error().Wrap("reading ownership record " + path));
  } else {
    auto doc = json::Parse(*body, "ownership ConfigMap");
    if (!doc) return Fail(doc.error());
    if (const json::Value* meta = json::Find(*doc, "metadata")) rv = json::String(*meta, "resourceVersion", "").value_or("");
    if (const json::Value* data = json::Find(*doc, "data"); data != nullptr && data->IsObject()) {
      for (auto it = data->MemberBegin(); it != data->MemberEnd(); ++it) {
        if (!it->value.IsString()) continue;
        auto o = Decode(std::string_view(it->value.GetString(), it->value.GetStringLength()));
        // A damaged record must not turn into "we own nothing" silently: refuse to proceed.
        if (!o) return Fail(o.error().Wrap("ownership record " + path + " key " + it->name.GetString()));
        sets[std::string(it->name.GetString(), it->name.GetStringLength())] = *o;
      }
    }
  }
  cache_[lb_id] = {sets, rv};
  return sets;
}

Status ConfigMapOwnershipStore::Write(const std::string& lb_id, const OwnershipByBackendSet& sets,
                                      const std::string& resource_version) {
  std::string name = ConfigMapName(lb_id);
  std::string body = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":)";
  json::AppendQuoted(body, name);
  body += R"(,"namespace":)";
  json::AppendQuoted(body, namespace_);
  body += R"(,"labels":{"app.kubernetes.io/managed-by":"oci-lb-registrar-ccm"},"annotations":{)";
  json::AppendQuoted(body, kLbAnnotation);
  body += ":";
  json::AppendQuoted(body, lb_id);
  body += "}";
  if (!resource_version.empty()) {
    body += R"(,"resourceVersion":)";
    json::AppendQuoted(body, resource_version);
  }
  body += R"(},"data":{)";
  bool first = true;
  for (const auto& [set, o] : sets) {
    if (!first) body += ",";
    first = false;
    json::AppendQuoted(body, set);
    body += ":";
    json::AppendQuoted(body, Encode(o));
  }
  body += "}}";
  std::string collection = "/api/v1/namespaces/" + namespace_ + "/configmaps";
  auto result = resource_version.empty() ? client_.Create(collection, body) : client_.Update(collection + "/" + name, body);
  if (!result) return Fail(result.error());
  auto doc = json::Parse(*result, "ownership ConfigMap");
  std::string rv;
  if (doc) {
    if (const json::Value* meta = json::Find(*doc, "metadata")) rv = json::String(*meta, "resourceVersion", "").value_or("");
  }
  cache_[lb_id] = {sets, rv};
  return {};
}

Status ConfigMapOwnershipStore::Save(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership) {
  std::lock_guard lock(mu_);
  if (auto loaded = LoadLocked(lb_id); !loaded) return Fail(loaded.error());
  auto& [sets, rv] = cache_[lb_id];
  OwnershipByBackendSet next = sets;
  if (ownership.owned.empty() && ownership.drain_since.empty()) next.erase(backend_set);
  else next[backend_set] = ownership;
  if (next == sets && !rv.empty()) return {};
  Status st = Write(lb_id, next, rv);
  if (!st && (st.error().kind == ErrorKind::kConflict || st.error().kind == ErrorKind::kNotFound)) {
    // Someone (a previous instance of us) wrote in between: re-read, re-apply, write once more.
    cache_.erase(lb_id);
    std::string path = "/api/v1/namespaces/" + namespace_ + "/configmaps/" + ConfigMapName(lb_id);
    auto fresh = client_.Get(path);
    std::string fresh_rv;
    OwnershipByBackendSet merged;
    if (fresh) {
      auto doc = json::Parse(*fresh, "ownership ConfigMap");
      if (doc) {
        if (const json::Value* meta = json::Find(*doc, "metadata")) fresh_rv = json::String(*meta, "resourceVersion", "").value_or("");
        if (const json::Value* data = json::Find(*doc, "data"); data != nullptr && data->IsObject()) {
          for (auto it = data->MemberBegin(); it != data->MemberEnd(); ++it) {
            if (!it->value.IsString()) continue;
            if (auto o = Decode(it->value.GetString())) merged[it->name.GetString()] = *o;
          }
        }
      }
    }
    if (ownership.owned.empty() && ownership.drain_since.empty()) merged.erase(backend_set);
    else merged[backend_set] = ownership;
    st = Write(lb_id, merged, fresh_rv);
  }
  return st;
}

Result<std::vector<std::string>> ConfigMapOwnershipStore::LoadBalancers() {
  std::vector<std::string> out;
  kube::ListOptions options;
  options.label_selector = kManagedByLabel;
  auto listed = client_.List("/api/v1/namespaces/" + namespace_ + "/configmaps", options,
                             [&](const json::Document& page) -> Status {
                               const json::Value* items = json::Find(page, "items");
                               if (items == nullptr || !items->IsArray()) return {};
                               for (const auto& item : items->GetArray()) {
                                 const json::Value* meta = json::Find(item, "metadata");
                                 const json::Value* ann = meta ? json::Find(*meta, "annotations") : nullptr;
                                 if (ann == nullptr) continue;
                                 auto lb = json::String(*ann, kLbAnnotation, "");
                                 if (lb && !lb->empty()) out.push_back(*lb);
                               }
                               return {};
                             });
  if (!listed) return Fail(listed.error());
  return out;
}

Result<OwnershipByBackendSet> InMemoryOwnershipStore::Load(const std::string& lb_id) {
  std::lock_guard lock(mu_);
  return data_[lb_id];
}

Status InMemoryOwnershipStore::Save(const std::string& lb_id, const std::string& backend_set,
                                    const Ownership& ownership) {
  std::lock_guard lock(mu_);
  ++saves_;
  if (ownership.owned.empty() && ownership.drain_since.empty()) data_[lb_id].erase(backend_set);
  else data_[lb_id][backend_set] = ownership;
  return {};
}

Result<std::vector<std::string>> InMemoryOwnershipStore::LoadBalancers() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [lb, sets] : data_) {
    if (!sets.empty()) out.push_back(lb);
  }
  return out;
}

}  // namespace ccm::cloud::registrar
