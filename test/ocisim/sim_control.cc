#include "test/ocisim/sim_control.h"

#include "pkg/base/curl_transport.h"
#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"
#include "test/ocisim/api_types.h"

namespace ccm::ocisim {

SimControl::SimControl(std::string url, std::string ca_pem) : url_(std::move(url)) {
  CurlTransportOptions options;
  options.tls.ca_pem = std::move(ca_pem);
  transport_ = std::make_unique<CurlTransport>(std::move(options));
}

SimControl::~SimControl() = default;

Result<std::string> SimControl::Call(const std::string& method, const std::string& path,
                                     const std::string& body) {
  HttpRequest req;
  req.method = method;
  req.url = url_ + path;
  req.body = body;
  if (!body.empty()) req.headers.emplace_back("content-type", "application/json");
  req.timeout = std::chrono::milliseconds(10000);
  auto resp = transport_->Send(req);
  if (!resp) return Fail(resp.error().Wrap("oci-sim control " + method + " " + path));
  if (resp->status < 200 || resp->status >= 300) {
    Error e = MakeError(resp->status == 404 ? ErrorKind::kNotFound : ErrorKind::kInvalidArgument,
                        "oci-sim control " + method + " " + path + " answered " +
                            std::to_string(resp->status) + ": " + resp->body);
    e.http_status = resp->status;
    return Fail(e);
  }
  return resp->body;
}

namespace {
Status Done(const Result<std::string>& r) {
  if (!r) return Fail(r.error());
  return {};
}
}  // namespace

Status SimControl::ReplaceState(const std::string& s) { return Done(Call("PUT", "/_sim/state", s)); }
Status SimControl::MergeState(const std::string& s) { return Done(Call("POST", "/_sim/state", s)); }
Result<std::string> SimControl::State() { return Call("GET", "/_sim/state"); }

Result<std::string> SimControl::BackendSet(bool network, const std::string& lb_id, const std::string& set) {
  return Call("GET", std::string(network ? "/_sim/networkLoadBalancers/" : "/_sim/loadBalancers/") +
                         UrlEncode(lb_id) + "/backendSets/" + UrlEncode(set));
}

Status SimControl::SetInstanceState(const std::string& id, const std::string& state) {
  std::string body = "{\"lifecycleState\":";
  json::AppendQuoted(body, state);
  return Done(Call("PUT", "/_sim/instances/" + UrlEncode(id) + "/state", body + "}"));
}

Status SimControl::AddKey(const std::string& key_id, const std::string& pem) {
  std::string body = "{\"keyId\":";
  json::AppendQuoted(body, key_id);
  body += ",\"publicKeyPem\":";
  json::AppendQuoted(body, pem);
  return Done(Call("PUT", "/_sim/keys", body + "}"));
}

Status SimControl::SetWorkRequestLatency(int64_t ms) {
  return Done(Call("PUT", "/_sim/config", "{\"workRequestLatencyMs\":" + std::to_string(ms) + "}"));
}

Status SimControl::SetClockOffset(int64_t seconds) {
  return Done(Call("PUT", "/_sim/config", "{\"clockOffsetSeconds\":" + std::to_string(seconds) + "}"));
}

Status SimControl::AddFault(const std::string& f) { return Done(Call("POST", "/_sim/faults", f)); }
Status SimControl::ClearFaults() { return Done(Call("DELETE", "/_sim/faults")); }
Result<std::string> SimControl::Counters() { return Call("GET", "/_sim/counters"); }
Status SimControl::ResetCounters() { return Done(Call("DELETE", "/_sim/counters")); }
Status SimControl::SetImdsIdentity(const std::string& j) { return Done(Call("PUT", "/_sim/imds", j)); }

Result<int64_t> SimControl::CallCount(const std::string& operation, int status, const std::string& service) {
  ASSIGN_OR_RETURN(auto body, Counters());
  ASSIGN_OR_RETURN(auto doc, json::Parse(body, "oci-sim counters"));
  const json::Value* root = doc.IsObject() ? json::Find(doc, "operations") : nullptr;
  if (!service.empty()) {
    const json::Value* services = json::Find(doc, "services");
    root = services == nullptr ? nullptr : json::Find(*services, service);
  }
  const json::Value* op = root == nullptr ? nullptr : json::Find(*root, operation);
  if (op == nullptr) return int64_t{0};
  const json::Value* n = json::Find(*op, status < 0 ? std::string("total") : std::to_string(status));
  return n != nullptr && n->IsInt64() ? n->GetInt64() : int64_t{0};
}

}  // namespace ccm::ocisim
