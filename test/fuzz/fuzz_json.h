// JSON helpers shared by the libFuzzer targets.
#pragma once

#include <vector>

#include "pkg/base/json.h"

namespace ccm::fuzz {

// RapidJSON 1.1.0 without kParseFullPrecisionFlag (see json.h) may read a long decimal one
// ULP off, so a document holding a non-integer number need not survive serialize-then-parse
// bit for bit. Iterative: fuzz input may nest deeply.
inline bool HasNonIntegerNumber(const json::Value& root) {
  std::vector<const json::Value*> pending{&root};
  while (!pending.empty()) {
    const json::Value* v = pending.back();
    pending.pop_back();
    if (v->IsDouble()) return true;
    if (v->IsArray()) {
      for (const auto& item : v->GetArray()) pending.push_back(&item);
    } else if (v->IsObject()) {
      for (const auto& m : v->GetObject()) pending.push_back(&m.value);
    }
  }
  return false;
}

}  // namespace ccm::fuzz
