// RapidJSON helpers whose errors name the field path, so a bad response or resource says
// exactly which field is wrong.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "pkg/base/error.h"

namespace ccm::json {

using Value = rapidjson::Value;
using Document = rapidjson::Document;

// Iterative: deeply nested input from a peer cannot overflow the stack. Not
// kParseFullPrecisionFlag: in RapidJSON 1.1.0 (Debian's) that path reads out of bounds on
// some long numbers (found by test/fuzz/json); the default may read a long decimal 1 ULP off.
inline constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag;

// Parses `text`; `what` names the source in the error ("GetBackendSet response").
Result<Document> Parse(std::string_view text, std::string_view what);

// The same without copying strings: the document's strings point into `text`, which the
// parse overwrites and which must outlive the document. For large bodies read once (list
// pages), where copies would double the memory.
Result<Document> ParseInPlace(std::string& text, std::string_view what);

// RapidJSON reads a number just past the double range (3e308) as inf or NaN instead of
// failing, and such a value cannot be written back as JSON: Parse rejects it, and other
// parses of peer input should too.
bool HasNonFiniteNumber(const Value& root);

// Field readers. An absent optional field yields the default; a field of the wrong type is
// always an error. `path` is the JSON path of `obj` ("spec.services[2]").
Result<std::string> String(const Value& obj, std::string_view field, std::string_view path,
                           bool required = false);
Result<int64_t> Int(const Value& obj, std::string_view field, std::string_view path,
                    bool required = false, int64_t fallback = 0);
Result<bool> Bool(const Value& obj, std::string_view field, std::string_view path,
                  bool required = false, bool fallback = false);
// nullptr when absent and optional.
Result<const Value*> Object(const Value& obj, std::string_view field, std::string_view path,
                            bool required = false);
Result<const Value*> Array(const Value& obj, std::string_view field, std::string_view path,
                           bool required = false);

// Finds a member without allocating; nullptr when absent or `obj` is not an object.
const Value* Find(const Value& obj, std::string_view field);

std::string Serialize(const Value& value);
// Appends `s` as a quoted JSON string.
void AppendQuoted(std::string& out, std::string_view s);

}  // namespace ccm::json
