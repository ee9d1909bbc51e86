// Who may write a load balancer, and with which credentials. An LBRegistrar that brings its own
// apiKey acts with that key (read from its Secret, in the namespaces the operator allowed);
// annotated Services and key-less LBRegistrars act with the controller's own OCI identity and
// may only target the load balancers (or compartments) the cloud-config allows: a
// namespace-level permission must not reach every load balancer the controller can write.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/cloud/registrar/backend_set_api_resolver.h"
#include "pkg/cloud/registrar/binding_registry.h"
#include "pkg/kube/rest_client.h"

namespace ccm::cloud::registrar {

struct AccessPolicy {
  // Namespaces an LBRegistrar's apiKey Secret may live in.
  std::set<std::string> secret_namespaces;
  std::set<std::string> allowed_load_balancers;
  std::set<std::string> allowed_compartments;
};

// Why the credentials for a load balancer could not be had: a kReason* constant and the error
// naming the field and what to do.
struct AccessProblem {
  std::string reason;
  Error error;
};

// Annotated Services, and LBRegistrars that bring no apiKey of their own.
bool UsesControllerIdentity(const SourceState& s);

class LoadBalancerAccess {
 public:
  // `client` reads Secrets; both references must outlive this object.
  LoadBalancerAccess(kube::RestClient& client, BackendSetApiResolver& apis, AccessPolicy policy);

  // The API to write `lb_id` with, for the sources bound to it: the first LBRegistrar's own
  // key wins (a deleting one's key still serves its cleanup), else the controller's identity.
  std::expected<oci::BackendSetApi*, AccessProblem> ApiFor(const std::string& lb_id,
                                                           const std::vector<SourceState>& sources);

  // Whether sources using the controller's identity may target `lb_id` in `compartment`.
  bool MayUseControllerIdentity(const std::string& lb_id, const std::string& compartment) const;
  // Whether that answer needs the load balancer's compartment (one OCI read).
  bool NeedsCompartment(const std::string& lb_id) const;
  // The message of kReasonLoadBalancerNotAllowed for `s`.
  std::string NotAllowedMessage(const SourceState& s, const std::string& lb_id) const;

 private:
  kube::RestClient& client_;
  BackendSetApiResolver& apis_;
  const AccessPolicy policy_;
};

}  // namespace ccm::cloud::registrar
