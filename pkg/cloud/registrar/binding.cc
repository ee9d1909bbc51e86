#include "pkg/cloud/registrar/binding.h"

namespace ccm::cloud::registrar {

bool IsLoadBalancerOcid(const std::string& id) {
  return id.starts_with("ocid1.loadbalancer.") && id.size() > 24;
}

bool IsNetworkLoadBalancerOcid(const std::string& id) {
  return id.starts_with("ocid1.networkloadbalancer.") && id.size() > 31;
}

}  // namespace ccm::cloud::registrar
