// An in-memory Core networking API (public IPs, private IPs, subnets, pools) for unit tests.
// Changes answer with OCI's transitional lifecycleState and finish only when the test calls
// Settle(), so a test decides exactly when OCI is done. Per-operation call counts and
// injectable errors. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pkg/oci/clients/virtual_network_client.h"

namespace ccm::testing {

class FakeVirtualNetworkApi final : public oci::VirtualNetworkApi {
 public:
  Result<oci::PublicIp> CreatePublicIp(const oci::CreatePublicIpDetails& details,
                                       const std::string& retry_token) override;
  Result<oci::PublicIp> GetPublicIp(const std::string& id) override;
  Result<oci::PublicIp> GetPublicIpByIpAddress(const std::string& ip_address) override;
  Result<oci::PublicIp> UpdatePublicIp(const std::string& id,
                                       const oci::UpdatePublicIpDetails& details) override;
  Status DeletePublicIp(const std::string& id) override;
  Result<std::vector<oci::PublicIp>> ListReservedPublicIps(
      const std::string& compartment_id) override;
  Result<oci::PublicIpPool> GetPublicIpPool(const std::string& pool_id) override;
  Result<std::vector<oci::PrivateIp>> ListPrivateIpsByAddress(
      const std::string& ip_address, const std::string& subnet_id) override;
  Result<std::vector<oci::PrivateIp>> ListPrivateIpsOfVnic(const std::string& vnic_id) override;
  Result<oci::PrivateIp> GetPrivateIp(const std::string& id) override;
  Result<oci::Subnet> GetSubnet(const std::string& id) override;

  void PutPublicIp(const oci::PublicIp& ip);
  void PutPrivateIp(const oci::PrivateIp& ip);
  void PutSubnet(const oci::Subnet& subnet);
  void PutPool(const oci::PublicIpPool& pool);
  // Finishes every pending change; `fail_assignments` makes assignments fail silently.
  void Settle(bool fail_assignments = false);
  std::optional<oci::PublicIp> Find(const std::string& id) const;
  std::vector<oci::PublicIp> All() const;

  void SetError(const std::string& operation, Error error);
  void ClearError(const std::string& operation);
  static Error HttpError(int status, const std::string& code);

  int Calls(const std::string& operation) const;
  // CreatePublicIp + UpdatePublicIp + DeletePublicIp.
  int Writes() const;

 private:
  std::optional<Error> Enter(const std::string& operation);
  bool PrivateIpTaken(const std::string& private_ip_id, const std::string& except) const;

  mutable std::mutex mu_;
  std::map<std::string, oci::PublicIp> public_ips_;
  std::map<std::string, std::string> tokens_;  // retry token -> public IP id
  std::map<std::string, oci::PrivateIp> private_ips_;
  std::map<std::string, oci::Subnet> subnets_;
  std::map<std::string, oci::PublicIpPool> pools_;
  std::map<std::string, Error> errors_;
  std::map<std::string, int> calls_;
  int next_ = 1;
};

}  // namespace ccm::testing
