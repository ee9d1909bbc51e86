// A binding says: register eligible nodes, at some port, into one backend set of one load
// balancer. LBRegistrar entries and annotated Service ports both become bindings; the
// registrar merges all bindings per (load balancer, backend set) into desired backends.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ccm::cloud::registrar {

// A Service port named by number or by name ("http").
struct PortRef {
  int number = 0;
  std::string name;
  bool empty() const { return number == 0 && name.empty(); }
  std::string ToString() const { return name.empty() ? std::to_string(number) : name; }
  bool operator==(const PortRef&) const = default;
};

struct ServiceTarget {
  std::string namespace_name = "default";
  std::string name;
  PortRef port;  // empty: the Service's only port
  bool operator==(const ServiceTarget&) const = default;
};

struct ApiKeyRef {
  std::string user, fingerprint, tenancy, region;
  std::string secret_namespace, secret_name, secret_key;
  bool operator==(const ApiKeyRef&) const = default;
};

enum class SourceKind { kLBRegistrar, kService };

struct Binding {
  SourceKind source_kind = SourceKind::kLBRegistrar;
  std::string source;  // "LBRegistrar/<name>" or "Service/<ns>/<name>", for status and events
  std::string field;   // where in the source this binding came from ("spec.services[1]")
  std::string load_balancer_id;
  std::string backend_set;
  int node_port = 0;                     // fixed port, when no Service is named
  std::optional<ServiceTarget> service;  // node port taken from this Service's port
  bool filter_by_endpoints = false;      // only nodes hosting a ready endpoint of the Service
  int weight = 1;
  std::map<std::string, std::string> node_selector;
  bool exclusive = false;    // the binding owns the whole backend set
  // Backends already present at a node this binding registers, at its port (registered by the
  // Go operator or by hand), become this controller's: recorded in the ownership record, then
  // managed and, when the node leaves, drained and removed. Without it they are left alone.
  bool adopt_existing = false;
  bool allow_empty = false;  // an empty desired set may empty the backend set
  std::optional<ApiKeyRef> api_key;

  bool operator==(const Binding&) const = default;
};

}  // namespace ccm::cloud::registrar
