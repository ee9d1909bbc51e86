// Reads the time claims of a JWT (the OCI security token) without verifying it: the token is
// the auth service's answer to our own signed request, and we need only its lifetime.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "pkg/base/error.h"

namespace ccm::oci {

struct JwtTimes {
  std::chrono::system_clock::time_point expires_at;               // "exp"
  std::optional<std::chrono::system_clock::time_point> issued_at;  // "iat", when present
};

// Errors never quote the token.
Result<JwtTimes> ParseJwtTimes(std::string_view token);

}  // namespace ccm::oci
