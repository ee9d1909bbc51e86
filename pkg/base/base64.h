// Standard base64 (RFC 4648, with padding), as OCI signatures and kubeconfig data use.
#pragma once

#include <string>
#include <string_view>

#include "pkg/base/error.h"

namespace ccm {

std::string Base64Encode(std::string_view data);
// Rejects characters outside the alphabet; ignores ASCII whitespace (PEM-style line breaks).
Result<std::string> Base64Decode(std::string_view text);
// base64url without padding (JWT segments).
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace ccm
