// Work request reads for both load balancer flavours.
#include <algorithm>

#include "pkg/base/mutex.h"
#include "test/ocisim/handlers.h"
#include "test/ocisim/paging.h"
#include "test/ocisim/signature_verifier.h"

namespace ccm::ocisim {
namespace {

ApiResponse NotFound(const std::string& id) {
  return ApiResponse::Error(404, "NotAuthorizedOrNotFound",
                            "Work request " + id + " not found or you are not authorized to access it");
}

const WorkRequest* Find(const SimStore& s, const std::string& id, LbKind kind) REQUIRES(s.mu) {
  auto it = s.work_requests.find(id);
  if (it == s.work_requests.end() || it->second.kind != kind) return nullptr;
  return &it->second;
}

// Newest first, like OCI's lists.
std::vector<const WorkRequest*> Sorted(const SimStore& s, LbKind kind,
                                       const std::function<bool(const WorkRequest&)>& keep) REQUIRES(s.mu) {
  std::vector<const WorkRequest*> out;
  for (const auto& [id, wr] : s.work_requests) {
    if (wr.kind == kind && keep(wr)) out.push_back(&wr);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->seq > b->seq; });
  return out;
}

ApiResponse Paged(const ApiRequest& r, const std::vector<std::string>& items, bool wrap_items) {
  PageWindow w;
  ApiResponse error;
  if (!ComputePage(r, items.size(), w, error)) return error;
  std::string arr = JsonArray(items, w.begin, w.end);
  ApiResponse resp = ApiResponse::Json(200, wrap_items ? "{\"items\":" + arr + "}" : arr);
  if (!w.next_page.empty()) resp.SetHeader("opc-next-page", w.next_page);
  return resp;
}

}  // namespace

std::string LbWorkRequestJson(const SimStore& s, const WorkRequest& wr) REQUIRES(s.mu) {
  std::string state = s.StateOfLocked(wr);
  std::string out = "{\"id\":";
  json::AppendQuoted(out, wr.id);
  out += ",\"loadBalancerId\":";
  json::AppendQuoted(out, wr.lb_id);
  out += ",\"type\":";
  json::AppendQuoted(out, wr.type);
  out += ",\"compartmentId\":";
  json::AppendQuoted(out, wr.compartment_id);
  out += ",\"lifecycleState\":\"" + state + "\",\"message\":";
  std::string message = state == "SUCCEEDED" ? wr.type + " of " + wr.resource_name + " succeeded"
                        : state == "FAILED"  ? wr.error_message
                                             : wr.type + " of " + wr.resource_name + " is " + state;
  json::AppendQuoted(out, message);
  out += ",\"timeAccepted\":\"" + FormatRfc3339(wr.time_accepted) + "\"";
  if (wr.time_finished) out += ",\"timeFinished\":\"" + FormatRfc3339(*wr.time_finished) + "\"";
  out += ",\"errorDetails\":[";
  if (state == "FAILED") {
    out += "{\"errorCode\":\"INTERNAL_ERROR\",\"message\":";
    json::AppendQuoted(out, wr.error_message);
    out += "}";
  }
  return out + "]}";
}

std::string NlbWorkRequestJson(const SimStore& s, const WorkRequest& wr) REQUIRES(s.mu) {
  std::string state = s.StateOfLocked(wr);
  std::string out = "{\"id\":";
  json::AppendQuoted(out, wr.id);
  out += ",\"operationType\":";
  json::AppendQuoted(out, wr.type);
  out += ",\"status\":\"" + state + "\",\"compartmentId\":";
  json::AppendQuoted(out, wr.compartment_id);
  std::string action = state == "SUCCEEDED" ? "UPDATED" : state == "FAILED" ? "FAILED" : "IN_PROGRESS";
  out += ",\"resources\":[{\"entityType\":\"NetworkLoadBalancer\",\"actionType\":\"" + action +
         "\",\"identifier\":";
  json::AppendQuoted(out, wr.lb_id);
  out += ",\"entityUri\":";
  json::AppendQuoted(out, "/20200501/networkLoadBalancers/" + wr.lb_id);
  double percent = state == "SUCCEEDED" || state == "FAILED" ? 100.0 : state == "IN_PROGRESS" ? 50.0 : 0.0;
  out += "}],\"percentComplete\":" + std::to_string(percent);
  out += ",\"timeAccepted\":\"" + FormatRfc3339(wr.time_accepted) + "\"";
  if (state != "ACCEPTED") {
    out += ",\"timeStarted\":\"" +
           FormatRfc3339(wr.time_accepted + (wr.due - wr.accepted) / 2) + "\"";
  }
  if (wr.time_finished) out += ",\"timeFinished\":\"" + FormatRfc3339(*wr.time_finished) + "\"";
  return out + "}";
}

ApiResponse GetLbWorkRequest(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  const WorkRequest* wr = Find(s, p[0], LbKind::kClassic);
  if (wr == nullptr) return NotFound(p[0]);
  return ApiResponse::Json(200, LbWorkRequestJson(s, *wr));
}

ApiResponse ListLbWorkRequests(SimStore& s, const CallContext& c, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  if (!s.classic.contains(p[0])) {
    return ApiResponse::Error(404, "NotAuthorizedOrNotFound", "LoadBalancer " + p[0] + " not found");
  }
  std::vector<std::string> items;
  for (const WorkRequest* wr : Sorted(s, LbKind::kClassic, [&](const WorkRequest& w) { return w.lb_id == p[0]; })) {
    items.push_back(LbWorkRequestJson(s, *wr));
  }
  return Paged(c.request, items, false);
}

ApiResponse GetNlbWorkRequest(SimStore& s, const CallContext&, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  const WorkRequest* wr = Find(s, p[0], LbKind::kNetwork);
  if (wr == nullptr) return NotFound(p[0]);
  return ApiResponse::Json(200, NlbWorkRequestJson(s, *wr));
}

ApiResponse ListNlbWorkRequestErrors(SimStore& s, const CallContext& c, const PathParams& p) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  const WorkRequest* wr = Find(s, p[0], LbKind::kNetwork);
  if (wr == nullptr) return NotFound(p[0]);
  std::vector<std::string> items;
  if (s.StateOfLocked(*wr) == "FAILED") {
    std::string e = "{\"code\":\"InternalError\",\"message\":";
    json::AppendQuoted(e, wr->error_message);
    e += ",\"timestamp\":\"" + FormatRfc3339(wr->time_finished.value_or(wr->time_accepted)) + "\"}";
    items.push_back(e);
  }
  return Paged(c.request, items, true);
}

ApiResponse ListNlbWorkRequests(SimStore& s, const CallContext& c, const PathParams&) {
  MutexLock lock(s.mu);
  s.SettleLocked();
  std::string compartment = c.request.Query("compartmentId");
  if (compartment.empty()) {
    return ApiResponse::Error(400, "MissingParameter", "compartmentId query parameter is required");
  }
  std::vector<std::string> items;
  for (const WorkRequest* wr : Sorted(s, LbKind::kNetwork, [&](const WorkRequest& w) {
         return w.compartment_id == compartment;
       })) {
    items.push_back(NlbWorkRequestJson(s, *wr));
  }
  return Paged(c.request, items, true);
}

}  // namespace ccm::ocisim
