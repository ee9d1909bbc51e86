// Builds a JSON object text member by member. Raw() splices an already-serialized value
// verbatim: that is how settings this code does not interpret survive a read-modify-write.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::oci {

// Members of a JSON object that a model does not interpret: name -> serialized JSON value,
// in document order.
using RawFields = std::vector<std::pair<std::string, std::string>>;

class JsonObjectWriter {
 public:
  JsonObjectWriter() : out_("{") {}
  JsonObjectWriter& String(std::string_view key, std::string_view value);
  JsonObjectWriter& Int(std::string_view key, int64_t value);
  JsonObjectWriter& Bool(std::string_view key, bool value);
  JsonObjectWriter& Raw(std::string_view key, std::string_view json);
  JsonObjectWriter& RawFields(const oci::RawFields& fields);
  // Each element must already be a serialized JSON value.
  JsonObjectWriter& RawArray(std::string_view key, const std::vector<std::string>& elements);
  std::string Finish() &&;

 private:
  void Key(std::string_view key);
  std::string out_;
  bool first_ = true;
};

// Copies every member of `obj` whose name is not in `known`.
oci::RawFields UnknownMembers(const json::Value& obj, std::initializer_list<std::string_view> known);

// Serialized JSON of member `field` when present and not null, else "". A present member of
// the wrong type is an error naming `path.field`.
Result<std::string> RawObject(const json::Value& obj, std::string_view field, std::string_view path,
                              bool required = false);

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
