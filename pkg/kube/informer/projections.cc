#include "pkg/kube/informer/projections.h"

#include <algorithm>
#include <array>

#include "pkg/base/status_macros.h"
#include "pkg/kube/informer/projection_fields.h"

namespace ccm::kube {
namespace {

using namespace projection;  // NOLINT(google-build-using-namespace): the shared field readers

NodeLabels ReadLabels(const json::Value& metadata) {
  const json::Value* v = json::Find(metadata, "labels");
  if (v == nullptr || !v->IsObject()) return {};
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(v->MemberCount());
  for (const auto& m : v->GetObject()) pairs.emplace_back(AsView(m.name), AsView(m.value));
  return NodeLabels::FromTexts(pairs);
}

// Texts of `fields` of each element of array `key`, flattened (SharedList::FromTexts input).
template <size_t N>
std::vector<std::string_view> FieldTexts(const json::Value& obj, std::string_view key,
                                         const std::array<std::string_view, N>& fields) {
  std::vector<std::string_view> texts;
  const json::Value* v = json::Find(obj, key);
  if (v == nullptr || !v->IsArray()) return texts;
  texts.reserve(v->Size() * N);
  for (const auto& item : v->GetArray()) {
    for (std::string_view f : fields) texts.push_back(Str(item, f));
  }
  return texts;
}

}  // namespace

std::string_view ResourceVersionOf(const json::Value& object) {
  return Str(Member(object, "metadata"), "resourceVersion");
}

// ---- Node ----

std::string_view Node::ConditionStatus(std::string_view type) const {
  for (const auto& c : conditions) {
    if (c.type == type) return c.status.view();
  }
  return {};
}

bool Node::operator==(const Node& o) const {
  // Pointer compares (interned parts) first, strings last.
  return conditions == o.conditions && taints == o.taints && labels == o.labels && uid == o.uid &&
         unschedulable == o.unschedulable && deleting == o.deleting && name == o.name &&
         provider_id == o.provider_id && addresses == o.addresses;
}

Result<Node> ProjectNode(const json::Value& object) {
  ASSIGN_OR_RETURN(auto meta, ReadMeta(object, "Node"));
  Node n;
  n.name = meta.name;
  n.uid = meta.uid;
  n.resource_version = meta.resource_version;
  n.deleting = !meta.deletion_timestamp.empty();
  n.labels = ReadLabels(*meta.metadata);
  const json::Value& spec = Member(object, "spec");
  n.provider_id = Str(spec, "providerID");
  n.unschedulable = Bool(spec, "unschedulable", false);
  n.taints = SharedList<Taint>::FromTexts(FieldTexts(spec, "taints", std::array<std::string_view, 3>{"key", "value", "effect"}));
  const json::Value& status = Member(object, "status");
  n.conditions =
      SharedList<NodeCondition>::FromTexts(FieldTexts(status, "conditions", std::array<std::string_view, 2>{"type", "status"}));
  if (const json::Value* a = json::Find(status, "addresses"); a != nullptr && a->IsArray()) {
    n.addresses.reserve(a->Size());
    for (const auto& item : a->GetArray()) {
      n.addresses.push_back(NodeAddress{InternedString(Str(item, "type")), std::string(Str(item, "address"))});
    }
  }
  return n;
}

std::string ObjectKey(const Node& o) { return o.name; }

size_t ApproxBytes(const Node& o) {
  size_t b = sizeof(Node) + HeapBytes(o.name) + HeapBytes(o.provider_id) + o.labels.own().StorageBytes() +
             Capacity(o.addresses);
  for (const auto& a : o.addresses) b += HeapBytes(a.address);
  return b;
}

// ---- Service ----

const std::string* Service::Annotation(std::string_view key) const {
  auto it = std::lower_bound(annotations.begin(), annotations.end(), key,
                             [](const auto& entry, std::string_view k) { return entry.first.view() < k; });
  if (it == annotations.end() || it->first.view() != key) return nullptr;
  return &it->second;
}

bool Service::HasFinalizer(std::string_view f) const {
  return std::find(finalizers.begin(), finalizers.end(), f) != finalizers.end();
}

bool Service::operator==(const Service& o) const {
  return namespace_name == o.namespace_name && name == o.name && uid == o.uid && generation == o.generation &&
         type == o.type && ports == o.ports && external_traffic_policy == o.external_traffic_policy &&
         annotations == o.annotations && finalizers == o.finalizers &&
         deletion_timestamp == o.deletion_timestamp && load_balancer_ingress_ips == o.load_balancer_ingress_ips;
}

Result<Service> ProjectService(const json::Value& object) {
  ASSIGN_OR_RETURN(auto meta, ReadMeta(object, "Service"));
  Service s;
  s.namespace_name = meta.namespace_name;
  s.name = meta.name;
  s.uid = meta.uid;
  s.resource_version = meta.resource_version;
  s.generation = meta.generation;
  s.deletion_timestamp = meta.deletion_timestamp;
  s.finalizers = Strings(*meta.metadata, "finalizers");
  if (const json::Value* ann = json::Find(*meta.metadata, "annotations"); ann != nullptr && ann->IsObject()) {
    for (const auto& m : ann->GetObject()) {
      std::string_view key = AsView(m.name);
      if (key == "kubectl.kubernetes.io/last-applied-configuration") continue;
      s.annotations.emplace_back(InternedString(key), std::string(AsView(m.value)));
    }
    std::sort(s.annotations.begin(), s.annotations.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  const json::Value& spec = Member(object, "spec");
  s.type = InternedString(Str(spec, "type"));
  s.external_traffic_policy = InternedString(Str(spec, "externalTrafficPolicy"));
  ForEach(spec, "ports", [&](const json::Value& p) {
    ServicePort port;
    port.name = Str(p, "name");
    port.protocol = InternedString(Str(p, "protocol"));
    port.port = static_cast<int32_t>(Int(p, "port"));
    port.node_port = static_cast<int32_t>(Int(p, "nodePort"));
    const json::Value& target = Member(p, "targetPort");
    if (target.IsInt64()) {
      port.target_port = std::to_string(target.GetInt64());
    } else {
      port.target_port = AsView(target);
    }
    s.ports.push_back(std::move(port));
  });
  const json::Value& lb = Member(Member(object, "status"), "loadBalancer");
  ForEach(lb, "ingress", [&](const json::Value& i) {
    if (auto ip = Str(i, "ip"); !ip.empty()) s.load_balancer_ingress_ips.emplace_back(ip);
  });
  return s;
}

std::string ObjectKey(const Service& o) { return o.namespace_name + "/" + o.name; }

size_t ApproxBytes(const Service& o) {
  size_t b = sizeof(Service) + HeapBytes(o.namespace_name) + HeapBytes(o.name) + HeapBytes(o.uid) +
             HeapBytes(o.resource_version) + HeapBytes(o.deletion_timestamp) + Capacity(o.ports) +
             Capacity(o.annotations) + Capacity(o.finalizers) + Capacity(o.load_balancer_ingress_ips);
  for (const auto& p : o.ports) b += HeapBytes(p.name) + HeapBytes(p.target_port);
  for (const auto& a : o.annotations) b += HeapBytes(a.second);
  for (const auto& f : o.finalizers) b += HeapBytes(f);
  for (const auto& i : o.load_balancer_ingress_ips) b += HeapBytes(i);
  return b;
}

// ---- EndpointSlice ----

bool EndpointSlice::operator==(const EndpointSlice& o) const {
  return namespace_name == o.namespace_name && name == o.name && service_name == o.service_name &&
         endpoints == o.endpoints && ports == o.ports;
}

Result<EndpointSlice> ProjectEndpointSlice(const json::Value& object) {
  ASSIGN_OR_RETURN(auto meta, ReadMeta(object, "EndpointSlice"));
  EndpointSlice s;
  s.namespace_name = meta.namespace_name;
  s.name = meta.name;
  s.resource_version = meta.resource_version;
  s.service_name = Str(Member(*meta.metadata, "labels"), "kubernetes.io/service-name");
  ForEach(object, "endpoints", [&](const json::Value& e) {
    Endpoint ep;
    ep.addresses = Strings(e, "addresses");
    ep.node_name = InternedString(Str(e, "nodeName"));
    ep.ready = Bool(Member(e, "conditions"), "ready", true);
    s.endpoints.push_back(std::move(ep));
  });
  ForEach(object, "ports", [&](const json::Value& p) {
    s.ports.push_back(EndpointPort{std::string(Str(p, "name")), InternedString(Str(p, "protocol")),
                                   static_cast<int32_t>(Int(p, "port"))});
  });
  return s;
}

std::string ObjectKey(const EndpointSlice& o) { return o.namespace_name + "/" + o.name; }

size_t ApproxBytes(const EndpointSlice& o) {
  size_t b = sizeof(EndpointSlice) + HeapBytes(o.namespace_name) + HeapBytes(o.name) +
             HeapBytes(o.resource_version) + HeapBytes(o.service_name) + Capacity(o.endpoints) + Capacity(o.ports);
  for (const auto& e : o.endpoints) {
    b += Capacity(e.addresses);
    for (const auto& a : e.addresses) b += HeapBytes(a);
  }
  for (const auto& p : o.ports) b += HeapBytes(p.name);
  return b;
}

// ---- Lease ----

bool Lease::operator==(const Lease& o) const {
  return namespace_name == o.namespace_name && name == o.name && holder_identity == o.holder_identity &&
         lease_duration_seconds == o.lease_duration_seconds && acquire_time == o.acquire_time &&
         renew_time == o.renew_time && lease_transitions == o.lease_transitions;
}

Result<Lease> ProjectLease(const json::Value& object) {
  ASSIGN_OR_RETURN(auto meta, ReadMeta(object, "Lease"));
  Lease l;
  l.namespace_name = meta.namespace_name;
  l.name = meta.name;
  l.resource_version = meta.resource_version;
  const json::Value& spec = Member(object, "spec");
  l.holder_identity = Str(spec, "holderIdentity");
  l.lease_duration_seconds = Int(spec, "leaseDurationSeconds");
  l.acquire_time = Str(spec, "acquireTime");
  l.renew_time = Str(spec, "renewTime");
  l.lease_transitions = Int(spec, "leaseTransitions");
  return l;
}

std::string ObjectKey(const Lease& o) { return o.namespace_name + "/" + o.name; }

size_t ApproxBytes(const Lease& o) {
  return sizeof(Lease) + HeapBytes(o.namespace_name) + HeapBytes(o.name) + HeapBytes(o.holder_identity) +
         HeapBytes(o.acquire_time) + HeapBytes(o.renew_time) + HeapBytes(o.resource_version);
}

}  // namespace ccm::kube
