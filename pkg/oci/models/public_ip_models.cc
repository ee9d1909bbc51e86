#include "pkg/oci/models/public_ip_models.h"

#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"
#include "pkg/oci/models/json_writer.h"

namespace ccm::oci {
namespace {

Result<FreeformTags> ParseTags(const json::Value& obj, std::string_view path) {
  FreeformTags tags;
  ASSIGN_OR_RETURN(const json::Value* t, json::Object(obj, "freeformTags", path));
  if (t == nullptr) return tags;
  for (const auto& m : t->GetObject()) {
    if (!m.value.IsString()) {
      return Fail(ErrorKind::kMalformedResponse,
                  FieldPath(path, "freeformTags") + " values must be strings");
    }
    tags.emplace(std::string(m.name.GetString(), m.name.GetStringLength()),
                 std::string(m.value.GetString(), m.value.GetStringLength()));
  }
  return tags;
}

std::string TagsJson(const FreeformTags& tags) {
  JsonObjectWriter w;
  for (const auto& [k, v] : tags) w.String(k, v);
  return std::move(w).Finish();
}

Result<PublicIp> ParsePublicIpObject(const json::Value& obj, std::string_view path) {
  if (!obj.IsObject())
    return Fail(ErrorKind::kMalformedResponse,
                "public IP " + std::string(path) + " must be an object");
  PublicIp p;
  ASSIGN_OR_RETURN(p.id, json::String(obj, "id", path, true));
  ASSIGN_OR_RETURN(p.ip_address, json::String(obj, "ipAddress", path));
  ASSIGN_OR_RETURN(p.compartment_id, json::String(obj, "compartmentId", path));
  ASSIGN_OR_RETURN(p.display_name, json::String(obj, "displayName", path));
  ASSIGN_OR_RETURN(p.lifetime, json::String(obj, "lifetime", path));
  ASSIGN_OR_RETURN(p.lifecycle_state, json::String(obj, "lifecycleState", path, true));
  ASSIGN_OR_RETURN(p.scope, json::String(obj, "scope", path));
  ASSIGN_OR_RETURN(p.private_ip_id, json::String(obj, "privateIpId", path));
  ASSIGN_OR_RETURN(p.public_ip_pool_id, json::String(obj, "publicIpPoolId", path));
  ASSIGN_OR_RETURN(p.freeform_tags, ParseTags(obj, path));
  return p;
}

Result<PrivateIp> ParsePrivateIpObject(const json::Value& obj, std::string_view path) {
  if (!obj.IsObject())
    return Fail(ErrorKind::kMalformedResponse,
                "private IP " + std::string(path) + " must be an object");
  PrivateIp p;
  ASSIGN_OR_RETURN(p.id, json::String(obj, "id", path, true));
  ASSIGN_OR_RETURN(p.ip_address, json::String(obj, "ipAddress", path));
  ASSIGN_OR_RETURN(p.subnet_id, json::String(obj, "subnetId", path));
  ASSIGN_OR_RETURN(p.vnic_id, json::String(obj, "vnicId", path));
  ASSIGN_OR_RETURN(p.is_primary, json::Bool(obj, "isPrimary", path));
  return p;
}

}  // namespace

bool PublicIp::InTransition() const {
  return lifecycle_state == kPublicIpProvisioning || lifecycle_state == kPublicIpAssigning ||
         lifecycle_state == kPublicIpUnassigning || lifecycle_state == kPublicIpTerminating;
}

std::string WriteCreatePublicIpDetails(const CreatePublicIpDetails& d) {
  JsonObjectWriter w;
  w.String("compartmentId", d.compartment_id).String("lifetime", d.lifetime);
  if (!d.display_name.empty()) w.String("displayName", d.display_name);
  if (!d.freeform_tags.empty()) w.Raw("freeformTags", TagsJson(d.freeform_tags));
  if (!d.private_ip_id.empty()) w.String("privateIpId", d.private_ip_id);
  if (!d.public_ip_pool_id.empty()) w.String("publicIpPoolId", d.public_ip_pool_id);
  return std::move(w).Finish();
}

std::string WriteUpdatePublicIpDetails(const UpdatePublicIpDetails& d) {
  JsonObjectWriter w;
  if (d.display_name) w.String("displayName", *d.display_name);
  if (d.freeform_tags) w.Raw("freeformTags", TagsJson(*d.freeform_tags));
  if (d.private_ip_id) w.String("privateIpId", *d.private_ip_id);
  return std::move(w).Finish();
}

std::string WriteGetPublicIpByIpAddressDetails(std::string_view ip_address) {
  JsonObjectWriter w;
  w.String("ipAddress", ip_address);
  return std::move(w).Finish();
}

Result<PublicIp> ParsePublicIp(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "PublicIp response"));
  return ParsePublicIpObject(doc, "");
}

Result<std::vector<PublicIp>> ParsePublicIpList(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "ListPublicIps response", true));
  std::vector<PublicIp> out;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    ASSIGN_OR_RETURN(PublicIp p, ParsePublicIpObject(doc[i], IndexPath("", i)));
    out.push_back(std::move(p));
  }
  return out;
}

Result<PrivateIp> ParsePrivateIp(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "PrivateIp response"));
  return ParsePrivateIpObject(doc, "");
}

Result<std::vector<PrivateIp>> ParsePrivateIpList(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "ListPrivateIps response", true));
  std::vector<PrivateIp> out;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    ASSIGN_OR_RETURN(PrivateIp p, ParsePrivateIpObject(doc[i], IndexPath("", i)));
    out.push_back(std::move(p));
  }
  return out;
}

Result<Subnet> ParseSubnet(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "Subnet response"));
  Subnet s;
  ASSIGN_OR_RETURN(s.id, json::String(doc, "id", "", true));
  ASSIGN_OR_RETURN(s.cidr_block, json::String(doc, "cidrBlock", ""));
  ASSIGN_OR_RETURN(s.prohibit_public_ip_on_vnic,
                           json::Bool(doc, "prohibitPublicIpOnVnic", ""));
  return s;
}

Result<PublicIpPool> ParsePublicIpPool(std::string_view body) {
  ASSIGN_OR_RETURN(json::Document doc, ParseBody(body, "PublicIpPool response"));
  PublicIpPool p;
  ASSIGN_OR_RETURN(p.id, json::String(doc, "id", "", true));
  ASSIGN_OR_RETURN(p.compartment_id, json::String(doc, "compartmentId", ""));
  ASSIGN_OR_RETURN(p.cidr_blocks, StringArray(doc, "cidrBlocks", ""));
  return p;
}

}  // namespace ccm::oci
