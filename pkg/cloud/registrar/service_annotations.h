// Annotated Services: a NodePort or LoadBalancer Service opts in with annotations naming a
// load balancer and a backend set per Service port. Keys are documented in
// docs/annotations.md; every malformed value is reported by its annotation key.
#pragma once

#include <map>
#include <string>

#include "pkg/cloud/registrar/lbregistrar_spec.h"

namespace ccm::cloud::registrar {

inline constexpr char kAnnotationPrefix[] = "nodes.peppy-ratio.dev/";
inline constexpr char kAnnotationLoadBalancerId[] = "nodes.peppy-ratio.dev/load-balancer-id";
inline constexpr char kAnnotationBackendSets[] = "nodes.peppy-ratio.dev/backend-sets";
inline constexpr char kAnnotationWeight[] = "nodes.peppy-ratio.dev/weight";
inline constexpr char kAnnotationNodeSelector[] = "nodes.peppy-ratio.dev/node-selector";
inline constexpr char kAnnotationFilterByEndpoints[] = "nodes.peppy-ratio.dev/filter-by-endpoints";
inline constexpr char kAnnotationExclusive[] = "nodes.peppy-ratio.dev/exclusive";
inline constexpr char kAnnotationAllowEmpty[] = "nodes.peppy-ratio.dev/allow-empty";
inline constexpr char kAnnotationAdoptExisting[] = "nodes.peppy-ratio.dev/adopt-existing";

// True when the Service asks to be registered (has the load-balancer-id annotation).
bool HasRegistrarAnnotations(const std::map<std::string, std::string>& annotations);
// True when any annotation carries this controller's prefix: one without the opt-in
// annotation (a misspelt load-balancer-id) is reported rather than silently ignored.
bool MentionsRegistrar(const std::map<std::string, std::string>& annotations);

// Bindings for one Service. `service_type` must be NodePort or LoadBalancer.
ParsedSpec ParseServiceAnnotations(const std::string& namespace_name, const std::string& name,
                                   const std::string& service_type,
                                   const std::map<std::string, std::string>& annotations);

}  // namespace ccm::cloud::registrar
