#include "pkg/cloud/registrar/load_balancer_access.h"

#include <algorithm>

#include "pkg/cloud/registrar/registrar_reasons.h"
#include "pkg/kube/client/secrets.h"

namespace ccm::cloud::registrar {
namespace {

// What lets the controller read Secrets in `ns`: the shipped ClusterRole, bound there.
std::string SecretReaderBindingHint(const std::string& ns) {
  return "a RoleBinding in " + ns +
         " to the ClusterRole system:oci-lb-registrar-ccm:secret-reader for the controller's ServiceAccount "
         "(deploy/kubernetes/rbac.yaml)";
}

const ApiKeyRef* KeyOf(const std::vector<SourceState>& sources) {
  for (bool deleting : {false, true}) {
    for (const auto& s : sources) {
      if (s.kind != SourceKind::kLBRegistrar || s.deleting != deleting) continue;
      for (const auto& b : s.bindings) {
        if (b.api_key) return &*b.api_key;
      }
    }
  }
  return nullptr;
}

std::unexpected<AccessProblem> Problem(const char* reason, Error error) {
  return std::unexpected(AccessProblem{.reason = reason, .error = std::move(error)});
}

}  // namespace

bool UsesControllerIdentity(const SourceState& s) {
  if (s.kind == SourceKind::kService) return true;
  return std::none_of(s.bindings.begin(), s.bindings.end(), [](const Binding& b) { return b.api_key.has_value(); });
}

LoadBalancerAccess::LoadBalancerAccess(kube::RestClient& client, BackendSetApiResolver& apis, AccessPolicy policy)
    : client_(client), apis_(apis), policy_(std::move(policy)) {}

std::expected<oci::BackendSetApi*, AccessProblem> LoadBalancerAccess::ApiFor(const std::string& lb_id,
                                                                            const std::vector<SourceState>& sources) {
  const ApiKeyRef* key = KeyOf(sources);
  if (key == nullptr) {
    auto api = apis_.For(lb_id, nullptr);
    if (!api) return Problem(kReasonCredentialsError, api.error());
    return *api;
  }
  if (!policy_.secret_namespaces.contains(key->secret_namespace)) {
    std::string allowed;
    for (const auto& ns : policy_.secret_namespaces) allowed += (allowed.empty() ? "" : ", ") + ns;
    return Problem(kReasonSecretNamespaceNotAllowed,
                   MakeError(ErrorKind::kForbidden,
                             "spec.apiKey.privateKey.namespace: Secrets may only be read from " + allowed + " (not " +
                                 key->secret_namespace + "); add " + key->secret_namespace +
                                 " to --registrar-secret-namespaces and " +
                                 SecretReaderBindingHint(key->secret_namespace) + ", or move the Secret"));
  }
  auto pem = kube::GetSecretKey(client_, key->secret_namespace, key->secret_name, key->secret_key);
  if (!pem) {
    std::string what = "spec.apiKey.privateKey.secretKeyRef " + key->secret_namespace + "/" + key->secret_name +
                       " key " + key->secret_key;
    if (pem.error().kind == ErrorKind::kForbidden) what += " (" + SecretReaderBindingHint(key->secret_namespace) + ")";
    return Problem(pem.error().kind == ErrorKind::kNotFound ? kReasonSecretNotFound : kReasonSecretUnreadable,
                   pem.error().Wrap(what));
  }
  ApiKeyMaterial material{.ref = *key, .private_key_pem = std::move(*pem)};
  auto api = apis_.For(lb_id, &material);
  if (!api) return Problem(kReasonInvalidApiKey, api.error());
  return *api;
}

bool LoadBalancerAccess::MayUseControllerIdentity(const std::string& lb_id, const std::string& compartment) const {
  if (policy_.allowed_load_balancers.contains(lb_id)) return true;
  return !compartment.empty() && policy_.allowed_compartments.contains(compartment);
}

bool LoadBalancerAccess::NeedsCompartment(const std::string& lb_id) const {
  return !policy_.allowed_load_balancers.contains(lb_id) && !policy_.allowed_compartments.empty();
}

std::string LoadBalancerAccess::NotAllowedMessage(const SourceState& s, const std::string& lb_id) const {
  const bool service = s.kind == SourceKind::kService;
  return std::string(service ? "annotated Services" : "LBRegistrars without spec.apiKey") +
         " use the controller's own OCI identity and may not target load balancer " + lb_id +
         ": add it (or its compartment) to registrar.allowedLoadBalancers / allowedCompartments in the cloud-config" +
         (service ? "" : ", or give the LBRegistrar its own spec.apiKey");
}

}  // namespace ccm::cloud::registrar
