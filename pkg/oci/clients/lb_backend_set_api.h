// BackendSetApi over the classic Load Balancer API.
#pragma once

#include "pkg/oci/clients/backend_set_api.h"
#include "pkg/oci/clients/load_balancer_client.h"

namespace ccm::oci {

class LbBackendSetApi final : public BackendSetApi {
 public:
  explicit LbBackendSetApi(LoadBalancerApi& api) : api_(api) {}

  LoadBalancerKind kind() const override { return LoadBalancerKind::kLoadBalancer; }
  Result<LoadBalancerInfo> GetLoadBalancer(const std::string& lb_id) override;
  Result<BackendSetInfo> GetBackendSet(const std::string& lb_id, const std::string& set) override;
  Result<std::string> ReplaceBackends(const std::string& lb_id, const std::string& set,
                                      const std::vector<BackendSpec>& desired,
                                      BackendSetInfo* read = nullptr) override;
  Result<std::string> CreateBackend(const std::string& lb_id, const std::string& set,
                                    const BackendSpec& backend) override;
  Result<std::string> UpdateBackend(const std::string& lb_id, const std::string& set,
                                    const BackendSpec& backend) override;
  Result<std::string> DeleteBackend(const std::string& lb_id, const std::string& set,
                                    const std::string& backend_name) override;
  Result<WorkRequestState> GetWorkRequest(const std::string& work_request_id) override;
  Result<bool> WorkInFlight(const LoadBalancerInfo& lb) override;

  // Exposed for tests: the backends list `desired` yields on top of `current`.
  static Result<std::vector<LbBackend>> Merge(const std::vector<LbBackend>& current,
                                              const std::vector<BackendSpec>& desired);

 private:
  LoadBalancerApi& api_;
};

}  // namespace ccm::oci
