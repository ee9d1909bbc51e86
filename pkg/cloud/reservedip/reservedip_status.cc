#include "pkg/cloud/reservedip/reservedip_status.h"

#include "pkg/base/json.h"
#include "pkg/cloud/reservedip/reservedip_reasons.h"

namespace ccm::cloud::reservedip {
namespace {

bool Working(const std::string& s) {
  return s == state::kAllocating || s == state::kAssigning || s == state::kReassigning ||
         s == state::kUnassigning || s == state::kReleasing;
}

void Member(std::string& out, const char* name, const std::string& value) {
  out += ",\"";
  out += name;
  out += "\":";
  if (value.empty()) {
    out += "null";  // merge patch: remove
  } else {
    json::AppendQuoted(out, value);
  }
}

}  // namespace

ReservedIPStatus BuildStatus(const StatusInput& in, const ReservedIPStatus* previous,
                             const std::string& now) {
  ReservedIPStatus s;
  s.observed_ip = in.observed_ip;
  s.state = in.state;
  s.public_ip_address = in.public_ip_address;
  s.public_ip_id = in.public_ip_id;
  s.private_ip_id = in.private_ip_id;
  s.pod_name = in.private_ip_id.empty() ? "" : in.pod_name;
  s.observed_generation = in.generation;
  ReadyCondition& c = s.ready;
  c.observed_generation = in.generation;
  if (!in.problem_reason.empty()) {
    c.status = "False";
    c.reason = in.problem_reason;
    c.message = in.problem_message;
  } else if (Working(in.state)) {
    c.status = "False";
    c.reason = reason::kInProgress;
    c.message = "OCI is working on the public IP (" + in.state + ")";
  } else if (in.state == state::kAssigned) {
    c.status = "True";
    c.reason = reason::kAssigned;
    c.message = in.public_ip_address + " is assigned to " +
                (s.pod_name.empty() ? "private IP " + in.private_ip_id : "pod " + s.pod_name);
  } else if (in.state == state::kAllocated) {
    c.status = "True";
    c.reason = reason::kAllocated;
    c.message = in.public_ip_address + " is reserved and not assigned";
  } else {
    c.status = "Unknown";
    c.reason = reason::kInProgress;
    c.message = "not reconciled yet";
  }
  c.last_transition_time = previous != nullptr && previous->ready.status == c.status
                               ? previous->ready.last_transition_time
                               : now;
  return s;
}

std::string StatusPatch(const ReservedIPStatus& s) {
  std::string out = "{\"status\":{\"observedGeneration\":" + std::to_string(s.observed_generation);
  if (s.observed_ip) {
    Member(out, "state", s.state);
    Member(out, "publicIPAddress", s.public_ip_address);
    Member(out, "publicIpId", s.public_ip_id);
    Member(out, "privateIpId", s.private_ip_id);
    Member(out, "podName", s.pod_name);
  }
  out += ",\"conditions\":[{\"type\":\"Ready\",\"status\":";
  json::AppendQuoted(out, s.ready.status);
  out += ",\"reason\":";
  json::AppendQuoted(out, s.ready.reason);
  out += ",\"message\":";
  json::AppendQuoted(out, s.ready.message);
  out += ",\"observedGeneration\":" + std::to_string(s.ready.observed_generation) +
         ",\"lastTransitionTime\":";
  json::AppendQuoted(out, s.ready.last_transition_time);
  out += "}]}}";
  return out;
}

}  // namespace ccm::cloud::reservedip
