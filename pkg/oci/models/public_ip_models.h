// Core networking API (20160918) models the ReservedIP controller reads and writes: public
// IPs, private IPs, subnets, public IP pools. Field names follow the SDK models
// (oci-python-sdk src/oci/core/models/public_ip.py, private_ip.py, subnet.py,
// public_ip_pool.py, create_public_ip_details.py, update_public_ip_details.py).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"

namespace ccm::oci {

using FreeformTags = std::map<std::string, std::string>;

// PublicIp.lifecycleState values (public_ip.py).
inline constexpr char kPublicIpProvisioning[] = "PROVISIONING";
inline constexpr char kPublicIpAvailable[] = "AVAILABLE";
inline constexpr char kPublicIpAssigning[] = "ASSIGNING";
inline constexpr char kPublicIpAssigned[] = "ASSIGNED";
inline constexpr char kPublicIpUnassigning[] = "UNASSIGNING";
inline constexpr char kPublicIpUnassigned[] = "UNASSIGNED";
inline constexpr char kPublicIpTerminating[] = "TERMINATING";
inline constexpr char kPublicIpTerminated[] = "TERMINATED";

struct PublicIp {
  std::string id;
  std::string ip_address;
  std::string compartment_id;
  std::string display_name;
  std::string lifetime;          // EPHEMERAL | RESERVED
  std::string lifecycle_state;
  std::string scope;             // REGION | AVAILABILITY_DOMAIN
  std::string private_ip_id;     // assigned, or being assigned, to; "" when none
  std::string public_ip_pool_id;
  FreeformTags freeform_tags;

  // The state OCI is still working towards: poll again.
  bool InTransition() const;
};

struct PrivateIp {
  std::string id;
  std::string ip_address;
  std::string subnet_id;
  std::string vnic_id;
  bool is_primary = false;
};

struct Subnet {
  std::string id;
  std::string cidr_block;
  bool prohibit_public_ip_on_vnic = false;
};

struct PublicIpPool {
  std::string id;
  std::string compartment_id;
  std::vector<std::string> cidr_blocks;
};

// CreatePublicIpDetails: only what is set is written.
struct CreatePublicIpDetails {
  std::string compartment_id;  // required
  std::string lifetime = "RESERVED";
  std::string display_name;
  FreeformTags freeform_tags;
  std::string private_ip_id;
  std::string public_ip_pool_id;
};

// UpdatePublicIpDetails: absent members are left as they are; private_ip_id "" unassigns.
struct UpdatePublicIpDetails {
  std::optional<std::string> private_ip_id;
  std::optional<std::string> display_name;
  std::optional<FreeformTags> freeform_tags;
};

std::string WriteCreatePublicIpDetails(const CreatePublicIpDetails& d);
std::string WriteUpdatePublicIpDetails(const UpdatePublicIpDetails& d);
// GetPublicIpByIpAddressDetails.
std::string WriteGetPublicIpByIpAddressDetails(std::string_view ip_address);

Result<PublicIp> ParsePublicIp(std::string_view body);
Result<std::vector<PublicIp>> ParsePublicIpList(std::string_view body);
Result<PrivateIp> ParsePrivateIp(std::string_view body);
Result<std::vector<PrivateIp>> ParsePrivateIpList(std::string_view body);
Result<Subnet> ParseSubnet(std::string_view body);
Result<PublicIpPool> ParsePublicIpPool(std::string_view body);

}  // namespace ccm::oci
