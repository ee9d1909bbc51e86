// Compute / VCN API (20160918) models the node controllers read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::oci {

struct Instance {
  std::string id;
  std::string display_name;
  std::string availability_domain;  // "Uocm:PHX-AD-1"
  std::string fault_domain;
  std::string region;               // may be a short code such as "phx"
  std::string shape;
  std::string lifecycle_state;      // PROVISIONING, RUNNING, STOPPED, TERMINATED, ...
  std::string compartment_id;
  std::string time_created;         // RFC 3339, as sent
};

struct VnicAttachment {
  std::string id;
  std::string instance_id;
  std::string vnic_id;  // empty while ATTACHING
  std::string lifecycle_state;  // ATTACHING, ATTACHED, DETACHING, DETACHED
  std::string subnet_id;
};

struct Vnic {
  std::string id;
  bool is_primary = false;
  std::string private_ip;
  std::string public_ip;
  std::string hostname_label;
  std::string subnet_id;
  std::string lifecycle_state;
  std::vector<std::string> ipv6_addresses;
};

Result<Instance> ParseInstance(const json::Value& obj, std::string_view path);
Result<Instance> ParseInstanceBody(std::string_view body);
Result<std::vector<Instance>> ParseInstanceList(std::string_view body);
Result<std::vector<VnicAttachment>> ParseVnicAttachmentList(std::string_view body);
Result<Vnic> ParseVnic(std::string_view body);

}  // namespace ccm::oci
