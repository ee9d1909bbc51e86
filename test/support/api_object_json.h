// Reading fields of Kubernetes API objects (as JSON) in tests.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "pkg/base/json.h"

namespace ccm::testing {

// The string at a member path ({"metadata", "labels", "x"}); "" when absent or not a string.
inline std::string StringAt(const json::Value& v, std::initializer_list<const char*> path) {
  const json::Value* cur = &v;
  for (const char* p : path) {
    cur = json::Find(*cur, p);
    if (cur == nullptr) return "";
  }
  return cur->IsString() ? cur->GetString() : "";
}

// Whether a Node's spec.taints holds a taint with `key`.
inline bool NodeHasTaint(const json::Value& node, std::string_view key) {
  const json::Value* spec = json::Find(node, "spec");
  const json::Value* taints = spec != nullptr ? json::Find(*spec, "taints") : nullptr;
  if (taints == nullptr || !taints->IsArray()) return false;
  for (const auto& t : taints->GetArray()) {
    if (StringAt(t, {"key"}) == key) return true;
  }
  return false;
}

}  // namespace ccm::testing
