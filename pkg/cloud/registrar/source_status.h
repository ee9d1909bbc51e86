// What the registrar tells users: LBRegistrar status (phase, conditions, per-backend-set
// figures), Service load-balancer ingress, and the finalizer that guarantees cleanup.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pkg/cloud/registrar/backend_plan.h"

namespace ccm::cloud::registrar {

inline constexpr char kFinalizer[] = "nodes.peppy-ratio.dev/registrar-cleanup";

struct Condition {
  std::string type;    // Ready, Degraded
  std::string status;  // True, False, Unknown
  std::string reason;
  std::string message;
  int64_t observed_generation = 0;
  std::string last_transition_time;  // RFC 3339
  bool operator==(const Condition&) const = default;
};

struct BackendSetStatus {
  std::string name;
  int registered = 0;
  std::string last_sync_time;
  std::string last_work_request_id;
  bool operator==(const BackendSetStatus&) const = default;
};

struct RegistrarStatus {
  std::string phase;  // PENDING, REGISTERING, READY, ERROR
  int64_t observed_generation = 0;
  int registered_backends = 0;
  std::vector<Condition> conditions;
  std::vector<BackendSetStatus> backend_sets;
  bool operator==(const RegistrarStatus&) const = default;
};

// {"status":{...}} for a merge patch of the status subresource.
std::string RegistrarStatusPatch(const RegistrarStatus& status);

// Keeps lastTransitionTime when a condition's status did not change.
void SetCondition(std::vector<Condition>& conditions, Condition next);

// A JSON merge patch setting metadata.finalizers to `finalizers`, guarded by resourceVersion
// so a concurrent change is a conflict, not a lost update.
std::string FinalizersPatch(const std::vector<std::string>& finalizers, const std::string& resource_version);

// {"status":{"loadBalancer":{"ingress":[{"ip":...}]}}}
std::string IngressPatch(const std::vector<std::string>& ips);

}  // namespace ccm::cloud::registrar
