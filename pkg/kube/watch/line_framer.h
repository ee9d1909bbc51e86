// Splits a byte stream into '\n'-terminated lines, whatever the chunking. Each byte is
// scanned once: only the bytes of the newest chunk are searched for '\n', and a partial line
// is carried (appended, never re-scanned) until its end arrives. Complete lines inside a
// chunk are handed out as views into the chunk without copying.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace ccm::kube::watch {

class LineFramer {
 public:
  // A line longer than `max_line_bytes` (counting a trailing '\r') is an error (a peer
  // streaming garbage), whether it arrives whole in one chunk or split across several.
  explicit LineFramer(size_t max_line_bytes = 64u << 20) : max_line_bytes_(max_line_bytes) {}

  // Calls `on_line` for every completed line (without the '\n'; a trailing '\r' is kept out
  // too). Empty lines are skipped. Returns false when `on_line` returned false or the carried
  // line grew past the limit; the framer must then be Reset() before reuse.
  bool Feed(std::string_view chunk, const std::function<bool(std::string_view line)>& on_line);

  bool overflowed() const { return overflowed_; }
  size_t carried_bytes() const { return carry_.size(); }
  void Reset() {
    carry_.clear();
    overflowed_ = false;
  }

 private:
  bool Emit(std::string_view line, const std::function<bool(std::string_view)>& on_line);

  size_t max_line_bytes_;
  std::string carry_;
  bool overflowed_ = false;
};

}  // namespace ccm::kube::watch
