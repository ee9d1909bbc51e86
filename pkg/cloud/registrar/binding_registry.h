// Every source's bindings, indexed by load balancer and by referenced Service, so an event is
// routed to the load balancers it affects without scanning. A source whose new spec is
// invalid keeps its last good bindings (frozen) and marks their sets incomplete: a typo in a
// resource never strips a backend set.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "pkg/base/mutex.h"
#include "pkg/cloud/registrar/binding.h"
#include "pkg/cloud/registrar/lbregistrar_spec.h"

namespace ccm::cloud::registrar {

struct SourceState {
  std::string source;  // "LBRegistrar/<name>" or "Service/<ns>/<name>"
  SourceKind kind = SourceKind::kLBRegistrar;
  std::vector<Binding> bindings;       // valid bindings (the last good ones while in error)
  std::vector<SpecProblem> problems;   // the current spec's problems
  std::vector<std::string> notes;
  int64_t generation = 0;
  bool deleting = false;  // being deleted, or opted out: deregister, then drop the finalizer

  bool in_error() const { return !problems.empty(); }
  std::string load_balancer_id() const { return bindings.empty() ? "" : bindings.front().load_balancer_id; }
};

class BindingRegistry {
 public:
  // Replaces a source; returns the load balancers whose desired state may have changed.
  // When `next` has problems and no bindings, the previous bindings are kept (frozen).
  std::set<std::string> Upsert(SourceState next);
  std::set<std::string> Remove(const std::string& source);

  std::vector<SourceState> SourcesFor(const std::string& lb_id) const;
  std::optional<SourceState> Get(const std::string& source) const;
  bool Contains(const std::string& source) const;
  // Load balancers with a binding that reads Service `namespace/name`.
  std::set<std::string> LoadBalancersForService(const std::string& service_key) const;
  std::set<std::string> LoadBalancers() const;

 private:
  void Index(const SourceState& s) REQUIRES(mu_);
  void Unindex(const SourceState& s) REQUIRES(mu_);

  mutable Mutex mu_;
  std::map<std::string, SourceState> sources_ GUARDED_BY(mu_);
  std::map<std::string, std::set<std::string>> by_lb_ GUARDED_BY(mu_);       // lb -> sources
  std::map<std::string, std::set<std::string>> by_service_ GUARDED_BY(mu_);  // ns/name -> sources
};

}  // namespace ccm::cloud::registrar
