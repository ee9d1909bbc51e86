// Every OCI response parser (Load Balancer, Network Load Balancer, Compute, error bodies) on
// the same bytes. Invariants: errors name what is wrong; a backend set read and written back
// (the read-modify-write the registrar does) is valid JSON that reads back to the same
// settings, including the members this code does not model.
#include <cstdint>
#include <string>

#include "pkg/base/json.h"
#include "pkg/oci/models/compute_models.h"
#include "pkg/oci/models/load_balancer_models.h"
#include "pkg/oci/models/network_load_balancer_models.h"
#include "pkg/oci/transport/oci_error.h"
#include "test/fuzz/fuzz_check.h"
#include "test/fuzz/fuzz_json.h"

namespace {

using ccm::fuzz::Check;
namespace json = ccm::json;
namespace oci = ccm::oci;

template <typename R>
void ExpectNamedError(const R& r) {
  if (!r) Check(!r.error().message.empty(), "a parse error says what is wrong");
}

// Adds "name" to a written update body so it can be read back as a GetBackendSet answer.
std::string WithName(const std::string& body, const std::string& name) {
  Check(body.size() >= 2 && body.front() == '{' && body.back() == '}', "an update body is a JSON object", body);
  std::string out = "{\"name\":";
  json::AppendQuoted(out, name);
  if (body.size() > 2) out += ",";
  out += body.substr(1);
  return out;
}

void CheckLbRoundTrip(const oci::LbBackendSet& set) {
  const std::string body = oci::LbUpdateBackendSetBody(set);
  auto doc = json::Parse(body, "UpdateBackendSet body");
  Check(doc.has_value() && doc->IsObject(), "LbUpdateBackendSetBody writes a JSON object", body);
  auto back = oci::ParseLbBackendSet(WithName(body, set.name));
  Check(back.has_value(), "a written LB backend set reads back", body);
  Check(back->policy == set.policy && back->health_checker_json == set.health_checker_json &&
            back->ssl_configuration_json == set.ssl_configuration_json &&
            back->session_persistence_configuration_json == set.session_persistence_configuration_json &&
            back->lb_cookie_session_persistence_configuration_json ==
                set.lb_cookie_session_persistence_configuration_json &&
            back->backend_max_connections == set.backend_max_connections &&
            back->backends.size() == set.backends.size(),
        "an LB backend set keeps its settings through a read-modify-write", body);
  for (size_t i = 0; i < set.backends.size(); ++i) {
    const auto &a = set.backends[i], &b = back->backends[i];
    Check(a.ip_address == b.ip_address && a.port == b.port && a.weight == b.weight &&
              a.max_connections == b.max_connections && a.backup == b.backup && a.drain == b.drain &&
              a.offline == b.offline,
          "an LB backend keeps its settings through a read-modify-write", body);
    auto create = json::Parse(oci::LbCreateBackendBody(a), "create");
    auto update = json::Parse(oci::LbUpdateBackendBody(a), "update");
    Check(create.has_value() && update.has_value(), "LB backend request bodies are valid JSON");
  }
}

void CheckNlbRoundTrip(const oci::NlbBackendSet& set) {
  const std::string body = oci::NlbUpdateBackendSetBody(set);
  auto doc = json::Parse(body, "UpdateBackendSet body");
  Check(doc.has_value() && doc->IsObject(), "NlbUpdateBackendSetBody writes a JSON object", body);
  auto back = oci::ParseNlbBackendSet(WithName(body, set.name));
  Check(back.has_value(), "a written NLB backend set reads back", body);
  Check(back->policy == set.policy && back->is_preserve_source == set.is_preserve_source &&
            back->is_fail_open == set.is_fail_open &&
            back->is_instant_failover_enabled == set.is_instant_failover_enabled &&
            back->is_instant_failover_tcp_reset_enabled == set.is_instant_failover_tcp_reset_enabled &&
            back->are_operationally_active_backends_preferred ==
                set.are_operationally_active_backends_preferred &&
            back->ip_version == set.ip_version && back->health_checker_json == set.health_checker_json &&
            back->backends.size() == set.backends.size(),
        "an NLB backend set keeps its settings through a read-modify-write", body);
  for (size_t i = 0; i < set.backends.size(); ++i) {
    const auto &a = set.backends[i], &b = back->backends[i];
    Check(a.name == b.name && a.ip_address == b.ip_address && a.target_id == b.target_id && a.port == b.port &&
              a.weight == b.weight && a.is_drain == b.is_drain && a.is_backup == b.is_backup &&
              a.is_offline == b.is_offline,
          "an NLB backend keeps its settings through a read-modify-write", body);
    auto create = json::Parse(oci::NlbCreateBackendBody(a), "create");
    auto update = json::Parse(oci::NlbUpdateBackendBody(a), "update");
    Check(create.has_value() && update.has_value(), "NLB backend request bodies are valid JSON");
  }
}

void CheckErrorBody(std::string_view body, uint8_t selector) {
  static constexpr int kStatuses[] = {400, 401, 403, 404, 409, 412, 429, 500, 501, 502, 503, 504, 200, 302};
  ccm::HttpResponse response;
  response.status = kStatuses[selector % std::size(kStatuses)];
  response.body = std::string(body);
  if (selector & 0x80) response.headers = {{"opc-request-id", "req-1"}, {"retry-after", response.body.substr(0, 8)}};
  ccm::Error e = oci::ErrorFromResponse("UpdateBackendSet", response, "sent-id");
  Check(e.message.starts_with("UpdateBackendSet failed: ") && e.message.size() > 25,
        "an OCI error names the operation and says what went wrong", e.message);
  Check(!e.request_id.empty(), "an OCI error carries a request id to quote");
  Check(e.retry_after.count() >= 0 && e.retry_after <= std::chrono::hours(24), "retry-after is bounded");
  Check(e.http_status == response.status, "an OCI error keeps the HTTP status");
  if (auto after = oci::ParseRetryAfter(body.substr(0, 40)); after) {
    Check(after->count() >= 0 && *after <= std::chrono::hours(24), "ParseRetryAfter is bounded");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);

  ExpectNamedError(oci::ParseLoadBalancer(body));
  ExpectNamedError(oci::ParseLbBackendList(body));
  ExpectNamedError(oci::ParseLbWorkRequest(body));
  ExpectNamedError(oci::ParseLbWorkRequestList(body));
  // Members this code does not model are carried as JSON; a non-integer number among them may
  // come back one ULP off (see fuzz_json.h), so such inputs skip the round-trip checks.
  auto whole = json::Parse(body, "body");
  const bool exact = whole && !ccm::fuzz::HasNonIntegerNumber(*whole);
  auto lb_set = oci::ParseLbBackendSet(body);
  ExpectNamedError(lb_set);
  if (lb_set && exact) CheckLbRoundTrip(*lb_set);

  ExpectNamedError(oci::ParseNetworkLoadBalancer(body));
  ExpectNamedError(oci::ParseNlbBackendCollection(body));
  ExpectNamedError(oci::ParseNlbWorkRequest(body));
  ExpectNamedError(oci::ParseNlbWorkRequestErrors(body));
  auto nlb_set = oci::ParseNlbBackendSet(body);
  ExpectNamedError(nlb_set);
  if (nlb_set && exact) CheckNlbRoundTrip(*nlb_set);

  ExpectNamedError(oci::ParseInstanceBody(body));
  ExpectNamedError(oci::ParseInstanceList(body));
  ExpectNamedError(oci::ParseVnicAttachmentList(body));
  ExpectNamedError(oci::ParseVnic(body));

  CheckErrorBody(body, size > 0 ? data[size - 1] : 0);
  return 0;
}
