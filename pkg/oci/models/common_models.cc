#include "pkg/oci/models/common_models.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/models/json_writer.h"

namespace ccm::oci {

Result<std::vector<IpAddress>> ParseIpAddresses(const json::Value& obj, std::string_view path) {
  std::vector<IpAddress> out;
  ASSIGN_OR_RETURN(const json::Value* arr, json::Array(obj, "ipAddresses", path));
  if (arr == nullptr) return out;
  const std::string base = FieldPath(path, "ipAddresses");
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    const std::string p = IndexPath(base, i);
    const auto& item = (*arr)[i];
    if (!item.IsObject()) return Fail(ErrorKind::kMalformedResponse, "field " + p + " must be an object");
    IpAddress ip;
    ASSIGN_OR_RETURN(ip.ip_address, json::String(item, "ipAddress", p, true));
    ASSIGN_OR_RETURN(ip.is_public, json::Bool(item, "isPublic", p));
    out.push_back(std::move(ip));
  }
  return out;
}

Result<std::vector<std::string>> ParseMapKeys(const json::Value& obj, std::string_view field,
                                              std::string_view path) {
  std::vector<std::string> out;
  ASSIGN_OR_RETURN(const json::Value* map, json::Object(obj, field, path));
  if (map == nullptr) return out;
  for (auto it = map->MemberBegin(); it != map->MemberEnd(); ++it) {
    out.emplace_back(it->name.GetString(), it->name.GetStringLength());
  }
  return out;
}

}  // namespace ccm::oci
