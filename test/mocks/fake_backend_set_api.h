// An in-memory BackendSetApi with OCI's write rules: writes return a work request that
// completes when the test says (or at once with auto_complete), a write while another is in
// flight gets 409, and calls are counted. For unit tests of the registrar.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/oci/clients/backend_set_api.h"

namespace ccm::testing {

class FakeBackendSetApi final : public oci::BackendSetApi {
 public:
  explicit FakeBackendSetApi(oci::LoadBalancerKind kind = oci::LoadBalancerKind::kLoadBalancer) : kind_(kind) {}

  void AddLoadBalancer(const std::string& lb_id, const std::vector<std::string>& sets,
                       const std::vector<std::string>& ips = {"203.0.113.10"});
  void SetBackends(const std::string& lb_id, const std::string& set, std::vector<oci::BackendInfo> backends);
  void SetCompartment(const std::string& lb_id, const std::string& compartment_id);
  std::vector<oci::BackendInfo> Backends(const std::string& lb_id, const std::string& set);

  // Completes every pending work request (applying its change) or fails it.
  void CompleteAll();
  void FailAll(const std::string& message);
  bool auto_complete = false;
  // Next call of this operation returns this error (once).
  void FailNext(const std::string& operation, Error error);

  int calls(const std::string& operation) const;
  int writes() const;

  oci::LoadBalancerKind kind() const override { return kind_; }
  Result<oci::LoadBalancerInfo> GetLoadBalancer(const std::string& lb_id) override;
  Result<oci::BackendSetInfo> GetBackendSet(const std::string& lb_id, const std::string& set) override;
  Result<std::string> ReplaceBackends(const std::string& lb_id, const std::string& set,
                                      const std::vector<oci::BackendSpec>& desired,
                                      oci::BackendSetInfo* read = nullptr) override;
  // Called between the read and the write of ReplaceBackends (tests race a hand edit in).
  std::function<void()> before_replace;
  Result<std::string> CreateBackend(const std::string& lb_id, const std::string& set,
                                    const oci::BackendSpec& backend) override;
  Result<std::string> UpdateBackend(const std::string& lb_id, const std::string& set,
                                    const oci::BackendSpec& backend) override;
  Result<std::string> DeleteBackend(const std::string& lb_id, const std::string& set,
                                    const std::string& backend_name) override;
  Result<oci::WorkRequestState> GetWorkRequest(const std::string& work_request_id) override;
  // True while any work request on the load balancer is pending, whoever submitted it.
  Result<bool> WorkInFlight(const oci::LoadBalancerInfo& lb) override;

 private:
  struct Pending {
    std::string lb, set;
    std::vector<oci::BackendInfo> after;
  };
  Result<std::string> Submit(const std::string& op, const std::string& lb, const std::string& set,
                             std::vector<oci::BackendInfo> after);
  std::optional<Error> Injected(const std::string& op);
  static oci::BackendInfo FromSpec(const oci::BackendSpec& s, const oci::BackendInfo* current);

  oci::LoadBalancerKind kind_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<std::string>> lbs_;
  std::map<std::string, std::vector<std::string>> ips_;
  std::map<std::string, std::string> compartments_;
  std::map<std::pair<std::string, std::string>, std::vector<oci::BackendInfo>> sets_;
  std::map<std::string, Pending> pending_;                     // wr -> change
  std::map<std::string, oci::WorkRequestState> done_;          // wr -> final state
  std::map<std::string, int> calls_;
  std::map<std::string, Error> inject_;
  int next_wr_ = 1;
};

}  // namespace ccm::testing
