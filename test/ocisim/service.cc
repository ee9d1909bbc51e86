#include "test/ocisim/service.h"

#include <random>
#include <thread>

#include "pkg/base/mutex.h"

namespace ccm::ocisim {
namespace {

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  static const char* kHex = "0123456789ABCDEF";
  std::string id;
  for (int i = 0; i < 32; ++i) id.push_back(kHex[rng() % 16]);
  return id;
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             PathParams& params) {
  if (pattern.size() != segments.size()) return false;
  PathParams out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "{}") {
      out.push_back(segments[i]);
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  params = std::move(out);
  return true;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::multimap<std::string, std::string> ignored;
  ParseTarget(path, out, ignored);
  return out;
}

}  // namespace

SimService::SimService(testing::KeyPair ca) : identity_(std::move(ca)) { AddRoutes(); }

void SimService::AddRoutes() {
  auto lb = [this](std::string method, std::string op, std::string path,
                   ApiResponse (*fn)(SimStore&, LbKind, const CallContext&, const PathParams&)) {
    routes_.push_back({method, "loadbalancer", op, Split("/20170115/loadBalancers/{}" + path),
                       [this, fn](const CallContext& c, const PathParams& p) {
                         return fn(store_, LbKind::kClassic, c, p);
                       }});
    routes_.push_back({method, "networkloadbalancer", op == "GetLoadBalancer" ? "GetNetworkLoadBalancer" : op,
                       Split("/20200501/networkLoadBalancers/{}" + path),
                       [this, fn](const CallContext& c, const PathParams& p) {
                         return fn(store_, LbKind::kNetwork, c, p);
                       }});
  };
  lb("GET", "GetLoadBalancer", "", GetLoadBalancer);
  lb("GET", "GetBackendSet", "/backendSets/{}", GetBackendSet);
  lb("PUT", "UpdateBackendSet", "/backendSets/{}", UpdateBackendSet);
  lb("GET", "GetBackendSetHealth", "/backendSets/{}/health", GetBackendSetHealth);
  lb("GET", "ListBackends", "/backendSets/{}/backends", ListBackends);
  lb("POST", "CreateBackend", "/backendSets/{}/backends", CreateBackend);
  lb("GET", "GetBackend", "/backendSets/{}/backends/{}", GetBackend);
  lb("PUT", "UpdateBackend", "/backendSets/{}/backends/{}", UpdateBackend);
  lb("DELETE", "DeleteBackend", "/backendSets/{}/backends/{}", DeleteBackend);
  auto plain = [this](std::string method, std::string service, std::string op, std::string path,
                      ApiResponse (*fn)(SimStore&, const CallContext&, const PathParams&)) {
    routes_.push_back({method, service, op, Split(path),
                       [this, fn](const CallContext& c, const PathParams& p) { return fn(store_, c, p); }});
  };
  plain("GET", "loadbalancer", "GetWorkRequest", "/20170115/loadBalancerWorkRequests/{}", GetLbWorkRequest);
  plain("GET", "loadbalancer", "ListWorkRequests", "/20170115/loadBalancers/{}/workRequests", ListLbWorkRequests);
  plain("GET", "networkloadbalancer", "GetWorkRequest", "/20200501/workRequests/{}", GetNlbWorkRequest);
  plain("GET", "networkloadbalancer", "ListWorkRequestErrors", "/20200501/workRequests/{}/errors",
        ListNlbWorkRequestErrors);
  plain("GET", "networkloadbalancer", "ListWorkRequests", "/20200501/workRequests", ListNlbWorkRequests);
  plain("GET", "compute", "GetInstance", "/20160918/instances/{}", GetInstance);
  plain("GET", "compute", "ListInstances", "/20160918/instances", ListInstances);
  plain("GET", "compute", "ListVnicAttachments", "/20160918/vnicAttachments", ListVnicAttachments);
  plain("GET", "compute", "GetVnic", "/20160918/vnics/{}", GetVnic);
  // The SDKs' VirtualNetworkClient: fault specs name this service "virtualnetwork".
  const std::string vn = "virtualnetwork";
  plain("POST", vn, "CreatePublicIp", "/20160918/publicIps", CreatePublicIp);
  plain("GET", vn, "ListPublicIps", "/20160918/publicIps", ListPublicIps);
  plain("GET", vn, "GetPublicIp", "/20160918/publicIps/{}", GetPublicIp);
  plain("PUT", vn, "UpdatePublicIp", "/20160918/publicIps/{}", UpdatePublicIp);
  plain("DELETE", vn, "DeletePublicIp", "/20160918/publicIps/{}", DeletePublicIp);
  plain("POST", vn, "GetPublicIpByIpAddress", "/20160918/publicIps/actions/getByIpAddress", GetPublicIpByIpAddress);
  plain("POST", vn, "GetPublicIpByPrivateIpId", "/20160918/publicIps/actions/getByPrivateIpId",
        GetPublicIpByPrivateIpId);
  plain("GET", vn, "GetPublicIpPool", "/20160918/publicIpPools/{}", GetPublicIpPool);
  plain("GET", vn, "ListPrivateIps", "/20160918/privateIps", ListPrivateIps);
  plain("GET", vn, "GetPrivateIp", "/20160918/privateIps/{}", GetPrivateIp);
  plain("GET", vn, "GetSubnet", "/20160918/subnets/{}", GetSubnet);
}

ApiResponse SimService::Handle(const ApiRequest& request) {
  const auto& seg = request.segments;
  if (!seg.empty() && seg[0] == "_sim") return HandleControl(request);

  std::string service, operation;
  std::function<ApiResponse(const CallContext&, const PathParams&)> handler;
  PathParams params;
  enum class Auth { kSignature, kImds, kFederation } auth = Auth::kSignature;
  if (seg.size() >= 2 && seg[0] == "opc" && (seg[1] == "v2" || seg[1] == "v1") && request.method == "GET") {
    service = "imds";
    operation = seg.size() >= 3 && seg[2] == "identity" ? "GetIdentity" : "GetInstanceMetadata";
    auth = Auth::kImds;
  } else if (seg.size() == 2 && seg[0] == "v1" && seg[1] == "x509" && request.method == "POST") {
    service = "auth";
    operation = "X509Federation";
    auth = Auth::kFederation;
  } else {
    for (const auto& route : routes_) {
      if (route.method == request.method && Matches(route.pattern, seg, params)) {
        service = route.service;
        operation = route.operation;
        handler = route.handler;
        break;
      }
    }
  }

  ApiResponse response;
  FaultDecision fault;
  if (service.empty()) {
    service = "unknown";
    operation = "Unknown";
    response = ApiResponse::Error(404, "NotAuthorizedOrNotFound",
                                  "no such API: " + request.method + " " + request.target);
  } else {
    fault = faults_.Decide(service, operation);
    if (fault.latency.count() > 0) std::this_thread::sleep_for(fault.latency);
    std::chrono::system_clock::time_point now;
    {
      MutexLock lock(store_.mu);
      now = store_.WallNowLocked();
    }
    if (fault.drop) {
      response.drop_connection = true;
      response.status = 0;
    } else if (fault.status == 429) {
      response = ApiResponse::Error(429, "TooManyRequests",
                                    fault.message.empty() ? "Too many requests for the tenancy" : fault.message);
      response.SetHeader("retry-after", std::to_string(fault.retry_after.count()));
    } else if (fault.status != 0) {
      static const std::map<int, std::string> kCodes = {
          {500, "InternalServerError"}, {501, "MethodNotImplemented"}, {502, "BadGateway"},
          {503, "ServiceUnavailable"},  {504, "GatewayTimeout"},      {400, "InvalidParameter"},
          {401, "NotAuthenticated"},    {404, "NotAuthorizedOrNotFound"}, {409, "IncorrectState"}};
      auto code = kCodes.find(fault.status);
      response = ApiResponse::Error(fault.status, code == kCodes.end() ? "InternalServerError" : code->second,
                                    fault.message.empty() ? "injected fault" : fault.message);
    } else if (auth == Auth::kImds) {
      response = identity_.HandleImds(request);
    } else if (auth == Auth::kFederation) {
      response = identity_.HandleFederation(request, now, verifier_);
    } else if (VerifyOutcome v = verifier_.Verify(request, now); !v.ok) {
      response = ApiResponse::Error(
          401, "NotAuthenticated",
          "The required information to complete authentication was not provided or was incorrect: " +
              v.failure);
    } else {
      CallContext ctx{request, fault};
      response = handler(ctx, params);
    }
  }
  std::string request_id = request.Header("opc-request-id");
  response.SetHeader("opc-request-id", request_id.empty() ? NewRequestId() : request_id);
  counters_.Record(service, operation, response.drop_connection ? 0 : response.status);
  return response;
}

void SimService::SetWorkRequestLatency(std::chrono::milliseconds latency) {
  MutexLock lock(store_.mu);
  store_.work_request_latency = latency;
}

void SimService::SetPublicIpLatency(std::chrono::milliseconds latency) {
  MutexLock lock(store_.mu);
  store_.public_ip_latency = latency;
}

void SimService::SetClockOffset(std::chrono::seconds offset) {
  MutexLock lock(store_.mu);
  store_.clock_offset = offset;
}

std::string SimService::ConfigJson() {
  MutexLock lock(store_.mu);
  return "{\"workRequestLatencyMs\":" + std::to_string(store_.work_request_latency.count()) +
         ",\"publicIpLatencyMs\":" + std::to_string(store_.public_ip_latency.count()) +
         ",\"clockOffsetSeconds\":" + std::to_string(store_.clock_offset.count()) + "}";
}

}  // namespace ccm::ocisim
