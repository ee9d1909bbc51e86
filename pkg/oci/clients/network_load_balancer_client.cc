#include "pkg/oci/clients/network_load_balancer_client.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/clients/paging.h"
#include "pkg/oci/clients/response_util.h"

namespace ccm::oci {
namespace {

std::vector<std::string> SetPath(const std::string& nlb, const std::string& set) {
  return {"networkLoadBalancers", nlb, "backendSets", set};
}

std::vector<std::string> BackendsPath(const std::string& nlb, const std::string& set) {
  return {"networkLoadBalancers", nlb, "backendSets", set, "backends"};
}

std::string BackendName(const NlbBackend& b) {
  if (!b.name.empty()) return b.name;
  return (b.target_id.empty() ? b.ip_address : b.target_id) + ":" + std::to_string(b.port);
}

}  // namespace

Result<std::string> NetworkLoadBalancerClient::Mutate(OciRequest request) {
  ASSIGN_OR_RETURN(auto response, Call(request));
  return WorkRequestIdOf(request.operation, response);
}

Result<NetworkLoadBalancer> NetworkLoadBalancerClient::GetNetworkLoadBalancer(const std::string& nlb) {
  // The model keeps backend-set names only; each set's backends are dropped as they stream in.
  ASSIGN_OR_RETURN(
      auto response,
      Call({.operation = "GetNetworkLoadBalancer", .path = {"networkLoadBalancers", nlb}, .elide_member = "backends"}));
  return Annotate(ParseNetworkLoadBalancer(response.body), "GetNetworkLoadBalancer", response);
}

Result<NlbBackendSet> NetworkLoadBalancerClient::GetBackendSet(const std::string& nlb, const std::string& set) {
  ASSIGN_OR_RETURN(auto response, Call({.operation = "GetBackendSet", .path = SetPath(nlb, set)}));
  auto parsed = Annotate(ParseNlbBackendSet(response.body), "GetBackendSet", response);
  if (parsed) parsed->etag = response.Header("etag");
  return parsed;
}

Result<std::string> NetworkLoadBalancerClient::UpdateBackendSet(const std::string& nlb, const NlbBackendSet& set) {
  OciRequest request{.operation = "UpdateBackendSet", .method = "PUT", .path = SetPath(nlb, set.name),
                     .body = NlbUpdateBackendSetBody(set)};
  if (!set.etag.empty()) request.headers.emplace_back("if-match", set.etag);
  return Mutate(std::move(request));
}

Result<std::vector<NlbBackend>> NetworkLoadBalancerClient::ListBackends(const std::string& nlb,
                                                                        const std::string& set) {
  return ListAllPages<NlbBackend>(transport_, endpoint_, {.operation = "ListBackends", .path = BackendsPath(nlb, set)},
                                  ParseNlbBackendCollection, shutdown_);
}

Result<std::string> NetworkLoadBalancerClient::CreateBackend(const std::string& nlb, const std::string& set,
                                                             const NlbBackend& backend) {
  return Mutate({.operation = "CreateBackend", .method = "POST", .path = BackendsPath(nlb, set),
                 .body = NlbCreateBackendBody(backend)});
}

Result<std::string> NetworkLoadBalancerClient::UpdateBackend(const std::string& nlb, const std::string& set,
                                                             const NlbBackend& backend) {
  auto path = BackendsPath(nlb, set);
  path.push_back(BackendName(backend));
  return Mutate({.operation = "UpdateBackend", .method = "PUT", .path = std::move(path),
                 .body = NlbUpdateBackendBody(backend)});
}

Result<std::string> NetworkLoadBalancerClient::DeleteBackend(const std::string& nlb, const std::string& set,
                                                             const std::string& backend_name) {
  auto path = BackendsPath(nlb, set);
  path.push_back(backend_name);
  return Mutate({.operation = "DeleteBackend", .method = "DELETE", .path = std::move(path)});
}

Result<NlbWorkRequest> NetworkLoadBalancerClient::GetWorkRequest(const std::string& id) {
  ASSIGN_OR_RETURN(auto response, Call({.operation = "GetWorkRequest", .path = {"workRequests", id}}));
  return Annotate(ParseNlbWorkRequest(response.body), "GetWorkRequest", response);
}

Result<std::vector<NlbWorkRequestError>> NetworkLoadBalancerClient::ListWorkRequestErrors(const std::string& id) {
  return ListAllPages<NlbWorkRequestError>(
      transport_, endpoint_, {.operation = "ListWorkRequestErrors", .path = {"workRequests", id, "errors"}},
      ParseNlbWorkRequestErrors, shutdown_);
}

}  // namespace ccm::oci
