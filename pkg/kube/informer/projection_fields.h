// Readers of API-object fields for projections, shared by the core kinds here and by the
// project's own kinds, whose projections live with their controllers. Absent or wrong-typed
// fields read as empty: a projection fails only when metadata.name is missing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::kube::projection {

const json::Value& Member(const json::Value& obj, std::string_view key);
std::string_view Str(const json::Value& obj, std::string_view key);
int64_t Int(const json::Value& obj, std::string_view key);
bool Bool(const json::Value& obj, std::string_view key, bool fallback);
std::string_view AsView(const json::Value& v);
std::vector<std::string> Strings(const json::Value& obj, std::string_view key);

template <typename F>
void ForEach(const json::Value& obj, std::string_view key, F&& f) {
  const json::Value* v = json::Find(obj, key);
  if (v == nullptr || !v->IsArray()) return;
  for (const auto& item : v->GetArray()) f(item);
}

template <typename V>
size_t Capacity(const std::vector<V>& v) {
  return v.capacity() * sizeof(V);
}

// Heap bytes a string owns beyond libstdc++'s inline buffer.
size_t HeapBytes(const std::string& s);

struct Meta {
  std::string_view namespace_name, name, uid, resource_version, deletion_timestamp;
  int64_t generation = 0;
  const json::Value* metadata;
};

// kMalformedResponse naming `kind` when metadata.name is missing.
Result<Meta> ReadMeta(const json::Value& object, std::string_view kind);

}  // namespace ccm::kube::projection
