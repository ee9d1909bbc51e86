// Shapes shared by the Load Balancer and Network Load Balancer APIs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::oci {

struct IpAddress {
  std::string ip_address;
  bool is_public = false;
};

Result<std::vector<IpAddress>> ParseIpAddresses(const json::Value& obj, std::string_view path);
// Names (keys) of a `backendSets` map; empty when absent.
Result<std::vector<std::string>> ParseMapKeys(const json::Value& obj, std::string_view field,
                                              std::string_view path);

}  // namespace ccm::oci
