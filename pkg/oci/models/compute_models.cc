#include "pkg/oci/models/compute_models.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/models/json_writer.h"

namespace ccm::oci {
namespace {

Status RequireObject(const json::Value& obj, std::string_view path) {
  if (obj.IsObject()) return {};
  return Fail(ErrorKind::kMalformedResponse, "field " + std::string(path) + " must be an object");
}

Result<VnicAttachment> ParseVnicAttachment(const json::Value& obj, std::string_view path) {
  RETURN_IF_ERROR(RequireObject(obj, path));
  VnicAttachment a;
  ASSIGN_OR_RETURN(a.id, json::String(obj, "id", path, true));
  ASSIGN_OR_RETURN(a.instance_id, json::String(obj, "instanceId", path, true));
  ASSIGN_OR_RETURN(a.vnic_id, json::String(obj, "vnicId", path));
  ASSIGN_OR_RETURN(a.lifecycle_state, json::String(obj, "lifecycleState", path, true));
  ASSIGN_OR_RETURN(a.subnet_id, json::String(obj, "subnetId", path));
  return a;
}

}  // namespace

Result<Instance> ParseInstance(const json::Value& obj, std::string_view path) {
  RETURN_IF_ERROR(RequireObject(obj, path.empty() ? "instance" : path));
  Instance i;
  ASSIGN_OR_RETURN(i.id, json::String(obj, "id", path, true));
  ASSIGN_OR_RETURN(i.display_name, json::String(obj, "displayName", path));
  ASSIGN_OR_RETURN(i.availability_domain, json::String(obj, "availabilityDomain", path, true));
  ASSIGN_OR_RETURN(i.fault_domain, json::String(obj, "faultDomain", path));
  ASSIGN_OR_RETURN(i.region, json::String(obj, "region", path));
  ASSIGN_OR_RETURN(i.shape, json::String(obj, "shape", path));
  ASSIGN_OR_RETURN(i.lifecycle_state, json::String(obj, "lifecycleState", path, true));
  ASSIGN_OR_RETURN(i.compartment_id, json::String(obj, "compartmentId", path));
  ASSIGN_OR_RETURN(i.time_created, json::String(obj, "timeCreated", path));
  return i;
}

Result<Instance> ParseInstanceBody(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "GetInstance response"));
  return ParseInstance(doc, "");
}

Result<std::vector<Instance>> ParseInstanceList(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "ListInstances response", true));
  std::vector<Instance> out;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    ASSIGN_OR_RETURN(Instance inst, ParseInstance(doc[i], IndexPath("", i)));
    out.push_back(std::move(inst));
  }
  return out;
}

Result<std::vector<VnicAttachment>> ParseVnicAttachmentList(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "ListVnicAttachments response", true));
  std::vector<VnicAttachment> out;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    ASSIGN_OR_RETURN(VnicAttachment a, ParseVnicAttachment(doc[i], IndexPath("", i)));
    out.push_back(std::move(a));
  }
  return out;
}

Result<Vnic> ParseVnic(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "GetVnic response"));
  Vnic v;
  ASSIGN_OR_RETURN(v.id, json::String(doc, "id", "", true));
  ASSIGN_OR_RETURN(v.is_primary, json::Bool(doc, "isPrimary", ""));
  ASSIGN_OR_RETURN(v.private_ip, json::String(doc, "privateIp", ""));
  ASSIGN_OR_RETURN(v.public_ip, json::String(doc, "publicIp", ""));
  ASSIGN_OR_RETURN(v.hostname_label, json::String(doc, "hostnameLabel", ""));
  ASSIGN_OR_RETURN(v.subnet_id, json::String(doc, "subnetId", ""));
  ASSIGN_OR_RETURN(v.lifecycle_state, json::String(doc, "lifecycleState", ""));
  ASSIGN_OR_RETURN(v.ipv6_addresses, StringArray(doc, "ipv6Addresses", ""));
  return v;
}

}  // namespace ccm::oci
