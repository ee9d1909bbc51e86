// pkg/base/json.h: Parse is iterative (hostile nesting cannot overflow the stack), a parsed
// document re-serializes to text that parses to the same document, and the field readers
// either return the value or an error naming the field.
#include <cstdint>
#include <string>
#include <vector>

#include "pkg/base/json.h"
#include "test/fuzz/fuzz_check.h"
#include "test/fuzz/fuzz_json.h"

namespace {

using ccm::fuzz::Check;
namespace json = ccm::json;

void CheckReaders(const json::Value& obj) {
  for (const char* field : {"a", "name", "items", "metadata", "port", "x"}) {
    for (bool required : {false, true}) {
      auto check = [&](const auto& r) {
        if (!r) {
          Check(r.error().message.find(field) != std::string::npos, "a reader error names its field",
                r.error().message);
        }
      };
      check(json::String(obj, field, "spec.items[0]", required));
      check(json::Int(obj, field, "spec.items[0]", required));
      check(json::Bool(obj, field, "spec.items[0]", required));
      check(json::Object(obj, field, "spec.items[0]", required));
      check(json::Array(obj, field, "spec.items[0]", required));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Far deeper than any fuzz input: the iterative parser must take it on an ordinary stack.
  for (const char* open : {"[", "{\"a\":"}) {
    std::string deep;
    for (int i = 0; i < 1000000; ++i) deep += open;
    Check(!json::Parse(deep, "deep").has_value(), "unterminated deep nesting is an error");
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = json::Parse(text, "fuzz input");
  if (!doc) {
    Check(doc.error().message.starts_with("fuzz input "), "a parse error names the source",
          doc.error().message);
    return 0;
  }
  std::string once = json::Serialize(*doc);
  auto again = json::Parse(once, "re-serialized");
  Check(again.has_value(), "a parsed document re-serializes to valid JSON", once);
  // RapidJSON's default number parsing may read a long decimal 1 ULP off, so exact
  // stability is checked only for documents without floating-point numbers.
  if (!ccm::fuzz::HasNonIntegerNumber(*doc)) Check(json::Serialize(*again) == once, "serialization is stable", once);
  CheckReaders(*doc);
  if (doc->IsArray()) {
    for (const auto& item : doc->GetArray()) CheckReaders(item);
  }
  std::string quoted;
  json::AppendQuoted(quoted, text);
  auto as_string = json::Parse(quoted, "quoted");
  Check(as_string.has_value() && as_string->IsString() &&
            std::string_view(as_string->GetString(), as_string->GetStringLength()) == text,
        "AppendQuoted output parses back to the same string");
  return 0;
}
