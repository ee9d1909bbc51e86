// Load Balancer API (20170115) models. Parsers name the offending field on malformed input.
// Request bodies carry exactly the fields of OCI's published request models
// (UpdateBackendSetDetails, BackendDetails, CreateBackendDetails, UpdateBackendDetails): a
// backend set keeps every published setting it does not interpret (health checker, SSL,
// session persistence) as JSON of its details model (published_models.h), so a
// read-modify-write that only touches backends clears nothing; members a read carries that
// the models lack are dropped. test/sdk checks the writers against the installed SDKs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/oci/models/common_models.h"
#include "pkg/oci/models/json_writer.h"

namespace ccm::oci {

struct LoadBalancer {
  std::string id;
  std::string display_name;
  std::string compartment_id;
  std::string lifecycle_state;  // CREATING, FAILED, ACTIVE, DELETING, DELETED
  std::vector<IpAddress> ip_addresses;
  std::vector<std::string> backend_set_names;
};

struct LbBackend {
  std::string name;  // "ip:port"; filled from ipAddress/port when the service omits it
  std::string ip_address;
  int64_t port = 0;
  std::optional<int64_t> weight;
  std::optional<int64_t> max_connections;
  bool backup = false;
  bool drain = false;
  bool offline = false;
};

// A read-only view of the health checker; updates send LbBackendSet::health_checker_json.
struct LbHealthChecker {
  std::string protocol;
  std::string url_path;
  int64_t port = 0;
  int64_t return_code = 0;
  int64_t retries = 0;
  int64_t timeout_in_millis = 0;
  int64_t interval_in_millis = 0;
  std::string response_body_regex;
  bool is_force_plain_text = false;
};

struct LbBackendSet {
  std::string name;
  std::string policy;
  std::vector<LbBackend> backends;
  LbHealthChecker health_checker;
  // As their details models (published_models.h): every published field the read carried.
  std::string health_checker_json;
  std::string ssl_configuration_json;                           // "" when absent
  std::string session_persistence_configuration_json;           // "" when absent
  std::string lb_cookie_session_persistence_configuration_json; // "" when absent
  std::optional<int64_t> backend_max_connections;
  std::string etag;  // response header, sent as if-match on update when present
};

struct LbWorkRequestError {
  std::string error_code;
  std::string message;
};

struct LbWorkRequest {
  std::string id;
  std::string load_balancer_id;
  std::string type;
  std::string lifecycle_state;  // ACCEPTED, IN_PROGRESS, SUCCEEDED, FAILED
  std::string message;
  std::vector<LbWorkRequestError> error_details;
};

Result<LoadBalancer> ParseLoadBalancer(std::string_view body);
Result<LbBackendSet> ParseLbBackendSet(std::string_view body);
Result<LbBackend> ParseLbBackend(const json::Value& obj, std::string_view path);
Result<std::vector<LbBackend>> ParseLbBackendList(std::string_view body);
Result<LbWorkRequest> ParseLbWorkRequest(std::string_view body);
Result<std::vector<LbWorkRequest>> ParseLbWorkRequestList(std::string_view body);

// Request bodies (UpdateBackendSetDetails, CreateBackendDetails, UpdateBackendDetails).
std::string LbUpdateBackendSetBody(const LbBackendSet& set);
std::string LbBackendDetailsJson(const LbBackend& backend);  // one element of `backends`
std::string LbCreateBackendBody(const LbBackend& backend);
std::string LbUpdateBackendBody(const LbBackend& backend);

}  // namespace ccm::oci
