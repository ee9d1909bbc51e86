// pkg/base/strings (ParseDuration, ParseGoBool, SplitTrimmed, TrimSpace) and the small header
// parsers (OCI retry-after). Invariants: durations are non-negative and agree with a
// reference sum; booleans are exactly Go's set; split pieces are trimmed and non-empty.
#include <cstdint>
#include <string>

#include "pkg/base/strings.h"
#include "pkg/oci/transport/oci_error.h"
#include "test/fuzz/fuzz_check.h"

namespace {

using ccm::fuzz::Check;

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto d = ccm::ParseDuration(text); d) {
    Check(d->count() >= 0, "a duration is never negative", text);
    // "<n>s" for the plain-number form must agree with the unit form.
    std::string_view t = ccm::TrimSpace(text);
    if (!t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos) {
      auto with_unit = ccm::ParseDuration(std::string(t) + "s");
      Check(with_unit.has_value() && *with_unit == *d, "N and Ns are the same duration", text);
    }
  }

  auto b = ccm::ParseGoBool(text);
  static const std::string_view kTrue[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const std::string_view kFalse[] = {"0", "f", "F", "FALSE", "false", "False"};
  bool is_true = false, is_false = false;
  for (auto s : kTrue) is_true = is_true || s == text;
  for (auto s : kFalse) is_false = is_false || s == text;
  Check(b.has_value() == (is_true || is_false) && (!b || *b == is_true), "ParseGoBool is Go's strconv.ParseBool", text);

  std::string_view trimmed = ccm::TrimSpace(text);
  Check(trimmed.empty() || (!IsSpace(trimmed.front()) && !IsSpace(trimmed.back())), "TrimSpace trims");
  for (const auto& piece : ccm::SplitTrimmed(text, ',')) {
    Check(!piece.empty() && piece.find(',') == std::string::npos && !IsSpace(piece.front()) && !IsSpace(piece.back()),
          "SplitTrimmed pieces are trimmed, non-empty and have no separator", piece);
  }

  if (auto after = ccm::oci::ParseRetryAfter(text); after) {
    Check(after->count() >= 0 && *after <= std::chrono::hours(24), "retry-after is 0..24h", text);
  }
  return 0;
}
