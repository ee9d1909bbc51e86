// Random identifiers for opc-request-id and opc-retry-token (32 upper-case hex digits, as the
// SDKs send). Thread-safe.
#pragma once

#include <string>

namespace ccm::oci {

std::string NewRequestId();

}  // namespace ccm::oci
