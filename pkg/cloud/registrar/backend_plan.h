// The pure heart of the writer: given what a backend set should hold, what OCI says it holds,
// and which backends this controller registered, decide the smallest safe change.
//
// Safety rules (docs/design.md):
// - a backend the controller did not register is never changed or removed, unless the
//   binding asked for exclusive ownership, or asked to adopt the backends already present at
//   its nodes (adopt_existing: they are then recorded as registered by this controller);
// - a node is registered at most once per port: an existing backend is the node's whether it
//   was registered by instance (targetId) or by address (BackendMatcher);
// - removal drains first (drain=true) and removes only after the drain period;
// - nothing is removed while inputs are incomplete (caches not synced, a source in error),
//   or when the desired set is empty and the binding did not allow that.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "pkg/kube/informer/interned_string.h"

namespace ccm::cloud::registrar {

// A run holds thousands of these (5 sets x 500 nodes per worker): the instance OCID and node
// name are interned, 8 bytes each instead of a ~130-byte copy.
struct DesiredBackend {
  std::string ip;
  int port = 0;
  int weight = 1;
  kube::InternedString target_id;  // instance OCID (NLB backends)
  kube::InternedString node_name;
  // Identity used to match OCI's backends and in the ownership record: targetId:port for a
  // network load balancer backend registered by instance, else ip:port (OCI's own naming).
  std::string Key() const {
    return std::string(target_id.empty() ? std::string_view(ip) : target_id.view()) + ":" + std::to_string(port);
  }
  bool operator==(const DesiredBackend&) const = default;
};

struct ActualBackend {
  std::string name;  // OCI's name for the backend, used in per-backend calls
  std::string ip;
  int port = 0;
  int weight = 1;
  bool drain = false;
  bool backup = false;
  bool offline = false;
  std::string target_id;
  std::string Key() const { return (target_id.empty() ? ip : target_id) + ":" + std::to_string(port); }
  bool operator==(const ActualBackend&) const = default;
};

// Which existing backends are a desired backend's node at its port. OCI names a backend after
// what registered it: a network load balancer backend added by instance is "targetId:port"
// and comes back carrying the instance's IP too, one added by address (as the Go operator and
// the console do) is "ip:port"; classic backends are by address only. A desired backend
// matches by targetId when both carry one, else by IP, so whichever way a node was registered
// first it is found, and never registered a second time.
class BackendMatcher {
 public:
  explicit BackendMatcher(const std::vector<ActualBackend>& actual);  // `actual` must outlive it
  // Indices into `actual` of the backends that are `d`'s node at d's port, in OCI's order.
  std::vector<size_t> Find(const DesiredBackend& d) const;

 private:
  const std::vector<ActualBackend>& actual_;
  std::unordered_multimap<std::string, size_t> by_target_;  // "targetId:port"
  std::unordered_multimap<std::string, size_t> by_ip_;      // "ip:port", every backend with an IP
};

// How many desired backends are present (and not draining) in `actual`.
int CountRegistered(const std::vector<DesiredBackend>& desired, const std::vector<ActualBackend>& actual);

using WallTime = std::chrono::system_clock::time_point;

// What this controller registered in one backend set; persisted so a restart remembers.
struct Ownership {
  // Backend keys: DesiredBackend::Key of those we registered, ActualBackend::Key of adopted ones.
  std::set<std::string> owned;
  std::map<std::string, WallTime> drain_since;  // owned backends we set draining, and when
  // Bindings' sources that last targeted this set ("LBRegistrar/x", "Service/ns/y"): after a
  // restart they tell a deleted source (deregister) from one merely in error (hold).
  std::set<std::string> sources;
  bool operator==(const Ownership&) const = default;
};

struct PlanInputs {
  std::vector<DesiredBackend> desired;
  std::vector<ActualBackend> actual;
  Ownership ownership;
  bool exclusive = false;
  // Backends already present at a desired node and port that are not in the record become
  // ours (recorded, then managed and removed like those we registered).
  bool adopt_existing = false;
  bool allow_empty = false;
  bool inputs_complete = true;
  std::chrono::seconds drain_period{30};
  WallTime now{};
};

struct BackendChange {
  enum class Kind { kCreate, kUpdate, kDelete };
  Kind kind;
  ActualBackend backend;  // the backend as it should be after the change (or as it was, for kDelete)
};

struct [[nodiscard]] Plan {
  std::vector<BackendChange> changes;
  // The whole backend list after the change, for a single UpdateBackendSet.
  std::vector<ActualBackend> result;
  // Ownership to persist: additions before the write, removals after it succeeds.
  Ownership ownership_before_write;
  Ownership ownership_after_write;
  // Why removals were withheld, if they were ("" when nothing was held back).
  std::string held_reason;
  // Earliest time a pending drain completes; zero when nothing is draining.
  WallTime next_drain_deadline{};
  bool empty() const { return changes.empty(); }
};

Plan PlanBackendSet(const PlanInputs& in);

}  // namespace ccm::cloud::registrar
