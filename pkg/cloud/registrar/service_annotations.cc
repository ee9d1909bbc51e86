#include "pkg/cloud/registrar/service_annotations.h"

#include <cctype>
#include <set>

#include "pkg/base/strings.h"
#include "pkg/cloud/registrar/label_syntax.h"
#include "pkg/oci/ocid.h"

namespace ccm::cloud::registrar {
namespace {

const std::set<std::string> kKnownKeys = {kAnnotationLoadBalancerId, kAnnotationBackendSets,   kAnnotationWeight,
                                          kAnnotationNodeSelector,   kAnnotationFilterByEndpoints,
                                          kAnnotationExclusive,      kAnnotationAllowEmpty,
                                          kAnnotationAdoptExisting};

const std::string* Lookup(const std::map<std::string, std::string>& a, const char* key) {
  auto it = a.find(key);
  return it == a.end() ? nullptr : &it->second;
}

std::optional<bool> BoolAnnotation(const std::map<std::string, std::string>& a, const char* key,
                                   std::vector<SpecProblem>& problems) {
  const std::string* v = Lookup(a, key);
  if (v == nullptr) return std::nullopt;
  auto b = ParseGoBool(TrimSpace(*v));
  if (!b) problems.push_back({key, "must be true or false, not \"" + *v + "\""});
  return b;
}

}  // namespace

bool HasRegistrarAnnotations(const std::map<std::string, std::string>& annotations) {
  return annotations.contains(kAnnotationLoadBalancerId);
}

bool MentionsRegistrar(const std::map<std::string, std::string>& annotations) {
  for (const auto& [key, value] : annotations) {
    if (key.starts_with(kAnnotationPrefix)) return true;
  }
  return false;
}

ParsedSpec ParseServiceAnnotations(const std::string& namespace_name, const std::string& name,
                                   const std::string& service_type,
                                   const std::map<std::string, std::string>& annotations) {
  ParsedSpec out;
  auto& problems = out.problems;
  for (const auto& [key, value] : annotations) {
    if (key.starts_with(kAnnotationPrefix) && !kKnownKeys.contains(key)) {
      problems.push_back({key, "is not a known annotation (see docs/annotations.md); check its spelling"});
    }
  }
  if (service_type != "NodePort" && service_type != "LoadBalancer") {
    problems.push_back({kAnnotationLoadBalancerId, "applies only to Services of type NodePort or LoadBalancer, and "
                                                   "this Service is " + (service_type.empty() ? std::string("ClusterIP") : service_type)});
  }
  Binding base;
  base.source_kind = SourceKind::kService;
  base.source = "Service/" + namespace_name + "/" + name;

  const std::string* lb = Lookup(annotations, kAnnotationLoadBalancerId);
  std::string lb_id = lb ? std::string(TrimSpace(*lb)) : "";
  if (lb == nullptr) {
    problems.push_back({kAnnotationLoadBalancerId,
                        "is required: the OCID of the load balancer to register this Service's node ports in"});
  } else if (!oci::IsAnyLoadBalancerOcid(lb_id)) {
    problems.push_back({kAnnotationLoadBalancerId,
                        "must be a load balancer OCID (ocid1.loadbalancer... or ocid1.networkloadbalancer...), not \"" +
                            lb_id + "\""});
  }
  base.load_balancer_id = lb_id;

  if (const std::string* w = Lookup(annotations, kAnnotationWeight); w != nullptr) {
    std::string_view t = TrimSpace(*w);
    bool digits = !t.empty() && t.size() <= 3;
    for (char c : t) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    int n = digits ? std::stoi(std::string(t)) : 0;
    if (n < 1 || n > 100) problems.push_back({kAnnotationWeight, "must be a whole number from 1 to 100, not \"" + *w + "\""});
    else base.weight = n;
  }
  if (const std::string* sel = Lookup(annotations, kAnnotationNodeSelector); sel != nullptr) {
    for (const auto& pair : SplitTrimmed(*sel, ',')) {
      auto eq = pair.find('=');
      if (eq == std::string::npos || eq == 0) {
        problems.push_back({kAnnotationNodeSelector, "must be a comma-separated list of label=value, not \"" + *sel + "\""});
        break;
      }
      std::string key(TrimSpace(pair.substr(0, eq)));
      std::string value(TrimSpace(pair.substr(eq + 1)));
      if (!IsLabelKey(key)) {
        problems.push_back({kAnnotationNodeSelector, "\"" + key + "\" is not a label key (such as role or "
                                                     "node.kubernetes.io/instance-type)"});
        break;
      }
      if (!IsLabelValue(value)) {
        problems.push_back({kAnnotationNodeSelector, "\"" + value + "\" is not a label value (at most 63 letters, digits, "
                                                     "'-', '_' or '.', starting and ending with a letter or digit): no "
                                                     "node can match it"});
        break;
      }
      base.node_selector[key] = value;
    }
  }
  base.filter_by_endpoints = BoolAnnotation(annotations, kAnnotationFilterByEndpoints, problems).value_or(false);
  base.exclusive = BoolAnnotation(annotations, kAnnotationExclusive, problems).value_or(false);
  base.allow_empty = BoolAnnotation(annotations, kAnnotationAllowEmpty, problems).value_or(false);
  base.adopt_existing = BoolAnnotation(annotations, kAnnotationAdoptExisting, problems).value_or(false);

  const std::string* sets = Lookup(annotations, kAnnotationBackendSets);
  if (sets == nullptr || TrimSpace(*sets).empty()) {
    problems.push_back({kAnnotationBackendSets,
                        "is required: map Service ports to backend sets, e.g. \"http=ingress-http,443=ingress-https\""});
  } else {
    std::set<std::string> seen;
    for (const auto& pair : SplitTrimmed(*sets, ',')) {
      auto eq = pair.find('=');
      std::string port = eq == std::string::npos ? "" : std::string(TrimSpace(pair.substr(0, eq)));
      std::string set = eq == std::string::npos ? "" : std::string(TrimSpace(pair.substr(eq + 1)));
      if (port.empty() || set.empty()) {
        problems.push_back({kAnnotationBackendSets, "entry \"" + pair + "\" must be <port name or number>=<backend set>"});
        continue;
      }
      if (!IsBackendSetName(set)) {
        problems.push_back({kAnnotationBackendSets, "backend set name \"" + set + "\" is not valid (letters, digits, - _ ., at most 32)"});
        continue;
      }
      PortRef ref;
      bool digits = port.size() <= 5;
      for (char c : port) digits = digits && std::isdigit(static_cast<unsigned char>(c));
      if (digits) {
        int n = std::stoi(port);
        if (n < 1 || n > 65535) {
          problems.push_back({kAnnotationBackendSets, "port " + port + " is out of range"});
          continue;
        }
        ref.number = n;
      } else {
        ref.name = port;
      }
      if (!seen.insert(port + "=" + set).second) continue;
      Binding b = base;
      b.field = std::string(kAnnotationBackendSets) + "[" + port + "]";
      b.backend_set = set;
      b.service = ServiceTarget{.namespace_name = namespace_name, .name = name, .port = ref};
      out.bindings.push_back(std::move(b));
    }
  }
  if (!problems.empty()) out.bindings.clear();
  return out;
}

}  // namespace ccm::cloud::registrar
