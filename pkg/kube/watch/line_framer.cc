#include "pkg/kube/watch/line_framer.h"

#include <cstring>

namespace ccm::kube::watch {

bool LineFramer::Emit(std::string_view line, const std::function<bool(std::string_view)>& on_line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return true;
  return on_line(line);
}

bool LineFramer::Feed(std::string_view chunk, const std::function<bool(std::string_view)>& on_line) {
  while (!chunk.empty()) {
    const void* hit = std::memchr(chunk.data(), '\n', chunk.size());
    if (hit == nullptr) {
      if (carry_.size() + chunk.size() > max_line_bytes_) {
        overflowed_ = true;
        return false;
      }
      carry_.append(chunk);
      return true;
    }
    size_t end = static_cast<const char*>(hit) - chunk.data();
    // Checked here too, so the limit holds however the line was chunked.
    if (carry_.size() + end > max_line_bytes_) {
      overflowed_ = true;
      return false;
    }
    bool keep_going;
    if (carry_.empty()) {
      keep_going = Emit(chunk.substr(0, end), on_line);
    } else {
      carry_.append(chunk.substr(0, end));
      keep_going = Emit(carry_, on_line);
      carry_.clear();  // keeps the capacity for the next split line
    }
    if (!keep_going) return false;
    chunk.remove_prefix(end + 1);
  }
  return true;
}

}  // namespace ccm::kube::watch
