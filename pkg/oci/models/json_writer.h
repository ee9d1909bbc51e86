// Builds a JSON object text member by member. Raw() splices an already-serialized value
// verbatim: that is how settings this code does not interpret (kept as their published
// models, published_models.h) survive a read-modify-write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::oci {

class JsonObjectWriter {
 public:
  JsonObjectWriter() : out_("{") {}
  JsonObjectWriter& String(std::string_view key, std::string_view value);
  JsonObjectWriter& Int(std::string_view key, int64_t value);
  JsonObjectWriter& Bool(std::string_view key, bool value);
  JsonObjectWriter& Raw(std::string_view key, std::string_view json);
  // Each element must already be a serialized JSON value.
  JsonObjectWriter& RawArray(std::string_view key, const std::vector<std::string>& elements);
  std::string Finish() &&;

 private:
  void Key(std::string_view key);
  std::string out_;
  bool first_ = true;
};

// Optional values that must stay absent when the service did not send them.
Result<std::optional<int64_t>> OptionalInt(const json::Value& obj, std::string_view field,
                                           std::string_view path);
Result<std::optional<bool>> OptionalBool(const json::Value& obj, std::string_view field,
                                         std::string_view path);
Result<std::vector<std::string>> StringArray(const json::Value& obj, std::string_view field,
                                             std::string_view path);

// Parses a body that must be a JSON object (or array when `want_array`).
Result<json::Document> ParseBody(std::string_view body, std::string_view what, bool want_array = false);

std::string FieldPath(std::string_view path, std::string_view field);
std::string IndexPath(std::string_view path, size_t index);

}  // namespace ccm::oci
