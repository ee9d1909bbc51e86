#include "pkg/oci/clients/load_balancer_client.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/clients/paging.h"
#include "pkg/oci/clients/response_util.h"

namespace ccm::oci {
namespace {

std::vector<std::string> SetPath(const std::string& lb, const std::string& set) {
  return {"loadBalancers", lb, "backendSets", set};
}

std::vector<std::string> BackendsPath(const std::string& lb, const std::string& set) {
  return {"loadBalancers", lb, "backendSets", set, "backends"};
}

}  // namespace

Result<std::string> LoadBalancerClient::Mutate(OciRequest request) {
  ASSIGN_OR_RETURN(auto response, Call(request));
  return WorkRequestIdOf(request.operation, response);
}

Result<LoadBalancer> LoadBalancerClient::GetLoadBalancer(const std::string& lb) {
  // The model keeps backend-set names only; each set's backends are dropped as they stream in.
  ASSIGN_OR_RETURN(auto response,
                   Call({.operation = "GetLoadBalancer", .path = {"loadBalancers", lb}, .elide_member = "backends"}));
  return Annotate(ParseLoadBalancer(response.body), "GetLoadBalancer", response);
}

Result<LbBackendSet> LoadBalancerClient::GetBackendSet(const std::string& lb, const std::string& set) {
  ASSIGN_OR_RETURN(auto response, Call({.operation = "GetBackendSet", .path = SetPath(lb, set)}));
  auto parsed = Annotate(ParseLbBackendSet(response.body), "GetBackendSet", response);
  if (parsed) parsed->etag = response.Header("etag");
  return parsed;
}

Result<std::string> LoadBalancerClient::UpdateBackendSet(const std::string& lb, const LbBackendSet& set) {
  OciRequest request{.operation = "UpdateBackendSet", .method = "PUT", .path = SetPath(lb, set.name),
                     .body = LbUpdateBackendSetBody(set)};
  if (!set.etag.empty()) request.headers.emplace_back("if-match", set.etag);
  return Mutate(std::move(request));
}

Result<std::vector<LbBackend>> LoadBalancerClient::ListBackends(const std::string& lb, const std::string& set) {
  ASSIGN_OR_RETURN(auto response, Call({.operation = "ListBackends", .path = BackendsPath(lb, set)}));
  return Annotate(ParseLbBackendList(response.body), "ListBackends", response);
}

Result<std::string> LoadBalancerClient::CreateBackend(const std::string& lb, const std::string& set,
                                                      const LbBackend& backend) {
  return Mutate({.operation = "CreateBackend", .method = "POST", .path = BackendsPath(lb, set),
                 .body = LbCreateBackendBody(backend)});
}

Result<std::string> LoadBalancerClient::UpdateBackend(const std::string& lb, const std::string& set,
                                                      const LbBackend& backend) {
  auto path = BackendsPath(lb, set);
  path.push_back(backend.name.empty() ? backend.ip_address + ":" + std::to_string(backend.port) : backend.name);
  return Mutate({.operation = "UpdateBackend", .method = "PUT", .path = std::move(path),
                 .body = LbUpdateBackendBody(backend)});
}

Result<std::string> LoadBalancerClient::DeleteBackend(const std::string& lb, const std::string& set,
                                                      const std::string& backend_name) {
  auto path = BackendsPath(lb, set);
  path.push_back(backend_name);
  return Mutate({.operation = "DeleteBackend", .method = "DELETE", .path = std::move(path)});
}

Result<LbWorkRequest> LoadBalancerClient::GetWorkRequest(const std::string& id) {
  ASSIGN_OR_RETURN(auto response, Call({.operation = "GetWorkRequest", .path = {"loadBalancerWorkRequests", id}}));
  return Annotate(ParseLbWorkRequest(response.body), "GetWorkRequest", response);
}

Result<std::vector<LbWorkRequest>> LoadBalancerClient::ListWorkRequests(const std::string& lb) {
  return ListAllPages<LbWorkRequest>(
      transport_, endpoint_, {.operation = "ListWorkRequests", .path = {"loadBalancers", lb, "workRequests"}},
      ParseLbWorkRequestList, shutdown_);
}

}  // namespace ccm::oci
