// Turns watch-stream bytes into WatchEvents: frames lines (LineFramer), parses each line
// once, and hands the callback {type, object} views valid only during the call. An ERROR
// event becomes an Error (kGone for code 410 / reason Expired or Gone) instead of an event.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "pkg/base/error.h"
#include "pkg/kube/rest_client.h"
#include "pkg/kube/watch/line_framer.h"

namespace ccm::kube::watch {

class EventDecoder {
 public:
  using OnEvent = std::function<bool(const WatchEvent&)>;

  explicit EventDecoder(OnEvent on_event) : on_event_(std::move(on_event)) {}

  // Feeds a chunk. Returns false when decoding should stop: the callback asked to stop
  // (stopped() is true) or an error occurred (error() holds it).
  bool Feed(std::string_view chunk);
  // Decodes one complete line (exposed for tests and benchmarks).
  bool DecodeLine(std::string_view line);

  bool stopped() const { return stopped_; }
  const std::optional<Error>& error() const { return error_; }
  size_t events() const { return events_; }

 private:
  OnEvent on_event_;
  LineFramer framer_;
  bool stopped_ = false;
  std::optional<Error> error_;
  size_t events_ = 0;
};

}  // namespace ccm::kube::watch
