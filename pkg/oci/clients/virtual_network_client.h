// Core networking API (20160918) calls of the ReservedIP controller: reserved public IPs and
// the private IPs, subnets and pools they are assigned to or allocated from. Served by the same
// endpoint as Compute; calls take the shared transport (signing, rate limits, retries, metrics).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/oci/models/public_ip_models.h"
#include "pkg/oci/transport/oci_transport.h"

namespace ccm::oci {

class VirtualNetworkApi {
 public:
  virtual ~VirtualNetworkApi() = default;
  // `retry_token` is sent as opc-retry-token on every attempt; a caller that derives it from
  // something durable gets the same public IP back after a crash and retry.
  virtual Result<PublicIp> CreatePublicIp(const CreatePublicIpDetails& details, const std::string& retry_token) = 0;
  virtual Result<PublicIp> GetPublicIp(const std::string& public_ip_id) = 0;
  virtual Result<PublicIp> GetPublicIpByIpAddress(const std::string& ip_address) = 0;
  virtual Result<PublicIp> UpdatePublicIp(const std::string& public_ip_id, const UpdatePublicIpDetails& details) = 0;
  virtual Status DeletePublicIp(const std::string& public_ip_id) = 0;
  // Every RESERVED public IP of the compartment (scope=REGION), all pages.
  virtual Result<std::vector<PublicIp>> ListReservedPublicIps(const std::string& compartment_id) = 0;
  virtual Result<PublicIpPool> GetPublicIpPool(const std::string& pool_id) = 0;
  // The private IP with this address in this subnet (zero or one).
  virtual Result<std::vector<PrivateIp>> ListPrivateIpsByAddress(const std::string& ip_address,
                                                                 const std::string& subnet_id) = 0;
  virtual Result<std::vector<PrivateIp>> ListPrivateIpsOfVnic(const std::string& vnic_id) = 0;
  virtual Result<PrivateIp> GetPrivateIp(const std::string& private_ip_id) = 0;
  virtual Result<Subnet> GetSubnet(const std::string& subnet_id) = 0;
};

class VirtualNetworkClient final : public VirtualNetworkApi {
 public:
  VirtualNetworkClient(OciTransport& transport, Endpoint endpoint, const std::atomic<bool>* shutdown = nullptr)
      : transport_(transport), endpoint_(std::move(endpoint)), shutdown_(shutdown) {}

  Result<PublicIp> CreatePublicIp(const CreatePublicIpDetails& details, const std::string& retry_token) override;
  Result<PublicIp> GetPublicIp(const std::string& public_ip_id) override;
  Result<PublicIp> GetPublicIpByIpAddress(const std::string& ip_address) override;
  Result<PublicIp> UpdatePublicIp(const std::string& public_ip_id, const UpdatePublicIpDetails& details) override;
  Status DeletePublicIp(const std::string& public_ip_id) override;
  Result<std::vector<PublicIp>> ListReservedPublicIps(const std::string& compartment_id) override;
  Result<PublicIpPool> GetPublicIpPool(const std::string& pool_id) override;
  Result<std::vector<PrivateIp>> ListPrivateIpsByAddress(const std::string& ip_address,
                                                         const std::string& subnet_id) override;
  Result<std::vector<PrivateIp>> ListPrivateIpsOfVnic(const std::string& vnic_id) override;
  Result<PrivateIp> GetPrivateIp(const std::string& private_ip_id) override;
  Result<Subnet> GetSubnet(const std::string& subnet_id) override;

 private:
  template <typename T>
  Result<T> Read(const OciRequest& request, Result<T> (*parse)(std::string_view));

  OciTransport& transport_;
  Endpoint endpoint_;
  const std::atomic<bool>* shutdown_;
};

}  // namespace ccm::oci
