#include "pkg/oci/clients/virtual_network_client.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/clients/paging.h"
#include "pkg/oci/clients/response_util.h"

namespace ccm::oci {

template <typename T>
Result<T> VirtualNetworkClient::Read(const OciRequest& request,
                                     Result<T> (*parse)(std::string_view)) {
  ASSIGN_OR_RETURN(auto response, transport_.Call(endpoint_, request, shutdown_));
  return Annotate(parse(response.body), request.operation, response);
}

Result<PublicIp> VirtualNetworkClient::CreatePublicIp(const CreatePublicIpDetails& details,
                                                      const std::string& retry_token) {
  OciRequest request{.operation = "CreatePublicIp",
                     .method = "POST",
                     .path = {"publicIps"},
                     .body = WriteCreatePublicIpDetails(details)};
  if (!retry_token.empty()) request.headers.emplace_back("opc-retry-token", retry_token);
  return Read<PublicIp>(request, ParsePublicIp);
}

Result<PublicIp> VirtualNetworkClient::GetPublicIp(const std::string& id) {
  return Read<PublicIp>({.operation = "GetPublicIp", .path = {"publicIps", id}}, ParsePublicIp);
}

Result<PublicIp> VirtualNetworkClient::GetPublicIpByIpAddress(const std::string& ip_address) {
  // A read sent as POST: OCI takes the address in the body (GetPublicIpByIpAddressDetails).
  return Read<PublicIp>({.operation = "GetPublicIpByIpAddress",
                         .method = "POST",
                         .path = {"publicIps", "actions", "getByIpAddress"},
                         .body = WriteGetPublicIpByIpAddressDetails(ip_address)},
                        ParsePublicIp);
}

Result<PublicIp> VirtualNetworkClient::UpdatePublicIp(const std::string& id,
                                                      const UpdatePublicIpDetails& details) {
  return Read<PublicIp>({.operation = "UpdatePublicIp",
                         .method = "PUT",
                         .path = {"publicIps", id},
                         .body = WriteUpdatePublicIpDetails(details)},
                        ParsePublicIp);
}

Status VirtualNetworkClient::DeletePublicIp(const std::string& id) {
  RETURN_IF_ERROR(transport_.Call(
      endpoint_, {.operation = "DeletePublicIp", .method = "DELETE", .path = {"publicIps", id}}, shutdown_));
  return {};
}

Result<std::vector<PublicIp>> VirtualNetworkClient::ListReservedPublicIps(
    const std::string& compartment_id) {
  OciRequest request{
      .operation = "ListPublicIps",
      .path = {"publicIps"},
      .query = {{"scope", "REGION"}, {"compartmentId", compartment_id}, {"lifetime", "RESERVED"}}};
  return ListAllPages<PublicIp>(transport_, endpoint_, std::move(request), ParsePublicIpList,
                                shutdown_);
}

Result<PublicIpPool> VirtualNetworkClient::GetPublicIpPool(const std::string& id) {
  return Read<PublicIpPool>({.operation = "GetPublicIpPool", .path = {"publicIpPools", id}},
                            ParsePublicIpPool);
}

Result<std::vector<PrivateIp>> VirtualNetworkClient::ListPrivateIpsByAddress(
    const std::string& ip_address, const std::string& subnet_id) {
  OciRequest request{.operation = "ListPrivateIps",
                     .path = {"privateIps"},
                     .query = {{"ipAddress", ip_address}, {"subnetId", subnet_id}}};
  return ListAllPages<PrivateIp>(transport_, endpoint_, std::move(request), ParsePrivateIpList,
                                 shutdown_);
}

Result<std::vector<PrivateIp>> VirtualNetworkClient::ListPrivateIpsOfVnic(
    const std::string& vnic_id) {
  OciRequest request{
      .operation = "ListPrivateIps", .path = {"privateIps"}, .query = {{"vnicId", vnic_id}}};
  return ListAllPages<PrivateIp>(transport_, endpoint_, std::move(request), ParsePrivateIpList,
                                 shutdown_);
}

Result<PrivateIp> VirtualNetworkClient::GetPrivateIp(const std::string& id) {
  return Read<PrivateIp>({.operation = "GetPrivateIp", .path = {"privateIps", id}}, ParsePrivateIp);
}

Result<Subnet> VirtualNetworkClient::GetSubnet(const std::string& id) {
  return Read<Subnet>({.operation = "GetSubnet", .path = {"subnets", id}}, ParseSubnet);
}

}  // namespace ccm::oci
