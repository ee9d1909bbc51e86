// Syntax checks for names users type into LBRegistrars and Service annotations, so a value
// that can never match (a label no node can carry, a backend set name OCI cannot have) is
// reported where it was written instead of silently matching nothing.
#pragma once

#include <string_view>

namespace ccm::cloud::registrar {

// A Kubernetes label key: optional DNS-subdomain prefix and '/', then a name of at most 63
// letters, digits, '-', '_' or '.', starting and ending with a letter or digit.
bool IsLabelKey(std::string_view key);
// A Kubernetes label value: empty, or at most 63 characters as for a key's name part.
bool IsLabelValue(std::string_view value);
// An OCI backend set name: 1 to 32 letters, digits, '-', '_' or '.'.
bool IsBackendSetName(std::string_view name);

}  // namespace ccm::cloud::registrar
