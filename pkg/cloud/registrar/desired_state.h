// Desired state is a pure function of cached objects: bindings + nodes + Services +
// EndpointSlices -> the backends each (load balancer, backend set) should hold, and for each
// binding what it resolved to or why it could not. No I/O here; table-tested.
#pragma once

#include <compare>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pkg/cloud/registrar/backend_plan.h"
#include "pkg/cloud/registrar/binding.h"
#include "pkg/cloud/registrar/registrar_reasons.h"
#include "pkg/kube/informer/projections.h"

namespace ccm::cloud::registrar {

struct BackendSetKey {
  std::string load_balancer_id;
  std::string backend_set;
  auto operator<=>(const BackendSetKey&) const = default;
  std::string ToString() const { return load_balancer_id + "/" + backend_set; }
};

// Condition reasons a binding can end in (docs/operations.md lists what to do for each).

struct [[nodiscard]] BindingResult {
  std::string source;
  std::string field;
  BackendSetKey target;
  int node_port = 0;
  int backends = 0;
  std::string reason;   // "" when resolved; else one of the kReason* constants
  std::string message;  // what is wrong and what to do
};

struct DesiredBackendSet {
  BackendSetKey key;
  std::vector<DesiredBackend> backends;  // sorted by name
  bool exclusive = false;
  bool adopt_existing = false;  // any binding of the set adopts (Binding::adopt_existing)
  bool allow_empty = false;
  // False when a binding for this set could not be resolved: the writer then adds but never
  // removes, so a missing Service or port never strips a backend set.
  bool inputs_complete = true;
  std::vector<std::string> sources;
  // Set when the caller dropped `backends` because the writer had already verified exactly
  // this set (HashDesired before the drop, and the count); a dropped set is never planned.
  std::optional<size_t> dropped_hash;
  int dropped_count = 0;
  int size() const { return dropped_hash ? dropped_count : static_cast<int>(backends.size()); }
};

struct DesiredState {
  std::map<BackendSetKey, DesiredBackendSet> sets;
  std::vector<BindingResult> bindings;  // one per input binding, same order
};

using NodePtr = std::shared_ptr<const kube::Node>;
using ServicePtr = std::shared_ptr<const kube::Service>;
using SlicePtr = std::shared_ptr<const kube::EndpointSlice>;

// Read access to the caches; functions so the controller can serve them from indexed stores.
struct ClusterView {
  std::vector<NodePtr> nodes;
  std::function<ServicePtr(const std::string& namespace_name, const std::string& name)> service;
  std::function<std::vector<SlicePtr>(const std::string& namespace_name, const std::string& name)> endpoint_slices;
};

DesiredState ComputeDesiredState(const std::vector<Binding>& bindings, const ClusterView& view);

// The same, one backend set at a time: `each` receives every set as soon as it is complete,
// so a caller that keeps only what it needs never holds every set's backends at once (50
// sets x 500 nodes is ~4 MB per load balancer). Returns the binding results, grouped by set.
std::vector<BindingResult> ComputeDesiredStatePerSet(const std::vector<Binding>& bindings, const ClusterView& view,
                                                     const std::function<void(DesiredBackendSet&&)>& each);

// Identity of a desired set's content: equal hashes mean the writer has nothing new to plan.
size_t HashDesired(const DesiredBackendSet& set);

// The Service port a binding names; nullptr with `reason`/`message` set when it cannot.
const kube::ServicePort* ResolveServicePort(const kube::Service& service, const PortRef& ref, std::string& reason,
                                            std::string& message);

}  // namespace ccm::cloud::registrar
