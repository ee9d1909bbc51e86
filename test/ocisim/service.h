// The simulator without networking: routes an ApiRequest through fault injection, signature
// verification and the OCI handlers, and serves the control API under /_sim/. The HTTP
// server (Simulator) and in-process callers share it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "test/ocisim/api_types.h"
#include "test/ocisim/call_counters.h"
#include "test/ocisim/faults.h"
#include "test/ocisim/handlers.h"
#include "test/ocisim/identity.h"
#include "test/ocisim/signature_verifier.h"
#include "test/ocisim/sim_store.h"
#include "test/support/test_pki.h"

namespace ccm::ocisim {

class SimService {
 public:
  // `ca` signs the IMDS identity chain and session tokens.
  explicit SimService(testing::KeyPair ca);

  ApiResponse Handle(const ApiRequest& request);

  // State seeding and inspection, the same as the control API's (JSON bodies alike).
  Status ReplaceState(const std::string& state_json);
  Status MergeState(const std::string& state_json);
  std::string StateJson();
  Status PutLoadBalancer(LbKind kind, const std::string& lb_json);
  Status PutBackendSet(LbKind kind, const std::string& lb_id, const std::string& set_json);
  Status PutInstance(const std::string& instance_json);
  Status SetInstanceState(const std::string& instance_id, const std::string& lifecycle_state);
  Status PutVnic(const std::string& vnic_json);
  Status PutVnicAttachment(const std::string& attachment_json);
  // The backend set as GET returns it, after settling due work requests.
  Result<std::string> BackendSetJson(LbKind kind, const std::string& lb_id, const std::string& set);
  // Sorted backend names of one set, without serializing it (benchmarks poll hundreds of sets).
  Result<std::vector<std::string>> BackendNames(LbKind kind, const std::string& lb_id, const std::string& set);

  void SetWorkRequestLatency(std::chrono::milliseconds latency);
  // How long a public IP stays PROVISIONING / ASSIGNING / UNASSIGNING / TERMINATING.
  void SetPublicIpLatency(std::chrono::milliseconds latency);
  void SetClockOffset(std::chrono::seconds offset);
  std::string ConfigJson();

  SimStore& store() { return store_; }
  FaultInjector& faults() { return faults_; }
  SignatureVerifier& verifier() { return verifier_; }
  Identity& identity() { return identity_; }
  CallCounters& counters() { return counters_; }

 private:
  // A backend set as stored, after pending work requests settled; store_.mu held.
  Result<const json::Value*> SettledBackendSetLocked(LbKind kind, const std::string& lb_id, const std::string& set) REQUIRES(store_.mu);
  struct Route {
    std::string method;
    std::string service;
    std::string operation;
    std::vector<std::string> pattern;  // "{}" matches one segment
    std::function<ApiResponse(const CallContext&, const PathParams&)> handler;
  };
  void AddRoutes();
  ApiResponse HandleControl(const ApiRequest& request);
  Status PutLoadBalancerLocked(LbKind kind, json::Value& lb) REQUIRES(store_.mu);
  Status PutInstanceLocked(json::Value& inst) REQUIRES(store_.mu);
  Status PutVnicLocked(json::Value& vnic) REQUIRES(store_.mu);
  Status PutAttachmentLocked(json::Value& att) REQUIRES(store_.mu);
  Status MergeLocked(json::Value& state) REQUIRES(store_.mu);

  SimStore store_;
  FaultInjector faults_;
  SignatureVerifier verifier_;
  Identity identity_;
  CallCounters counters_;
  std::vector<Route> routes_;
};

}  // namespace ccm::ocisim
