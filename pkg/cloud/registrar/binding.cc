#include "pkg/cloud/registrar/binding.h"

#include <cctype>

namespace ccm::cloud::registrar {
namespace {

// What OCI could have issued: no spaces or line breaks (a pasted block scalar keeps its
// newline), and a unique part after the last dot.
bool OcidCharacters(const std::string& id) {
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return !id.ends_with(".");
}

}  // namespace

bool IsLoadBalancerOcid(const std::string& id) {
  return id.starts_with("ocid1.loadbalancer.") && id.size() > 24 && OcidCharacters(id);
}

bool IsNetworkLoadBalancerOcid(const std::string& id) {
  return id.starts_with("ocid1.networkloadbalancer.") && id.size() > 31 && OcidCharacters(id);
}

}  // namespace ccm::cloud::registrar
