#include "pkg/cloud/registrar/desired_state.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string_view>

#include "pkg/cloud/registrar/node_eligibility.h"
#include "pkg/oci/ocid.h"

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

namespace {

struct Candidates {
  std::vector<DesiredBackend> backends;
  std::vector<size_t> binding;  // index into DesiredState::bindings of who added each
};

std::string_view KeyHead(const DesiredBackend& d) { return d.target_id.empty() ? std::string_view(d.ip) : d.target_id.view(); }

// ":<port>" as Key() spells it, without snprintf (which was a third of a sync's CPU).
struct PortSuffix {
  char text[12];
  size_t size;
  explicit PortSuffix(int port) {
    text[0] = ':';
    size = static_cast<size_t>(std::to_chars(text + 1, text + sizeof text, port).ptr - text);
  }
  std::string_view view() const { return {text, size}; }
};

// Orders as Key() strings compare ("<ip or target>:<port>"), without building them.
int CompareKeys(const DesiredBackend& a, const DesiredBackend& b) {
  const PortSuffix pa(a.port), pb(b.port);
  std::string_view ha = KeyHead(a), hb = KeyHead(b);
  size_t na = ha.size() + pa.size, nb = hb.size() + pb.size;
  for (size_t i = 0; i < std::min(na, nb); ++i) {
    char ca = i < ha.size() ? ha[i] : pa.text[i - ha.size()];
    char cb = i < hb.size() ? hb[i] : pb.text[i - hb.size()];
    if (ca != cb) return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb) ? -1 : 1;
  }
  return na == nb ? 0 : (na < nb ? -1 : 1);
}

// Sorts one set's backends by name and merges duplicates; a later binding that adds a
// backend with another weight gets WeightConflict and the higher weight applies.
void MergeCandidates(const BackendSetKey& key, Candidates& c, DesiredState& state) {
  std::vector<uint32_t> order(c.backends.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return CompareKeys(c.backends[x], c.backends[y]) < 0; });
  auto& out = state.sets[key].backends;
  out.reserve(c.backends.size());
  for (uint32_t i : order) {
    DesiredBackend& d = c.backends[i];
    if (!out.empty() && CompareKeys(out.back(), d) == 0) {
      if (out.back().weight != d.weight) {
        BindingResult& result = state.bindings[c.binding[i]];
        result.reason = kReasonWeightConflict;
        result.message = "backend " + d.Key() + " in " + key.backend_set + " is also registered with weight " +
                         std::to_string(out.back().weight) + " by another binding; the higher weight applies";
        out.back().weight = std::max(out.back().weight, d.weight);
      }
      continue;
    }
    out.push_back(std::move(d));
  }
  c = Candidates{};
}

}  // namespace

namespace {

// Eligibility does not depend on the binding: decide it once per node.
std::vector<EligibleNode> EligibleNodes(const ClusterView& view) {
  std::vector<EligibleNode> eligible;
  eligible.reserve(view.nodes.size());
  for (const auto& n : view.nodes) {
    if (NodeIneligibility(*n) != Ineligible::kNone) continue;
    eligible.push_back({n.get(), InternalIP(*n), InstanceOcid(n->provider_id)});
  }
  return eligible;
}

// Adds the bindings' results, in order, and the sets they target to `state`.
void AddBindings(const std::vector<const Binding*>& bindings, const std::vector<EligibleNode>& eligible,
                 const ClusterView& view, DesiredState& state) {
  // Per set: every binding's backends, merged below by name. A flat vector (and which
  // binding added each entry) instead of a map keyed by the name string: at 50 sets x 500
  // nodes the map and its key strings were most of the controller's peak heap.
  std::map<BackendSetKey, Candidates> merged;
  for (const Binding* binding : bindings) {
    const Binding& b = *binding;
    const size_t binding_index = state.bindings.size();
    BackendSetKey key{b.load_balancer_id, b.backend_set};
    BindingResult result{.source = b.source, .field = b.field, .target = key};
    DesiredBackendSet& set = state.sets[key];
    set.key = key;
    if (std::find(set.sources.begin(), set.sources.end(), b.source) == set.sources.end()) set.sources.push_back(b.source);
    bool first_binding = merged.find(key) == merged.end();
    auto& backends = merged[key];
    set.exclusive = set.exclusive || b.exclusive;
    set.adopt_existing = set.adopt_existing || b.adopt_existing;
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
    bool nlb = oci::IsOcidOf(b.load_balancer_id, "networkloadbalancer");
    for (const auto& e : eligible) {
      if (!b.node_selector.empty() && !MatchesSelector(*e.node, b.node_selector)) continue;
      if (filter && !endpoint_nodes.contains(e.node->name)) continue;
      DesiredBackend d{.ip = std::string(e.ip), .port = port, .weight = b.weight,
                       .target_id = nlb ? kube::InternedString(e.instance) : kube::InternedString(),
                       .node_name = kube::InternedString(e.node->name)};
      backends.backends.push_back(std::move(d));
      backends.binding.push_back(binding_index);
      ++result.backends;
    }
    if (result.backends == 0 && result.reason.empty()) {
      result.reason = kReasonNoEligibleNodes;
      result.message = filter ? "no eligible node hosts a ready endpoint of the Service"
                              : "no eligible node (check the node selector and exclusion labels)";
    }
    state.bindings.push_back(std::move(result));
  }
  for (auto& [key, candidates] : merged) MergeCandidates(key, candidates, state);
}

}  // namespace

DesiredState ComputeDesiredState(const std::vector<Binding>& bindings, const ClusterView& view) {
  DesiredState state;
  std::vector<const Binding*> all;
  all.reserve(bindings.size());
  for (const auto& b : bindings) all.push_back(&b);
  AddBindings(all, EligibleNodes(view), view, state);
  return state;
}

namespace {

void HashCombine(size_t& h, size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); }

}  // namespace

size_t HashDesired(const DesiredBackendSet& set) {
  if (set.dropped_hash) return *set.dropped_hash;
  size_t h = std::hash<std::string>{}(set.key.backend_set);
  HashCombine(h, set.exclusive);
  HashCombine(h, set.adopt_existing);
  HashCombine(h, set.allow_empty);
  HashCombine(h, set.inputs_complete);
  for (const auto& b : set.backends) {
    HashCombine(h, std::hash<std::string_view>{}(KeyHead(b)));
    HashCombine(h, static_cast<size_t>(b.port));
    HashCombine(h, static_cast<size_t>(b.weight));
  }
  for (const auto& s : set.sources) HashCombine(h, std::hash<std::string>{}(s));
  return h;
}

std::vector<BindingResult> ComputeDesiredStatePerSet(const std::vector<Binding>& bindings, const ClusterView& view,
                                                     const std::function<void(DesiredBackendSet&&)>& each) {
  const std::vector<EligibleNode> eligible = EligibleNodes(view);
  std::map<BackendSetKey, std::vector<const Binding*>> by_set;
  for (const auto& b : bindings) by_set[{b.load_balancer_id, b.backend_set}].push_back(&b);
  std::vector<BindingResult> results;
  results.reserve(bindings.size());
  for (const auto& [key, group] : by_set) {
    DesiredState part;
    AddBindings(group, eligible, view, part);
    for (auto& r : part.bindings) results.push_back(std::move(r));
    for (auto& [k, set] : part.sets) each(std::move(set));
  }
  return results;
}

}  // namespace ccm::cloud::registrar
