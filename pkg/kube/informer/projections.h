// Compact projections: the few fields controllers read, decoded straight from the API
// object's JSON (the document is not kept). Anything not listed here (managedFields, images,
// node annotations, pod CIDRs, ...) is dropped, so cache memory follows what the controllers
// need, not the size of the cluster's objects.
//
// Equality (operator==) compares CONTENT and ignores metadata.resourceVersion: an update whose
// projection is unchanged (a node heartbeat that only moved condition timestamps) compares
// equal, and informers do not deliver it to OnUpdate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"
#include "pkg/kube/informer/compact_ids.h"
#include "pkg/kube/informer/interned_string.h"
#include "pkg/kube/informer/node_labels.h"
#include "pkg/kube/informer/shared_list.h"

namespace ccm::kube {

struct Taint {
  InternedString key, value, effect;
  bool operator==(const Taint&) const = default;
};

struct NodeCondition {
  InternedString type, status;  // "Ready", "True"; timestamps are dropped on purpose
  bool operator==(const NodeCondition&) const = default;
};

template <>
struct ListElementTraits<Taint> {
  static constexpr size_t kArity = 3;
  static std::array<std::string_view, 3> Texts(const Taint& t) { return {t.key.view(), t.value.view(), t.effect.view()}; }
  static Taint FromTexts(const std::string_view* t) {
    return {InternedString(t[0]), InternedString(t[1]), InternedString(t[2])};
  }
};

template <>
struct ListElementTraits<NodeCondition> {
  static constexpr size_t kArity = 2;
  static std::array<std::string_view, 2> Texts(const NodeCondition& c) { return {c.type.view(), c.status.view()}; }
  static NodeCondition FromTexts(const std::string_view* t) { return {InternedString(t[0]), InternedString(t[1])}; }
};

struct NodeAddress {
  InternedString type;  // InternalIP, ExternalIP, Hostname
  std::string address;
  bool operator==(const NodeAddress&) const = default;
};

// Memory layout (5,000 nodes must fit in a few MB): labels shared by the node's pool plus
// its own few, taints and conditions interned (identical across healthy nodes), uid as 16
// bytes, resourceVersion as an integer. Equality compares the shared parts by pointer.
struct Node {
  std::string name;
  std::string provider_id;
  std::vector<NodeAddress> addresses;
  Uid uid;
  ResourceVersion resource_version;
  NodeLabels labels;  // iterates as sorted (key, value) pairs
  SharedList<Taint> taints;
  SharedList<NodeCondition> conditions;
  bool unschedulable = false;
  bool deleting = false;  // metadata.deletionTimestamp is set

  const InternedString* Label(std::string_view key) const { return labels.Find(key); }
  // "" when the condition is absent.
  std::string_view ConditionStatus(std::string_view type) const;
  bool operator==(const Node& o) const;
};

struct ServicePort {
  std::string name;
  InternedString protocol;  // TCP, UDP, SCTP
  int32_t port = 0;
  int32_t node_port = 0;
  std::string target_port;  // int-or-string, as text
  bool operator==(const ServicePort&) const = default;
};

struct Service {
  std::string namespace_name;
  std::string name;
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  InternedString type;  // ClusterIP, NodePort, LoadBalancer, ExternalName
  std::vector<ServicePort> ports;
  InternedString external_traffic_policy;  // Cluster, Local
  // Sorted by key. kubectl's last-applied-configuration is dropped (it copies the object).
  std::vector<std::pair<InternedString, std::string>> annotations;
  std::vector<std::string> finalizers;
  std::string deletion_timestamp;  // "" when not being deleted
  std::vector<std::string> load_balancer_ingress_ips;

  const std::string* Annotation(std::string_view key) const;
  bool HasFinalizer(std::string_view f) const;
  bool operator==(const Service& o) const;
};

struct EndpointPort {
  std::string name;
  InternedString protocol;
  int32_t port = 0;
  bool operator==(const EndpointPort&) const = default;
};

struct Endpoint {
  std::vector<std::string> addresses;
  InternedString node_name;
  bool ready = true;  // conditions.ready absent means ready
  bool operator==(const Endpoint&) const = default;
};

struct EndpointSlice {
  std::string namespace_name;
  std::string name;
  std::string resource_version;
  std::string service_name;  // label kubernetes.io/service-name
  std::vector<Endpoint> endpoints;
  std::vector<EndpointPort> ports;
  bool operator==(const EndpointSlice& o) const;
};

struct Lease {
  std::string namespace_name;
  std::string name;
  std::string holder_identity;
  int64_t lease_duration_seconds = 0;
  std::string acquire_time;  // RFC 3339 with microseconds, as written
  std::string renew_time;
  int64_t lease_transitions = 0;
  std::string resource_version;
  bool operator==(const Lease& o) const;
};

// Decoders: fail only when metadata.name is missing or a field has an impossible type.
Result<Node> ProjectNode(const json::Value& object);
Result<Service> ProjectService(const json::Value& object);
Result<EndpointSlice> ProjectEndpointSlice(const json::Value& object);
Result<Lease> ProjectLease(const json::Value& object);

// Store keys: "name" for cluster-scoped kinds, "namespace/name" otherwise.
std::string ObjectKey(const Node& o);
std::string ObjectKey(const Service& o);
std::string ObjectKey(const EndpointSlice& o);
std::string ObjectKey(const Lease& o);

// Heap + inline bytes a projection owns (interned text and interned lists are shared and
// counted by InternedString::PoolBytes() and SharedListPoolBytes() instead).
size_t ApproxBytes(const Node& o);
size_t ApproxBytes(const Service& o);
size_t ApproxBytes(const EndpointSlice& o);
size_t ApproxBytes(const Lease& o);

// Reads metadata.resourceVersion of an API object ("" when absent).
std::string_view ResourceVersionOf(const json::Value& object);

}  // namespace ccm::kube
