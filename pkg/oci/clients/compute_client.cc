#include "pkg/oci/clients/compute_client.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/clients/paging.h"
#include "pkg/oci/clients/response_util.h"

namespace ccm::oci {

Result<Instance> ComputeClient::GetInstance(const std::string& id) {
  ASSIGN_OR_RETURN(auto response,
                   transport_.Call(endpoint_, {.operation = "GetInstance", .path = {"instances", id}}, shutdown_));
  return Annotate(ParseInstanceBody(response.body), "GetInstance", response);
}

Result<std::vector<Instance>> ComputeClient::ListInstances(const std::string& compartment_id,
                                                           const std::string& display_name) {
  OciRequest request{.operation = "ListInstances", .path = {"instances"}, .query = {{"compartmentId", compartment_id}}};
  if (!display_name.empty()) request.query.emplace_back("displayName", display_name);
  return ListAllPages<Instance>(transport_, endpoint_, std::move(request), ParseInstanceList, shutdown_);
}

Result<std::vector<VnicAttachment>> ComputeClient::ListVnicAttachments(const std::string& compartment_id,
                                                                       const std::string& instance_id) {
  OciRequest request{.operation = "ListVnicAttachments", .path = {"vnicAttachments"},
                     .query = {{"compartmentId", compartment_id}}};
  if (!instance_id.empty()) request.query.emplace_back("instanceId", instance_id);
  return ListAllPages<VnicAttachment>(transport_, endpoint_, std::move(request), ParseVnicAttachmentList, shutdown_);
}

Result<Vnic> ComputeClient::GetVnic(const std::string& id) {
  ASSIGN_OR_RETURN(auto response,
                   transport_.Call(endpoint_, {.operation = "GetVnic", .path = {"vnics", id}}, shutdown_));
  return Annotate(ParseVnic(response.body), "GetVnic", response);
}

}  // namespace ccm::oci
