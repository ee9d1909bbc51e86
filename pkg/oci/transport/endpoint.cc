#include "pkg/oci/transport/endpoint.h"

namespace ccm::oci {
namespace {

std::string Pick(const std::string& override_url, std::string default_url) {
  std::string url = override_url.empty() ? std::move(default_url) : override_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

ServiceEndpoints EndpointsForRegion(std::string_view region, std::string_view realm_domain,
                                    const EndpointOverrides& overrides) {
  std::string r(region), d(realm_domain);
  ServiceEndpoints out;
  out.load_balancer = {Pick(overrides.load_balancer, "https://iaas." + r + "." + d),
                       std::string(kLoadBalancerApiVersion)};
  out.network_load_balancer = {
      Pick(overrides.network_load_balancer, "https://network-load-balancer-api." + r + ".oci." + d),
      std::string(kNetworkLoadBalancerApiVersion)};
  out.compute = {Pick(overrides.compute, "https://iaas." + r + "." + d),
                 std::string(kComputeApiVersion)};
  return out;
}

}  // namespace ccm::oci
