#include "pkg/base/strings.h"

#include <algorithm>
#include <cctype>

namespace ccm {

std::optional<bool> ParseGoBool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return false;
  return std::nullopt;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

constexpr long long kMaxDurationMs = 1'000'000'000'000'000'000LL;

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  text = TrimSpace(text);
  if (text.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits) {
    if (text.size() > 12) return std::nullopt;
    return std::chrono::seconds(std::stoll(std::string(text)));
  }
  long long total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (start == i || i == text.size() || i - start > 12) return std::nullopt;
    long long n = std::stoll(std::string(text.substr(start, i - start)));
    if (text.substr(i).starts_with("ms")) {
      total_ms += n;
      i += 2;
      continue;
    }
    switch (text[i++]) {
      case 'h': total_ms += n * 3600000; break;
      case 'm': total_ms += n * 60000; break;
      case 's': total_ms += n * 1000; break;
      default: return std::nullopt;
    }
    // Each term is below 3.6e18, so saturating at 1e18 keeps the sum from overflowing while
    // a well-formed but huge value still reaches the caller's "at most" check.
    total_ms = std::min(total_ms, kMaxDurationMs);
  }
  return std::chrono::milliseconds(total_ms);
}

std::vector<std::string> SplitTrimmed(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view piece = TrimSpace(s.substr(start, end - start));
    if (!piece.empty()) out.emplace_back(piece);
    start = end + 1;
  }
  return out;
}

}  // namespace ccm
