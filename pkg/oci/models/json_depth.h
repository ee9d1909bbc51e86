// RapidJSON's default parser recurses once per nesting level: a hostile or broken body of a
// few MB of '[' would overflow the stack. Bodies are screened with this before parsing.
#pragma once

#include <string_view>

namespace ccm::oci {

inline constexpr int kMaxJsonDepth = 128;

// True when arrays/objects nest deeper than `max_depth` (brackets inside strings ignored).
bool JsonNestsDeeperThan(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace ccm::oci
