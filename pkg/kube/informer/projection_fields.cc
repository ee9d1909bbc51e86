#include "pkg/kube/informer/projection_fields.h"

namespace ccm::kube::projection {

namespace {

const json::Value kNull;

}  // namespace

const json::Value& Member(const json::Value& obj, std::string_view key) {
  const json::Value* v = json::Find(obj, key);
  return v == nullptr ? kNull : *v;
}

std::string_view Str(const json::Value& obj, std::string_view key) {
  const json::Value* v = json::Find(obj, key);
  if (v == nullptr || !v->IsString()) return {};
  return {v->GetString(), v->GetStringLength()};
}

int64_t Int(const json::Value& obj, std::string_view key) {
  const json::Value* v = json::Find(obj, key);
  return v != nullptr && v->IsInt64() ? v->GetInt64() : 0;
}

bool Bool(const json::Value& obj, std::string_view key, bool fallback) {
  const json::Value* v = json::Find(obj, key);
  return v != nullptr && v->IsBool() ? v->GetBool() : fallback;
}

std::string_view AsView(const json::Value& v) {
  return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view();
}

size_t HeapBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

std::vector<std::string> Strings(const json::Value& obj, std::string_view key) {
  std::vector<std::string> out;
  const json::Value* v = json::Find(obj, key);
  if (v == nullptr || !v->IsArray()) return out;
  out.reserve(v->Size());
  for (const auto& item : v->GetArray()) {
    if (item.IsString()) out.emplace_back(AsView(item));
  }
  return out;
}

Result<Meta> ReadMeta(const json::Value& object, std::string_view kind) {
  Meta m{.metadata = &Member(object, "metadata")};
  m.name = Str(*m.metadata, "name");
  if (m.name.empty()) return Fail(ErrorKind::kMalformedResponse, std::string(kind) + " has no metadata.name");
  m.namespace_name = Str(*m.metadata, "namespace");
  m.uid = Str(*m.metadata, "uid");
  m.resource_version = Str(*m.metadata, "resourceVersion");
  m.deletion_timestamp = Str(*m.metadata, "deletionTimestamp");
  m.generation = Int(*m.metadata, "generation");
  return m;
}

}  // namespace ccm::kube::projection
