// One view of a backend set for the registrar, whichever service hosts it: classic load
// balancers (ocid1.loadbalancer.) and network load balancers (ocid1.networkloadbalancer.)
// differ in field names and work-request shapes, not in what the registrar does with them.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/oci/models/common_models.h"

namespace ccm::oci {

enum class LoadBalancerKind { kLoadBalancer, kNetworkLoadBalancer };

// From the OCID's resource type; kInvalidArgument for anything else.
Result<LoadBalancerKind> LoadBalancerKindOf(std::string_view ocid);

// A desired backend. Unset settings keep the current value of an existing backend and take
// the service default for a new one.
struct BackendSpec {
  // At least one. target_id (network load balancers only): the instance; ip_address beside it
  // is the node's address, used to find a backend registered by IP (a new backend is then
  // registered by instance only, OCI fills in its IP).
  std::string ip_address;
  std::string target_id;
  int64_t port = 0;
  std::optional<int64_t> weight;
  std::optional<bool> backup;
  std::optional<bool> drain;
  std::optional<bool> offline;

  // "ip:port" or "targetId:port": the name OCI gives the backend.
  std::string Name() const;
};

struct BackendInfo {
  std::string name;
  std::string ip_address;
  std::string target_id;
  int64_t port = 0;
  std::optional<int64_t> weight;
  bool backup = false;
  bool drain = false;
  bool offline = false;
};

struct LoadBalancerInfo {
  LoadBalancerKind kind = LoadBalancerKind::kLoadBalancer;
  std::string id;
  std::string display_name;
  std::string compartment_id;
  std::string lifecycle_state;
  std::vector<IpAddress> ip_addresses;
  std::vector<std::string> backend_set_names;
};

// The service's own answer to a backend-set read, with its ETag: a whole-set write that starts
// from it needs no second read, and OCI refuses it (412) if the set changed since the read.
class BackendSetSnapshot {
 public:
  virtual ~BackendSetSnapshot() = default;
};

struct BackendSetInfo {
  std::string name;
  std::string policy;
  std::vector<BackendInfo> backends;
  std::shared_ptr<BackendSetSnapshot> snapshot;  // null from fakes; a write consumes it
};

enum class WorkRequestPhase { kPending, kSucceeded, kFailed, kCanceled };
const char* WorkRequestPhaseName(WorkRequestPhase phase);

struct WorkRequestState {
  std::string id;
  WorkRequestPhase phase = WorkRequestPhase::kPending;
  std::string status;     // the service's own word: IN_PROGRESS, SUCCEEDED, ...
  std::string operation;  // LB `type` / NLB `operationType`
  std::string message;    // LB `message`
  double percent_complete = -1;  // NLB only; -1 when unknown
  std::vector<std::string> errors;  // "code: message", filled for FAILED
};

// Same backends with the same settings, in any order.
bool SameBackends(const std::vector<BackendInfo>& a, const std::vector<BackendInfo>& b);

// Same backends by name with the same `details` (the JSON a write would send), in any order.
// Compares one pair at a time rather than sorted copies of both serialized lists. Backend
// names are unique within a set; were they not, a mismatch only costs one needless write.
template <typename Backend, typename Details>
bool SameBackendDetails(const std::vector<Backend>& a, const std::vector<Backend>& b, Details details) {
  if (a.size() != b.size()) return false;
  auto by_name = [](const std::vector<Backend>& v) {
    std::vector<const Backend*> out;
    out.reserve(v.size());
    for (const auto& x : v) out.push_back(&x);
    std::sort(out.begin(), out.end(), [](const Backend* l, const Backend* r) { return l->name < r->name; });
    return out;
  };
  auto sa = by_name(a);
  auto sb = by_name(b);
  for (size_t i = 0; i < sa.size(); ++i) {
    if (sa[i]->name != sb[i]->name || details(*sa[i]) != details(*sb[i])) return false;
  }
  return true;
}
Error ChangedSinceReadError(const std::string& lb_id, const std::string& set);

class BackendSetApi {
 public:
  virtual ~BackendSetApi() = default;
  virtual LoadBalancerKind kind() const = 0;
  virtual Result<LoadBalancerInfo> GetLoadBalancer(const std::string& lb_id) = 0;
  virtual Result<BackendSetInfo> GetBackendSet(const std::string& lb_id, const std::string& set) = 0;
  // Read-modify-write of the whole backend set so its backends become exactly `desired`;
  // every other published setting of the set (health checker, SSL, session persistence,
  // policy, ...: the fields of OCI's UpdateBackendSetDetails) and the settings of backends that
  // stay are preserved; members a read carries that the request models lack are not sent.
  // A backend in `desired` that names a node already present by the other identity (targetId
  // or IP, network load balancers) keeps the present one. Returns the work
  // request id, or "" when the set already matched and nothing was written.
  // `read`, when given, is the read the caller planned against. With its snapshot the write
  // starts from it (taking it: the snapshot is consumed) and carries its ETag; without one the
  // set is read again and compared. Either
  // way, if someone changed the set in between, nothing is written and the answer is
  // ChangedSinceReadError, so the caller re-plans instead of overwriting that change.
  virtual Result<std::string> ReplaceBackends(const std::string& lb_id, const std::string& set,
                                              const std::vector<BackendSpec>& desired,
                                              BackendSetInfo* read = nullptr) = 0;
  // Single-backend writes; each returns the work request id.
  virtual Result<std::string> CreateBackend(const std::string& lb_id, const std::string& set,
                                            const BackendSpec& backend) = 0;
  // Changes only the settings `backend` sets; the others keep their current values.
  virtual Result<std::string> UpdateBackend(const std::string& lb_id, const std::string& set,
                                            const BackendSpec& backend) = 0;
  virtual Result<std::string> DeleteBackend(const std::string& lb_id, const std::string& set,
                                            const std::string& backend_name) = 0;
  // For FAILED work requests the state includes OCI's error details.
  virtual Result<WorkRequestState> GetWorkRequest(const std::string& work_request_id) = 0;
  // Whether a work request is still running on the load balancer, whoever submitted it, so a
  // writer that starts fresh (after a restart or a leader change) waits for a write it did not
  // see submitted instead of planning against a set about to change. `lb` is GetLoadBalancer's
  // answer. The default (for fakes) knows of none.
  virtual Result<bool> WorkInFlight(const LoadBalancerInfo& lb) {
    (void)lb;
    return false;
  }
};

}  // namespace ccm::oci
