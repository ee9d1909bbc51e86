// Watch-stream framing: the lines LineFramer hands out, where it stops and what it carries
// must not depend on how the bytes were chunked, and must match a plain split on '\n'.
#include <cstdint>
#include <string>
#include <vector>

#include "pkg/kube/watch/line_framer.h"
#include "test/fuzz/fuzz_check.h"

namespace {

using ccm::fuzz::Check;
using ccm::kube::watch::LineFramer;

struct Outcome {
  std::vector<std::string> lines;
  bool ok = true;  // every Feed returned true
  bool overflowed = false;
  size_t carried = 0;
  bool operator==(const Outcome&) const = default;
};

// The specification: lines end at '\n', lose one trailing '\r', empty ones are skipped; a line
// (or the unterminated tail) longer than `limit` bytes stops framing; the callback stops it
// after `stop_after` lines.
Outcome Reference(std::string_view s, size_t limit, size_t stop_after) {
  Outcome o;
  size_t start = 0;
  for (size_t nl = s.find('\n'); nl != std::string_view::npos; nl = s.find('\n', start)) {
    std::string_view line = s.substr(start, nl - start);
    start = nl + 1;
    if (line.size() > limit) {
      o.ok = false;
      o.overflowed = true;
      return o;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    o.lines.emplace_back(line);
    if (o.lines.size() == stop_after) {
      o.ok = false;
      return o;
    }
  }
  if (s.size() - start > limit) {
    o.ok = false;
    o.overflowed = true;
    return o;
  }
  o.carried = s.size() - start;
  return o;
}

Outcome Frame(const std::vector<std::string_view>& chunks, size_t limit, size_t stop_after) {
  LineFramer framer(limit);
  Outcome o;
  for (auto chunk : chunks) {
    bool ok = framer.Feed(chunk, [&](std::string_view line) {
      Check(!line.empty() && line.find('\n') == std::string_view::npos, "a framed line is non-empty and has no newline");
      o.lines.emplace_back(line);
      return o.lines.size() != stop_after;
    });
    if (!ok) {
      o.ok = false;
      break;
    }
  }
  o.overflowed = framer.overflowed();
  o.carried = o.ok ? framer.carried_bytes() : 0;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ccm::fuzz::Chunked in = ccm::fuzz::SplitInput(data, size);
  const std::vector<std::string_view> chunks = in.Chunks();
  const std::vector<std::string_view> whole = {in.payload};
  // A limit and a stop point the input picks, so both early exits are exercised.
  const size_t limit = size > 0 && data[size - 1] < 64 ? data[size - 1] + 1 : 64u << 20;
  const size_t stop_after = size > 1 && data[size - 2] < 8 ? data[size - 2] + 1 : SIZE_MAX;

  for (size_t lim : {size_t{64} << 20, limit}) {
    for (size_t stop : {SIZE_MAX, stop_after}) {
      Outcome expected = Reference(in.payload, lim, stop);
      Check(Frame(whole, lim, stop) == expected, "framing one chunk matches a plain split on newlines");
      Check(Frame(chunks, lim, stop) == expected, "framing does not depend on chunk boundaries");
    }
  }
  // Reset() makes a framer as good as new.
  LineFramer framer(limit);
  framer.Feed(in.payload, [](std::string_view) { return true; });
  framer.Reset();
  Check(framer.carried_bytes() == 0 && !framer.overflowed(), "Reset clears carry and overflow");
  return 0;
}
