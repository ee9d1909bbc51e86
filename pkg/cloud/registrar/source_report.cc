#include "pkg/cloud/registrar/source_report.h"

#include <algorithm>

#include "pkg/cloud/registrar/registrar_reasons.h"
#include "pkg/cloud/registrar/service_annotations.h"

namespace ccm::cloud::registrar {
namespace {

// "field: " of `s` that a load-balancer-level failure points at, or "" when none of its
// bindings is concerned.
std::string LoadBalancerProblemField(const SourceState& s, const std::string& reason, const SyncResult* result) {
  const bool service = s.kind == SourceKind::kService;
  if (reason == kReasonLoadBalancerNotFound && !s.bindings.empty()) {
    return std::string(service ? kAnnotationLoadBalancerId : "spec.loadBalancerId") + ": load balancer " +
           s.bindings.front().load_balancer_id + " not found (check the OCID: a recreated load balancer has a new one): ";
  }
  if (reason == kReasonBackendSetNotFound && result != nullptr) {
    for (const auto& b : s.bindings) {
      auto it = result->sets.find(b.backend_set);
      if (it == result->sets.end() || !it->second.missing) continue;
      if (service) return b.field + ": ";
      if (b.field == "spec") return "spec.backendSetName: ";
      return b.field + ".backendSetName (or spec.backendSetName): ";
    }
  }
  return "";
}

}  // namespace

std::string PhaseFor(const std::vector<Condition>& conditions, bool ran) {
  auto is_true = [&](const char* type) {
    return std::any_of(conditions.begin(), conditions.end(),
                       [&](const Condition& c) { return c.type == type && c.status == "True"; });
  };
  if (is_true("Ready")) return "READY";
  if (is_true("Degraded")) return "ERROR";
  return ran ? "REGISTERING" : "PENDING";
}

SourceReport BuildSourceReport(const SourceReportInputs& in) {
  const SourceState& s = in.source;
  const SyncResult* result = in.result;
  // A missing backend set is the problem only of the sources that name it.
  std::string lb_reason = in.lb_reason;
  if (lb_reason == kReasonBackendSetNotFound && result != nullptr &&
      std::any_of(result->sets.begin(), result->sets.end(), [](const auto& kv) { return kv.second.missing; }) &&
      LoadBalancerProblemField(s, lb_reason, result).empty()) {
    lb_reason.clear();
  }
  SourceReport out;
  RegistrarStatus& status = out.status;
  int registered = 0;
  std::string binding_reason, binding_message, held;
  for (const auto& b : s.bindings) {
    if (!in.lb_id.empty() && b.load_balancer_id != in.lb_id) continue;
    if (in.bindings != nullptr) {
      auto it = in.bindings->find(s.source + "#" + b.field);
      if (it != in.bindings->end() && !it->second.reason.empty() && binding_reason.empty()) {
        binding_reason = it->second.reason;
        binding_message = b.field + ": " + it->second.message;
      }
    }
    if (result == nullptr) continue;
    auto r = result->sets.find(b.backend_set);
    if (r == result->sets.end()) continue;
    if (!r->second.held_reason.empty() && held.empty()) held = b.backend_set + ": " + r->second.held_reason;
    bool listed = std::any_of(status.backend_sets.begin(), status.backend_sets.end(),
                              [&](const BackendSetStatus& x) { return x.name == b.backend_set; });
    if (!listed) {
      status.backend_sets.push_back({.name = b.backend_set, .registered = r->second.registered, .last_sync_time = "",
                                     .last_work_request_id = r->second.last_work_request});
      registered += r->second.registered;
    }
  }
  if (s.in_error()) {
    out.reason = kReasonInvalidSpec;
    out.message = JoinProblems(s.problems) + (s.bindings.empty() ? "" : " (the last valid spec stays registered)");
  } else if (!lb_reason.empty()) {
    out.reason = lb_reason;
    out.message = LoadBalancerProblemField(s, lb_reason, result) + in.lb_message;
  } else if (!binding_reason.empty()) {
    out.reason = binding_reason;
    out.message = binding_message;
  } else if (!held.empty()) {
    out.reason = kReasonRemovalWithheld;
    out.message = held;
  }
  // Per resource: its own sets decide, not the load balancer's other sets (a write to another
  // set, or another resource's missing set, does not make this one unready).
  bool converged = result != nullptr && lb_reason.empty() &&
                   std::any_of(s.bindings.begin(), s.bindings.end(),
                               [&](const Binding& b) { return in.lb_id.empty() || b.load_balancer_id == in.lb_id; }) &&
                   std::all_of(s.bindings.begin(), s.bindings.end(), [&](const Binding& b) {
                     if (!in.lb_id.empty() && b.load_balancer_id != in.lb_id) return true;
                     auto it = result->sets.find(b.backend_set);
                     return it != result->sets.end() && it->second.converged;
                   });
  out.converged = converged;
  status.observed_generation = s.generation;
  status.registered_backends = registered;

  const bool ready = converged && out.reason.empty();
  status.conditions = in.previous_conditions;
  SetCondition(status.conditions, {.type = "Ready",
                                   .status = ready ? "True" : "False",
                                   .reason = ready                ? kReasonBackendsRegistered
                                             : out.reason.empty() ? kReasonRegistering
                                                                  : out.reason,
                                   .message = ready ? std::to_string(registered) + " backend(s) registered"
                                                    : (out.message.empty() ? "a write is in progress" : out.message),
                                   .observed_generation = s.generation,
                                   .last_transition_time = in.now});
  SetCondition(status.conditions, {.type = "Degraded",
                                   .status = out.reason.empty() ? "False" : "True",
                                   .reason = out.reason.empty() ? kReasonAsExpected : out.reason,
                                   .message = out.reason.empty() ? "" : out.message,
                                   .observed_generation = s.generation,
                                   .last_transition_time = in.now});
  status.phase = PhaseFor(status.conditions, result != nullptr);
  // Not for a source that may not use this load balancer.
  out.report_ingress =
      result != nullptr && !result->ip_addresses.empty() && in.lb_reason != kReasonLoadBalancerNotAllowed;
  return out;
}

bool KeepsPreviousStatus(const RegistrarStatus& previous, const SourceReport& next) {
  if (!next.reason.empty() || next.converged || previous.observed_generation != next.status.observed_generation) {
    return false;
  }
  // Ready, or already saying Registering: only the figures of a change on its way differ.
  return std::any_of(previous.conditions.begin(), previous.conditions.end(), [](const Condition& c) {
    return c.type == "Ready" && (c.status == "True" || c.reason == kReasonRegistering);
  });
}

}  // namespace ccm::cloud::registrar
