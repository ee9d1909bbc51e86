#include "pkg/base/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <utility>
#include <vector>

namespace ccm::json {
namespace {

std::string Join(std::string_view path, std::string_view field) {
  if (path.empty()) return std::string(field);
  return std::string(path) + "." + std::string(field);
}

Error TypeError(std::string_view path, std::string_view field, const char* want) {
  return MakeError(ErrorKind::kMalformedResponse,
                   "field " + Join(path, field) + " must be " + want);
}

Error Missing(std::string_view path, std::string_view field) {
  return MakeError(ErrorKind::kMalformedResponse, "field " + Join(path, field) + " is required");
}

// What every parse checks once the parser has run.
Result<Document> Checked(Document doc, std::string_view what) {
  if (doc.HasParseError()) {
    return Fail(ErrorKind::kMalformedResponse,
                std::string(what) + " is not valid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()) +
                    " at offset " + std::to_string(doc.GetErrorOffset()));
  }
  if (HasNonFiniteNumber(doc)) {
    return Fail(ErrorKind::kMalformedResponse, std::string(what) + " holds a number outside the double range");
  }
  return doc;
}

}  // namespace

Result<Document> Parse(std::string_view text, std::string_view what) {
  Document doc;
  doc.Parse<kParseFlags>(text.data(), text.size());
  return Checked(std::move(doc), what);
}

Result<Document> ParseInPlace(std::string& text, std::string_view what) {
  // In place the parser stops at the first NUL; valid JSON never holds a raw one.
  if (text.find('\0') != std::string::npos) {
    return Fail(ErrorKind::kMalformedResponse, std::string(what) + " is not valid JSON: it holds a NUL byte");
  }
  Document doc;
  doc.ParseInsitu<kParseFlags>(text.data());
  return Checked(std::move(doc), what);
}

bool HasNonFiniteNumber(const Value& root) {
  std::vector<const Value*> pending{&root};  // iterative: nesting may be deep
  while (!pending.empty()) {
    const Value* v = pending.back();
    pending.pop_back();
    if (v->IsDouble()) {
      if (!std::isfinite(v->GetDouble())) return true;
    } else if (v->IsArray()) {
      for (const auto& item : v->GetArray()) pending.push_back(&item);
    } else if (v->IsObject()) {
      for (const auto& m : v->GetObject()) pending.push_back(&m.value);
    }
  }
  return false;
}

const Value* Find(const Value& obj, std::string_view field) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(Value(rapidjson::StringRef(field.data(), field.size())));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

Result<std::string> String(const Value& obj, std::string_view field, std::string_view path,
                           bool required) {
  const Value* v = Find(obj, field);
  if (v == nullptr || v->IsNull()) {
    if (required) return Fail(Missing(path, field));
    return std::string();
  }
  if (!v->IsString()) return Fail(TypeError(path, field, "a string"));
  return std::string(v->GetString(), v->GetStringLength());
}

Result<int64_t> Int(const Value& obj, std::string_view field, std::string_view path, bool required,
                    int64_t fallback) {
  const Value* v = Find(obj, field);
  if (v == nullptr || v->IsNull()) {
    if (required) return Fail(Missing(path, field));
    return fallback;
  }
  if (!v->IsInt64()) return Fail(TypeError(path, field, "an integer"));
  return v->GetInt64();
}

Result<bool> Bool(const Value& obj, std::string_view field, std::string_view path, bool required,
                  bool fallback) {
  const Value* v = Find(obj, field);
  if (v == nullptr || v->IsNull()) {
    if (required) return Fail(Missing(path, field));
    return fallback;
  }
  if (!v->IsBool()) return Fail(TypeError(path, field, "a boolean"));
  return v->GetBool();
}

Result<const Value*> Object(const Value& obj, std::string_view field, std::string_view path,
                            bool required) {
  const Value* v = Find(obj, field);
  if (v == nullptr || v->IsNull()) {
    if (required) return Fail(Missing(path, field));
    return static_cast<const Value*>(nullptr);
  }
  if (!v->IsObject()) return Fail(TypeError(path, field, "an object"));
  return v;
}

Result<const Value*> Array(const Value& obj, std::string_view field, std::string_view path,
                           bool required) {
  const Value* v = Find(obj, field);
  if (v == nullptr || v->IsNull()) {
    if (required) return Fail(Missing(path, field));
    return static_cast<const Value*>(nullptr);
  }
  if (!v->IsArray()) return Fail(TypeError(path, field, "an array"));
  return v;
}

std::string Serialize(const Value& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  value.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

void AppendQuoted(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace ccm::json
