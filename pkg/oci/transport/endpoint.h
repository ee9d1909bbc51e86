// Where each OCI service lives. Every base URL can be overridden (private endpoints, the
// simulator at https://127.0.0.1:PORT).
#pragma once

#include <string>
#include <string_view>

namespace ccm::oci {

struct Endpoint {
  std::string base_url;      // scheme://host[:port], no trailing slash
  std::string version_path;  // "/20170115"
};

inline constexpr std::string_view kLoadBalancerApiVersion = "/20170115";
inline constexpr std::string_view kNetworkLoadBalancerApiVersion = "/20200501";
inline constexpr std::string_view kComputeApiVersion = "/20160918";

struct ServiceEndpoints {
  Endpoint load_balancer;
  Endpoint network_load_balancer;
  Endpoint compute;
};

// Endpoints for a full region name ("us-phoenix-1"); `realm_domain` is the realm's second-level
// domain ("oraclecloud.com" for the commercial realm). Non-empty overrides replace the base URL.
struct EndpointOverrides {
  std::string load_balancer;
  std::string network_load_balancer;
  std::string compute;
};
ServiceEndpoints EndpointsForRegion(std::string_view region,
                                    std::string_view realm_domain = "oraclecloud.com",
                                    const EndpointOverrides& overrides = {});

}  // namespace ccm::oci
