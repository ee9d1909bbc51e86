#include "pkg/cloud/registrar/desired_state.h"

#include <algorithm>
#include <set>

#include "pkg/cloud/registrar/node_eligibility.h"

namespace ccm::cloud::registrar {
namespace {

struct EligibleNode {
  const kube::Node* node;
  std::string_view ip;
  std::string_view instance;
};

// Nodes hosting a ready endpoint of the Service.
std::set<std::string, std::less<>> NodesWithReadyEndpoints(const std::vector<SlicePtr>& slices) {
  std::set<std::string, std::less<>> out;
  for (const auto& slice : slices) {
    for (const auto& ep : slice->endpoints) {
      if (ep.ready && !ep.node_name.empty()) out.emplace(ep.node_name.view());
    }
  }
  return out;
}

}  // namespace

const kube::ServicePort* ResolveServicePort(const kube::Service& service, const PortRef& ref, std::string& reason,
                                            std::string& message) {
  std::string svc = service.namespace_name + "/" + service.name;
  if (ref.empty()) {
    if (service.ports.size() == 1) return &service.ports[0];
    reason = kReasonServicePortRequired;
    message = "Service " + svc + " has " + std::to_string(service.ports.size()) +
              " ports: name the one to register (port name or number)";
    return nullptr;
  }
  for (const auto& p : service.ports) {
    if ((ref.number != 0 && p.port == ref.number) || (!ref.name.empty() && p.name == ref.name)) return &p;
  }
  reason = kReasonServicePortNotFound;
  std::string have;
  for (const auto& p : service.ports) {
    have += (have.empty() ? "" : ", ") + (p.name.empty() ? std::to_string(p.port) : p.name + "/" + std::to_string(p.port));
  }
  message = "Service " + svc + " has no port " + ref.ToString() + " (it has: " + (have.empty() ? "none" : have) + ")";
  return nullptr;
}

DesiredState ComputeDesiredState(const std::vector<Binding>& bindings, const ClusterView& view) {
  DesiredState state;
  // Eligibility does not depend on the binding: decide it once per node.
  std::vector<EligibleNode> eligible;
  eligible.reserve(view.nodes.size());
  for (const auto& n : view.nodes) {
    if (NodeIneligibility(*n) != Ineligible::kNone) continue;
    eligible.push_back({n.get(), InternalIP(*n), InstanceOcid(n->provider_id)});
  }

  // Per set: name -> backend, to merge bindings and detect weight conflicts.
  std::map<BackendSetKey, std::map<std::string, DesiredBackend>> merged;
  for (const auto& b : bindings) {
    BackendSetKey key{b.load_balancer_id, b.backend_set};
    BindingResult result{.source = b.source, .field = b.field, .target = key};
    DesiredBackendSet& set = state.sets[key];
    set.key = key;
    if (std::find(set.sources.begin(), set.sources.end(), b.source) == set.sources.end()) set.sources.push_back(b.source);
    bool first_binding = merged.find(key) == merged.end();
    auto& backends = merged[key];
    set.exclusive = set.exclusive || b.exclusive;
    set.allow_empty = first_binding ? b.allow_empty : (set.allow_empty && b.allow_empty);

    int port = b.node_port;
    bool filter = b.filter_by_endpoints;
    std::set<std::string, std::less<>> endpoint_nodes;
    if (b.service) {
      const auto& target = *b.service;
      ServicePtr svc = view.service ? view.service(target.namespace_name, target.name) : nullptr;
      if (!svc) {
        result.reason = kReasonServiceNotFound;
        result.message = "Service " + target.namespace_name + "/" + target.name + " not found";
      } else if (const auto* sp = ResolveServicePort(*svc, target.port, result.reason, result.message); sp) {
        if (sp->node_port == 0) {
          result.reason = kReasonNoNodePort;
          result.message = "Service " + target.namespace_name + "/" + target.name + " port " + target.port.ToString() +
                           " has no nodePort: use type NodePort or LoadBalancer";
        } else {
          port = sp->node_port;
          filter = filter || svc->external_traffic_policy == std::string_view("Local");
          if (filter && view.endpoint_slices) {
            endpoint_nodes = NodesWithReadyEndpoints(view.endpoint_slices(target.namespace_name, target.name));
          }
        }
      }
    }
    result.node_port = port;
    if (!result.reason.empty() || port == 0) {
      set.inputs_complete = false;
      state.bindings.push_back(std::move(result));
      continue;
    }
    bool nlb = IsNetworkLoadBalancerOcid(b.load_balancer_id);
    for (const auto& e : eligible) {
      if (!b.node_selector.empty() && !MatchesSelector(*e.node, b.node_selector)) continue;
      if (filter && !endpoint_nodes.contains(e.node->name)) continue;
      DesiredBackend d{.ip = std::string(e.ip), .port = port, .weight = b.weight,
                       .target_id = nlb ? std::string(e.instance) : std::string(), .node_name = e.node->name};
      auto [it, inserted] = backends.try_emplace(d.Key(), d);
      if (!inserted && it->second.weight != d.weight) {
        result.reason = kReasonWeightConflict;
        result.message = "backend " + d.Key() + " in " + key.backend_set + " is also registered with weight " +
                         std::to_string(it->second.weight) + " by another binding; the higher weight applies";
        it->second.weight = std::max(it->second.weight, d.weight);
      }
      ++result.backends;
    }
    if (result.backends == 0 && result.reason.empty()) {
      result.reason = kReasonNoEligibleNodes;
      result.message = filter ? "no eligible node hosts a ready endpoint of the Service"
                              : "no eligible node (check the node selector and exclusion labels)";
    }
    state.bindings.push_back(std::move(result));
  }
  for (auto& [key, backends] : merged) {
    auto& out = state.sets[key].backends;
    out.reserve(backends.size());
    for (auto& [name, d] : backends) out.push_back(std::move(d));
  }
  return state;
}

}  // namespace ccm::cloud::registrar
