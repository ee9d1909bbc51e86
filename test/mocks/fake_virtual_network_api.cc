#include "test/mocks/fake_virtual_network_api.h"

namespace ccm::testing {
namespace {

Error NotFound(const std::string& what) {
  Error e = MakeError(ErrorKind::kNotFound, what + " not found");
  e.http_status = 404;
  e.code = "NotAuthorizedOrNotFound";
  return e;
}

}  // namespace

Error FakeVirtualNetworkApi::HttpError(int status, const std::string& code) {
  ErrorKind kind = status == 409   ? ErrorKind::kConflict
                   : status == 429 ? ErrorKind::kTooManyRequests
                   : status == 404 ? ErrorKind::kNotFound
                                   : ErrorKind::kUnavailable;
  Error e = MakeError(kind, code);
  e.http_status = status;
  e.code = code;
  return e;
}

std::optional<Error> FakeVirtualNetworkApi::Enter(const std::string& operation) {
  ++calls_[operation];
  if (auto it = errors_.find(operation); it != errors_.end()) return it->second;
  return std::nullopt;
}

bool FakeVirtualNetworkApi::PrivateIpTaken(const std::string& private_ip_id,
                                           const std::string& except) const {
  for (const auto& [id, ip] : public_ips_) {
    if (id != except && ip.private_ip_id == private_ip_id &&
        (ip.lifecycle_state == oci::kPublicIpAssigned ||
         ip.lifecycle_state == oci::kPublicIpAssigning)) {
      return true;
    }
  }
  return false;
}

Result<oci::PublicIp> FakeVirtualNetworkApi::CreatePublicIp(const oci::CreatePublicIpDetails& d,
                                                            const std::string& token) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("CreatePublicIp")) return Fail(*e);
  if (auto it = tokens_.find(token); !token.empty() && it != tokens_.end())
    return public_ips_.at(it->second);
  if (!d.public_ip_pool_id.empty() && !pools_.contains(d.public_ip_pool_id))
    return Fail(NotFound(d.public_ip_pool_id));
  if (!d.private_ip_id.empty()) {
    if (!private_ips_.contains(d.private_ip_id)) return Fail(NotFound(d.private_ip_id));
    if (PrivateIpTaken(d.private_ip_id, "")) return Fail(HttpError(409, "Conflict"));
  }
  oci::PublicIp ip{.id = "ocid1.publicip.oc1.phx.fake" + std::to_string(next_),
                   .ip_address = "129.146.1." + std::to_string(next_),
                   .compartment_id = d.compartment_id,
                   .display_name = d.display_name,
                   .lifetime = d.lifetime,
                   .lifecycle_state = d.private_ip_id.empty() ? oci::kPublicIpProvisioning
                                                              : oci::kPublicIpAssigning,
                   .scope = "REGION",
                   .private_ip_id = d.private_ip_id,
                   .public_ip_pool_id = d.public_ip_pool_id,
                   .freeform_tags = d.freeform_tags};
  ++next_;
  public_ips_[ip.id] = ip;
  if (!token.empty()) tokens_[token] = ip.id;
  return ip;
}

Result<oci::PublicIp> FakeVirtualNetworkApi::GetPublicIp(const std::string& id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("GetPublicIp")) return Fail(*e);
  auto it = public_ips_.find(id);
  if (it == public_ips_.end()) return Fail(NotFound(id));
  return it->second;
}

Result<oci::PublicIp> FakeVirtualNetworkApi::GetPublicIpByIpAddress(const std::string& address) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("GetPublicIpByIpAddress")) return Fail(*e);
  for (const auto& [id, ip] : public_ips_) {
    if (ip.ip_address == address && ip.lifecycle_state != oci::kPublicIpTerminated) return ip;
  }
  return Fail(NotFound(address));
}

Result<oci::PublicIp> FakeVirtualNetworkApi::UpdatePublicIp(const std::string& id,
                                                            const oci::UpdatePublicIpDetails& d) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("UpdatePublicIp")) return Fail(*e);
  auto it = public_ips_.find(id);
  if (it == public_ips_.end()) return Fail(NotFound(id));
  oci::PublicIp& ip = it->second;
  if (d.private_ip_id && *d.private_ip_id != ip.private_ip_id) {
    if (ip.InTransition()) return Fail(HttpError(409, "IncorrectState"));
    if (d.private_ip_id->empty()) {
      ip.private_ip_id.clear();
      ip.lifecycle_state = oci::kPublicIpUnassigning;
    } else {
      if (!private_ips_.contains(*d.private_ip_id)) return Fail(NotFound(*d.private_ip_id));
      if (PrivateIpTaken(*d.private_ip_id, id)) return Fail(HttpError(409, "Conflict"));
      ip.private_ip_id = *d.private_ip_id;
      ip.lifecycle_state = oci::kPublicIpAssigning;
    }
  }
  if (d.freeform_tags) ip.freeform_tags = *d.freeform_tags;
  if (d.display_name) ip.display_name = *d.display_name;
  return ip;
}

Status FakeVirtualNetworkApi::DeletePublicIp(const std::string& id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("DeletePublicIp")) return Fail(*e);
  auto it = public_ips_.find(id);
  if (it == public_ips_.end() || it->second.lifecycle_state == oci::kPublicIpTerminated)
    return Fail(NotFound(id));
  it->second.private_ip_id.clear();
  it->second.lifecycle_state = oci::kPublicIpTerminating;
  return {};
}

Result<std::vector<oci::PublicIp>> FakeVirtualNetworkApi::ListReservedPublicIps(
    const std::string& compartment_id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("ListPublicIps")) return Fail(*e);
  std::vector<oci::PublicIp> out;
  for (const auto& [id, ip] : public_ips_) {
    if (ip.compartment_id == compartment_id && ip.lifetime == "RESERVED" &&
        ip.lifecycle_state != oci::kPublicIpTerminated) {
      out.push_back(ip);
    }
  }
  return out;
}

Result<oci::PublicIpPool> FakeVirtualNetworkApi::GetPublicIpPool(const std::string& id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("GetPublicIpPool")) return Fail(*e);
  auto it = pools_.find(id);
  if (it == pools_.end()) return Fail(NotFound(id));
  return it->second;
}

Result<std::vector<oci::PrivateIp>> FakeVirtualNetworkApi::ListPrivateIpsByAddress(
    const std::string& address, const std::string& subnet_id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("ListPrivateIps")) return Fail(*e);
  std::vector<oci::PrivateIp> out;
  for (const auto& [id, p] : private_ips_) {
    if (p.ip_address == address && p.subnet_id == subnet_id) out.push_back(p);
  }
  return out;
}

Result<std::vector<oci::PrivateIp>> FakeVirtualNetworkApi::ListPrivateIpsOfVnic(
    const std::string& vnic_id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("ListPrivateIps")) return Fail(*e);
  std::vector<oci::PrivateIp> out;
  for (const auto& [id, p] : private_ips_) {
    if (p.vnic_id == vnic_id) out.push_back(p);
  }
  return out;
}

Result<oci::PrivateIp> FakeVirtualNetworkApi::GetPrivateIp(const std::string& id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("GetPrivateIp")) return Fail(*e);
  auto it = private_ips_.find(id);
  if (it == private_ips_.end()) return Fail(NotFound(id));
  return it->second;
}

Result<oci::Subnet> FakeVirtualNetworkApi::GetSubnet(const std::string& id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("GetSubnet")) return Fail(*e);
  auto it = subnets_.find(id);
  if (it == subnets_.end()) return Fail(NotFound(id));
  return it->second;
}

void FakeVirtualNetworkApi::PutPublicIp(const oci::PublicIp& ip) {
  std::lock_guard lock(mu_);
  public_ips_[ip.id] = ip;
}
void FakeVirtualNetworkApi::PutPrivateIp(const oci::PrivateIp& ip) {
  std::lock_guard lock(mu_);
  private_ips_[ip.id] = ip;
}
void FakeVirtualNetworkApi::PutSubnet(const oci::Subnet& subnet) {
  std::lock_guard lock(mu_);
  subnets_[subnet.id] = subnet;
}
void FakeVirtualNetworkApi::PutPool(const oci::PublicIpPool& pool) {
  std::lock_guard lock(mu_);
  pools_[pool.id] = pool;
}

void FakeVirtualNetworkApi::Settle(bool fail_assignments) {
  std::lock_guard lock(mu_);
  for (auto& [id, ip] : public_ips_) {
    if (ip.lifecycle_state == oci::kPublicIpProvisioning ||
        ip.lifecycle_state == oci::kPublicIpUnassigning) {
      ip.lifecycle_state = oci::kPublicIpAvailable;
    } else if (ip.lifecycle_state == oci::kPublicIpAssigning) {
      if (fail_assignments) {
        ip.private_ip_id.clear();
        ip.lifecycle_state = oci::kPublicIpAvailable;
      } else {
        ip.lifecycle_state = oci::kPublicIpAssigned;
      }
    } else if (ip.lifecycle_state == oci::kPublicIpTerminating) {
      ip.lifecycle_state = oci::kPublicIpTerminated;
    }
  }
}

std::optional<oci::PublicIp> FakeVirtualNetworkApi::Find(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = public_ips_.find(id);
  if (it == public_ips_.end()) return std::nullopt;
  return it->second;
}

std::vector<oci::PublicIp> FakeVirtualNetworkApi::All() const {
  std::lock_guard lock(mu_);
  std::vector<oci::PublicIp> out;
  for (const auto& [id, ip] : public_ips_) out.push_back(ip);
  return out;
}

void FakeVirtualNetworkApi::SetError(const std::string& operation, Error error) {
  std::lock_guard lock(mu_);
  errors_[operation] = std::move(error);
}

void FakeVirtualNetworkApi::ClearError(const std::string& operation) {
  std::lock_guard lock(mu_);
  errors_.erase(operation);
}

int FakeVirtualNetworkApi::Calls(const std::string& operation) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(operation);
  return it == calls_.end() ? 0 : it->second;
}

int FakeVirtualNetworkApi::Writes() const {
  return Calls("CreatePublicIp") + Calls("UpdatePublicIp") + Calls("DeletePublicIp");
}

}  // namespace ccm::testing
