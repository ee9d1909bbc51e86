// Network Load Balancer API (20200501) models. As with the classic load balancer, request
// bodies carry exactly the fields of OCI's published request models (UpdateBackendSetDetails,
// BackendDetails, CreateBackendDetails, UpdateBackendDetails): every published setting a read
// carried is written back (the health checker as HealthCheckerDetails, published_models.h), and
// members the models lack are dropped. Optional booleans stay std::nullopt when the service
// omitted them, so an update does not turn "unset" into an explicit false.
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

struct NetworkLoadBalancer {
  std::string id;
  std::string display_name;
  std::string compartment_id;
  std::string lifecycle_state;  // CREATING, UPDATING, ACTIVE, DELETING, DELETED, FAILED
  std::vector<IpAddress> ip_addresses;
  std::vector<std::string> backend_set_names;
};

struct NlbBackend {
  std::string name;        // "ip:port" or "targetId:port"
  std::string ip_address;  // one of ip_address / target_id is set
  std::string target_id;
  int64_t port = 0;
  std::optional<int64_t> weight;
  bool is_drain = false;
  bool is_backup = false;
  bool is_offline = false;
};

// Read-only view; updates send NlbBackendSet::health_checker_json (which also keeps `dns`).
struct NlbHealthChecker {
  std::string protocol;  // HTTP, HTTPS, TCP, UDP, DNS
  int64_t port = 0;
  int64_t retries = 0;
  int64_t timeout_in_millis = 0;
  int64_t interval_in_millis = 0;
  std::string url_path;
  std::string response_body_regex;
  int64_t return_code = 0;
  std::string request_data;
  std::string response_data;
};

struct NlbBackendSet {
  std::string name;
  std::string policy;  // FIVE_TUPLE, THREE_TUPLE, TWO_TUPLE; "" when absent
  std::optional<bool> is_preserve_source;
  std::optional<bool> is_fail_open;
  std::optional<bool> is_instant_failover_enabled;
  std::optional<bool> is_instant_failover_tcp_reset_enabled;
  std::optional<bool> are_operationally_active_backends_preferred;
  std::string ip_version;  // IPV4, IPV6, IPV4_AND_IPV6; "" when absent
  std::vector<NlbBackend> backends;
  NlbHealthChecker health_checker;
  std::string health_checker_json;  // as HealthCheckerDetails: every published field read
  std::string etag;
};

struct NlbWorkRequestError {
  std::string code;
  std::string message;
};

struct NlbWorkRequest {
  std::string id;
  std::string status;  // ACCEPTED, IN_PROGRESS, FAILED, SUCCEEDED, CANCELING, CANCELED
  std::string operation_type;
  double percent_complete = 0;
  std::string compartment_id;
  std::vector<NlbWorkRequestError> errors;  // from /workRequests/{id}/errors
};

Result<NetworkLoadBalancer> ParseNetworkLoadBalancer(std::string_view body);
Result<NlbBackendSet> ParseNlbBackendSet(std::string_view body);
Result<NlbBackend> ParseNlbBackend(const json::Value& obj, std::string_view path);
// BackendCollection {"items": [...]}.
Result<std::vector<NlbBackend>> ParseNlbBackendCollection(std::string_view body);
Result<NlbWorkRequest> ParseNlbWorkRequest(std::string_view body);
// WorkRequestErrorCollection {"items": [{"code","message","timestamp"}]}.
Result<std::vector<NlbWorkRequestError>> ParseNlbWorkRequestErrors(std::string_view body);

std::string NlbUpdateBackendSetBody(const NlbBackendSet& set);
std::string NlbBackendDetailsJson(const NlbBackend& backend);
std::string NlbCreateBackendBody(const NlbBackend& backend);
std::string NlbUpdateBackendBody(const NlbBackend& backend);

}  // namespace ccm::oci
