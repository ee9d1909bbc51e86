// Small string parsers shared across packages.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccm {

// Go's strconv.ParseBool, which Kubernetes uses for label and annotation values:
// 1 t T TRUE true True / 0 f F FALSE false False.
std::optional<bool> ParseGoBool(std::string_view s);

// Splits on `sep`, trimming ASCII whitespace around each piece; drops empty pieces.
std::vector<std::string> SplitTrimmed(std::string_view s, char sep);

std::string_view TrimSpace(std::string_view s);

// "30s", "5m", "1h30m", "500ms", or a plain number of seconds; nullopt when malformed.
// Sums saturate at 1e18 ms, far past any limit a caller accepts.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace ccm
