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
#include "pkg/kube/informer/interned_string.h"

namespace ccm::kube {

// Sorted by key; lookups are binary searches. Keys and values are interned (they repeat
// across nodes), so a label costs 16 bytes per node.
using Labels = std::vector<std::pair<InternedString, InternedString>>;
// Returns nullptr when absent (distinguishes "absent" from "empty value").
const InternedString* FindLabel(const Labels& labels, std::string_view key);

struct Taint {
  InternedString key, value, effect;
  bool operator==(const Taint&) const = default;
};

struct NodeCondition {
  InternedString type, status;  // "Ready", "True"; timestamps are dropped on purpose
  bool operator==(const NodeCondition&) const = default;
};

struct NodeAddress {
  InternedString type;  // InternalIP, ExternalIP, Hostname
  std::string address;
  bool operator==(const NodeAddress&) const = default;
};

struct Node {
  std::string name;
  std::string uid;
  std::string resource_version;
  Labels labels;
  std::vector<Taint> taints;
  std::vector<NodeCondition> conditions;
  std::vector<NodeAddress> addresses;
  std::string provider_id;
  bool unschedulable = false;
  bool deleting = false;  // metadata.deletionTimestamp is set

  const InternedString* Label(std::string_view key) const { return FindLabel(labels, key); }
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

struct LBRegistrar {
  std::string name;
  std::string uid;
  int64_t generation = 0;
  std::string resource_version;
  std::string deletion_timestamp;
  std::vector<std::string> finalizers;
  std::string spec_json;  // raw spec; the registrar controller parses and validates it
  std::string status_phase;
  int64_t status_observed_generation = 0;

  bool HasFinalizer(std::string_view f) const;
  bool operator==(const LBRegistrar& o) const;
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
Result<LBRegistrar> ProjectLBRegistrar(const json::Value& object);
Result<Lease> ProjectLease(const json::Value& object);

// Store keys: "name" for cluster-scoped kinds, "namespace/name" otherwise.
std::string ObjectKey(const Node& o);
std::string ObjectKey(const Service& o);
std::string ObjectKey(const EndpointSlice& o);
std::string ObjectKey(const LBRegistrar& o);
std::string ObjectKey(const Lease& o);

// Heap + inline bytes a projection owns (interned text is shared and counted by
// InternedString::PoolBytes() instead).
size_t ApproxBytes(const Node& o);
size_t ApproxBytes(const Service& o);
size_t ApproxBytes(const EndpointSlice& o);
size_t ApproxBytes(const LBRegistrar& o);
size_t ApproxBytes(const Lease& o);

// Reads metadata.resourceVersion of an API object ("" when absent).
std::string_view ResourceVersionOf(const json::Value& object);

}  // namespace ccm::kube
