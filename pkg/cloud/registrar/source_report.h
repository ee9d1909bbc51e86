// What one load balancer's run means for one source: its status (figures, conditions, phase)
// and the one reason a Warning Event carries. A pure function of the run, the source and the
// source's previous conditions, so every rule of what users read is table-tested.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pkg/cloud/registrar/binding_registry.h"
#include "pkg/cloud/registrar/desired_state.h"
#include "pkg/cloud/registrar/load_balancer_sync.h"
#include "pkg/cloud/registrar/source_status.h"

namespace ccm::cloud::registrar {

struct SourceReportInputs {
  const SourceState& source;
  // The load balancer the run wrote; the source's bindings on other load balancers are
  // reported by their own runs.
  std::string lb_id;
  // The load balancer's run; null when no run reached OCI (credentials, ownership records).
  const SyncResult* result = nullptr;
  // A load-balancer-level failure (a kReason* constant) and its message; "" when none.
  std::string lb_reason;
  std::string lb_message;
  // Binding resolutions of this run, by "<source>#<field>".
  const std::map<std::string, BindingResult>* bindings = nullptr;
  std::vector<Condition> previous_conditions;
  std::string now;  // RFC 3339, for a condition whose status changes
};

struct [[nodiscard]] SourceReport {
  RegistrarStatus status;
  std::string reason;  // the Ready=False / Degraded=True reason; "" when healthy
  std::string message;
  // Every backend set of the source on this load balancer matches its desired state.
  bool converged = false;
  // The load balancer's addresses belong in the source's Services' ingress.
  bool report_ingress = false;
};

SourceReport BuildSourceReport(const SourceReportInputs& in);

// Whether `previous` (the last status written) stays instead of `next`: a change of the same
// generation still on its way (its set awaits its turn or its write is in flight) does not take
// a Ready resource out of Ready, since the backends it registered keep serving, and a resource
// already saying Registering is not rewritten for each step of it. The status changes when the
// change has landed: one status write per change. Problems are always reported, and a new
// generation always shows.
bool KeepsPreviousStatus(const RegistrarStatus& previous, const SourceReport& next);

// The phase clients of the Go operator read, derived from the conditions so the two never
// disagree: READY only with Ready=True, ERROR with Degraded=True, else PENDING until a run
// reached OCI and REGISTERING after.
std::string PhaseFor(const std::vector<Condition>& conditions, bool ran);

}  // namespace ccm::cloud::registrar
