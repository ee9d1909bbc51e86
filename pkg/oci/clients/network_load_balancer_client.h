// Network Load Balancer API (20200501): the same calls as LoadBalancerApi. Backends are
// named "ip:port" or "targetId:port". Mutating calls return the work request id.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/oci/models/network_load_balancer_models.h"
#include "pkg/oci/transport/oci_transport.h"

namespace ccm::oci {

class NetworkLoadBalancerApi {
 public:
  virtual ~NetworkLoadBalancerApi() = default;
  virtual Result<NetworkLoadBalancer> GetNetworkLoadBalancer(const std::string& nlb_id) = 0;
  virtual Result<NlbBackendSet> GetBackendSet(const std::string& nlb_id, const std::string& backend_set_name) = 0;
  virtual Result<std::string> UpdateBackendSet(const std::string& nlb_id, const NlbBackendSet& set) = 0;
  virtual Result<std::vector<NlbBackend>> ListBackends(const std::string& nlb_id,
                                                       const std::string& backend_set_name) = 0;
  virtual Result<std::string> CreateBackend(const std::string& nlb_id, const std::string& backend_set_name,
                                            const NlbBackend& backend) = 0;
  // Addresses the backend by `backend.name`.
  virtual Result<std::string> UpdateBackend(const std::string& nlb_id, const std::string& backend_set_name,
                                            const NlbBackend& backend) = 0;
  virtual Result<std::string> DeleteBackend(const std::string& nlb_id, const std::string& backend_set_name,
                                            const std::string& backend_name) = 0;
  // Without the errors; see ListWorkRequestErrors.
  virtual Result<NlbWorkRequest> GetWorkRequest(const std::string& work_request_id) = 0;
  virtual Result<std::vector<NlbWorkRequestError>> ListWorkRequestErrors(const std::string& work_request_id) = 0;
};

class NetworkLoadBalancerClient final : public NetworkLoadBalancerApi {
 public:
  NetworkLoadBalancerClient(OciTransport& transport, Endpoint endpoint,
                            const std::atomic<bool>* shutdown = nullptr)
      : transport_(transport), endpoint_(std::move(endpoint)), shutdown_(shutdown) {}

  Result<NetworkLoadBalancer> GetNetworkLoadBalancer(const std::string& nlb_id) override;
  Result<NlbBackendSet> GetBackendSet(const std::string& nlb_id, const std::string& backend_set_name) override;
  Result<std::string> UpdateBackendSet(const std::string& nlb_id, const NlbBackendSet& set) override;
  Result<std::vector<NlbBackend>> ListBackends(const std::string& nlb_id, const std::string& backend_set_name) override;
  Result<std::string> CreateBackend(const std::string& nlb_id, const std::string& backend_set_name,
                                    const NlbBackend& backend) override;
  Result<std::string> UpdateBackend(const std::string& nlb_id, const std::string& backend_set_name,
                                    const NlbBackend& backend) override;
  Result<std::string> DeleteBackend(const std::string& nlb_id, const std::string& backend_set_name,
                                    const std::string& backend_name) override;
  Result<NlbWorkRequest> GetWorkRequest(const std::string& work_request_id) override;
  Result<std::vector<NlbWorkRequestError>> ListWorkRequestErrors(const std::string& work_request_id) override;

 private:
  Result<HttpResponse> Call(OciRequest request) { return transport_.Call(endpoint_, request, shutdown_); }
  Result<std::string> Mutate(OciRequest request);

  OciTransport& transport_;
  Endpoint endpoint_;
  const std::atomic<bool>* shutdown_;
};

}  // namespace ccm::oci
