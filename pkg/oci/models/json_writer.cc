#include "pkg/oci/models/json_writer.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/models/json_depth.h"

namespace ccm::oci {

void JsonObjectWriter::Key(std::string_view key) {
  if (!first_) out_.push_back(',');
  first_ = false;
  json::AppendQuoted(out_, key);
  out_.push_back(':');
}

JsonObjectWriter& JsonObjectWriter::String(std::string_view key, std::string_view value) {
  Key(key);
  json::AppendQuoted(out_, value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Int(std::string_view key, int64_t value) {
  Key(key);
  out_ += std::to_string(value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Bool(std::string_view key, bool value) {
  Key(key);
  out_ += value ? "true" : "false";
  return *this;
}

JsonObjectWriter& JsonObjectWriter::Raw(std::string_view key, std::string_view json) {
  Key(key);
  out_ += json;
  return *this;
}

JsonObjectWriter& JsonObjectWriter::RawArray(std::string_view key, const std::vector<std::string>& elements) {
  Key(key);
  out_.push_back('[');
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out_.push_back(',');
    out_ += elements[i];
  }
  out_.push_back(']');
  return *this;
}

std::string JsonObjectWriter::Finish() && {
  out_.push_back('}');
  return std::move(out_);
}

std::string FieldPath(std::string_view path, std::string_view field) {
  if (path.empty()) return std::string(field);
  return std::string(path) + "." + std::string(field);
}

std::string IndexPath(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

Result<std::optional<int64_t>> OptionalInt(const json::Value& obj, std::string_view field,
                                           std::string_view path) {
  const json::Value* v = json::Find(obj, field);
  if (v == nullptr || v->IsNull()) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(auto n, json::Int(obj, field, path));
  return std::optional<int64_t>(n);
}

Result<std::optional<bool>> OptionalBool(const json::Value& obj, std::string_view field,
                                         std::string_view path) {
  const json::Value* v = json::Find(obj, field);
  if (v == nullptr || v->IsNull()) return std::optional<bool>();
  ASSIGN_OR_RETURN(auto b, json::Bool(obj, field, path));
  return std::optional<bool>(b);
}

Result<std::vector<std::string>> StringArray(const json::Value& obj, std::string_view field,
                                             std::string_view path) {
  ASSIGN_OR_RETURN(auto arr, json::Array(obj, field, path));
  std::vector<std::string> out;
  if (arr == nullptr) return out;
  const std::string base = FieldPath(path, field);
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    const auto& v = (*arr)[i];
    if (!v.IsString()) {
      return Fail(ErrorKind::kMalformedResponse, "field " + IndexPath(base, i) + " must be a string");
    }
    out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

Result<json::Document> ParseBody(std::string_view body, std::string_view what, bool want_array) {
  if (JsonNestsDeeperThan(body)) {
    return Fail(ErrorKind::kMalformedResponse,
                std::string(what) + " nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  ASSIGN_OR_RETURN(auto doc, json::Parse(body, what));
  if (want_array ? !doc.IsArray() : !doc.IsObject()) {
    return Fail(ErrorKind::kMalformedResponse,
                std::string(what) + " must be a JSON " + (want_array ? "array" : "object"));
  }
  return doc;
}

}  // namespace ccm::oci
