// Shared helpers for the libFuzzer targets: an invariant that fails stops the run with a
// message and a crash artifact, the same as a sanitizer finding.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace ccm::fuzz {

[[noreturn]] inline void Violated(const char* what, std::string_view detail) {
  std::fprintf(stderr, "\nINVARIANT VIOLATED: %s\n  %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  __builtin_trap();
}

inline void Check(bool ok, const char* what, std::string_view detail = {}) {
  if (!ok) Violated(what, detail);
}

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return !needle.empty() && haystack.find(needle) != std::string_view::npos;
}

// Input convention shared by the streaming targets: the first byte N (mod 16) is how many
// split points follow as one byte each; the rest is the payload. Returns the payload and the
// chunk boundaries (sorted offsets into the payload).
struct Chunked {
  std::string_view payload;
  std::vector<size_t> cuts;

  std::vector<std::string_view> Chunks() const {
    std::vector<std::string_view> out;
    size_t start = 0;
    for (size_t cut : cuts) {
      out.push_back(payload.substr(start, cut - start));
      start = cut;
    }
    out.push_back(payload.substr(start));
    return out;
  }
};

inline Chunked SplitInput(const uint8_t* data, size_t size) {
  Chunked c;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.empty()) return c;
  size_t n = static_cast<uint8_t>(in[0]) % 16;
  in.remove_prefix(1);
  std::vector<uint8_t> raw;
  for (size_t i = 0; i < n && !in.empty(); ++i) {
    raw.push_back(static_cast<uint8_t>(in[0]));
    in.remove_prefix(1);
  }
  c.payload = in;
  if (!in.empty()) {
    // Each byte picks a position scaled to the payload, so short and long payloads both split.
    for (uint8_t r : raw) c.cuts.push_back(in.size() * r / 256);
    std::sort(c.cuts.begin(), c.cuts.end());
  }
  return c;
}

}  // namespace ccm::fuzz
