// BackendSetApi over the Network Load Balancer API. Backends may be addressed by IP or by
// instance OCID (targetId).
#pragma once

#include "pkg/oci/clients/backend_set_api.h"
#include "pkg/oci/clients/network_load_balancer_client.h"

namespace ccm::oci {

class NlbBackendSetApi final : public BackendSetApi {
 public:
  explicit NlbBackendSetApi(NetworkLoadBalancerApi& api) : api_(api) {}

  LoadBalancerKind kind() const override { return LoadBalancerKind::kNetworkLoadBalancer; }
  Result<LoadBalancerInfo> GetLoadBalancer(const std::string& nlb_id) override;
  Result<BackendSetInfo> GetBackendSet(const std::string& nlb_id, const std::string& set) override;
  Result<std::string> ReplaceBackends(const std::string& nlb_id, const std::string& set,
                                      const std::vector<BackendSpec>& desired,
                                      BackendSetInfo* read = nullptr) override;
  Result<std::string> CreateBackend(const std::string& nlb_id, const std::string& set,
                                    const BackendSpec& backend) override;
  Result<std::string> UpdateBackend(const std::string& nlb_id, const std::string& set,
                                    const BackendSpec& backend) override;
  Result<std::string> DeleteBackend(const std::string& nlb_id, const std::string& set,
                                    const std::string& backend_name) override;
  Result<WorkRequestState> GetWorkRequest(const std::string& work_request_id) override;
  Result<bool> WorkInFlight(const LoadBalancerInfo& lb) override;

  static Result<std::vector<NlbBackend>> Merge(const std::vector<NlbBackend>& current,
                                               const std::vector<BackendSpec>& desired);

 private:
  NetworkLoadBalancerApi& api_;
};

}  // namespace ccm::oci
