// Compute reads: instances, VNIC attachments, VNICs.
#include "test/ocisim/handlers.h"
#include "pkg/base/mutex.h"
#include "test/ocisim/paging.h"

namespace ccm::ocisim {
namespace {

ApiResponse NotFound(const std::string& what) {
  return ApiResponse::Error(404, "NotAuthorizedOrNotFound",
                            what + " not found or you are not authorized to access it");
}

ApiResponse PagedArray(const ApiRequest& r, const std::vector<std::string>& items) {
  PageWindow w;
  ApiResponse error;
  if (!ComputePage(r, items.size(), w, error)) return error;
  ApiResponse resp = ApiResponse::Json(200, JsonArray(items, w.begin, w.end));
  if (!w.next_page.empty()) resp.SetHeader("opc-next-page", w.next_page);
  return resp;
}

ApiResponse WithEtag(const json::Value& v) {
  ApiResponse r = ApiResponse::Json(200, json::Serialize(v));
  r.SetHeader("etag", simjson::Etag(v));
  return r;
}

}  // namespace

ApiResponse GetInstance(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  auto it = s.instances.find(p[0]);
  if (it == s.instances.end()) return NotFound("Instance " + p[0]);
  return WithEtag(it->second);
}

ApiResponse ListInstances(SimStore& s, const CallContext& c, const PathParams&) {
  const ApiRequest& r = c.request;
  if (r.Query("compartmentId").empty()) {
    return ApiResponse::Error(400, "MissingParameter", "compartmentId query parameter is required");
  }
  MutexLock lock(s.mu);
  std::vector<std::string> items;
  for (const auto& [id, inst] : s.instances) {
    if (simjson::GetString(inst, "compartmentId") != r.Query("compartmentId")) continue;
    if (r.HasQuery("displayName") && simjson::GetString(inst, "displayName") != r.Query("displayName")) continue;
    if (r.HasQuery("availabilityDomain") &&
        simjson::GetString(inst, "availabilityDomain") != r.Query("availabilityDomain")) continue;
    if (r.HasQuery("lifecycleState") &&
        simjson::GetString(inst, "lifecycleState") != r.Query("lifecycleState")) continue;
    items.push_back(json::Serialize(inst));
  }
  return PagedArray(r, items);
}

ApiResponse ListVnicAttachments(SimStore& s, const CallContext& c, const PathParams&) {
  const ApiRequest& r = c.request;
  if (r.Query("compartmentId").empty()) {
    return ApiResponse::Error(400, "MissingParameter", "compartmentId query parameter is required");
  }
  MutexLock lock(s.mu);
  std::vector<std::string> items;
  for (const auto& [id, att] : s.attachments) {
    if (simjson::GetString(att, "compartmentId") != r.Query("compartmentId")) continue;
    if (r.HasQuery("instanceId") && simjson::GetString(att, "instanceId") != r.Query("instanceId")) continue;
    if (r.HasQuery("vnicId") && simjson::GetString(att, "vnicId") != r.Query("vnicId")) continue;
    if (r.HasQuery("availabilityDomain") &&
        simjson::GetString(att, "availabilityDomain") != r.Query("availabilityDomain")) continue;
    items.push_back(json::Serialize(att));
  }
  return PagedArray(r, items);
}

ApiResponse GetVnic(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  auto it = s.vnics.find(p[0]);
  if (it == s.vnics.end()) return NotFound("Vnic " + p[0]);
  return WithEtag(it->second);
}

}  // namespace ccm::ocisim
