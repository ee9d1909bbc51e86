// Load Balancer API (20170115): the calls the registrar makes. LoadBalancerApi is the seam
// (mock it in controller tests); LoadBalancerClient talks HTTP through OciTransport.
// Mutating calls return the work request id (header opc-work-request-id).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/oci/models/load_balancer_models.h"
#include "pkg/oci/transport/oci_transport.h"

namespace ccm::oci {

class LoadBalancerApi {
 public:
  virtual ~LoadBalancerApi() = default;
  virtual Result<LoadBalancer> GetLoadBalancer(const std::string& load_balancer_id) = 0;
  virtual Result<LbBackendSet> GetBackendSet(const std::string& load_balancer_id,
                                             const std::string& backend_set_name) = 0;
  // PUT of the whole set (name from `set.name`); sends if-match when `set.etag` is set.
  virtual Result<std::string> UpdateBackendSet(const std::string& load_balancer_id, const LbBackendSet& set) = 0;
  virtual Result<std::vector<LbBackend>> ListBackends(const std::string& load_balancer_id,
                                                      const std::string& backend_set_name) = 0;
  virtual Result<std::string> CreateBackend(const std::string& load_balancer_id,
                                            const std::string& backend_set_name, const LbBackend& backend) = 0;
  // Addresses the backend by `backend.name` ("ip:port").
  virtual Result<std::string> UpdateBackend(const std::string& load_balancer_id,
                                            const std::string& backend_set_name, const LbBackend& backend) = 0;
  virtual Result<std::string> DeleteBackend(const std::string& load_balancer_id,
                                            const std::string& backend_set_name,
                                            const std::string& backend_name) = 0;
  virtual Result<LbWorkRequest> GetWorkRequest(const std::string& work_request_id) = 0;
  virtual Result<std::vector<LbWorkRequest>> ListWorkRequests(const std::string& load_balancer_id) = 0;
};

class LoadBalancerClient final : public LoadBalancerApi {
 public:
  // `shutdown`, when set, aborts retries and rate-limit waits of every call.
  LoadBalancerClient(OciTransport& transport, Endpoint endpoint,
                     const std::atomic<bool>* shutdown = nullptr)
      : transport_(transport), endpoint_(std::move(endpoint)), shutdown_(shutdown) {}

  Result<LoadBalancer> GetLoadBalancer(const std::string& load_balancer_id) override;
  Result<LbBackendSet> GetBackendSet(const std::string& load_balancer_id,
                                     const std::string& backend_set_name) override;
  Result<std::string> UpdateBackendSet(const std::string& load_balancer_id, const LbBackendSet& set) override;
  Result<std::vector<LbBackend>> ListBackends(const std::string& load_balancer_id,
                                              const std::string& backend_set_name) override;
  Result<std::string> CreateBackend(const std::string& load_balancer_id, const std::string& backend_set_name,
                                    const LbBackend& backend) override;
  Result<std::string> UpdateBackend(const std::string& load_balancer_id, const std::string& backend_set_name,
                                    const LbBackend& backend) override;
  Result<std::string> DeleteBackend(const std::string& load_balancer_id, const std::string& backend_set_name,
                                    const std::string& backend_name) override;
  Result<LbWorkRequest> GetWorkRequest(const std::string& work_request_id) override;
  Result<std::vector<LbWorkRequest>> ListWorkRequests(const std::string& load_balancer_id) override;

 private:
  Result<HttpResponse> Call(OciRequest request) { return transport_.Call(endpoint_, request, shutdown_); }
  Result<std::string> Mutate(OciRequest request);

  OciTransport& transport_;
  Endpoint endpoint_;
  const std::atomic<bool>* shutdown_;
};

}  // namespace ccm::oci
