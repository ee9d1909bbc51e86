#include "cmd/oci-lb-registrar-ccm/controller_metrics.h"

namespace ccm::app {
namespace {

double Seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

// Work requests take seconds to minutes; API calls milliseconds to seconds.
const std::vector<double> kWorkRequestBuckets = {0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600};
const std::vector<double> kCallBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

}  // namespace

ControllerMetrics::ControllerMetrics(metrics::Registry& r)
    : oci_requests_(r.AddCounter("oci_lb_registrar_oci_requests_total",
                                 "OCI HTTP attempts by operation and status code (0: no answer).", {"operation", "code"})),
      oci_duration_(r.AddHistogram("oci_lb_registrar_oci_request_duration_seconds", "OCI call latency.",
                                   {"operation"}, kCallBuckets)),
      oci_rate_limiter_(r.AddHistogram("oci_lb_registrar_oci_rate_limiter_duration_seconds",
                                       "Time OCI call attempts waited for the cloud-config rateLimiter, by bucket.",
                                       {"bucket"}, kCallBuckets)),
      work_request_duration_(r.AddHistogram("oci_lb_registrar_work_request_duration_seconds",
                                            "Backend-set work requests, submission to completion, by result.",
                                            {"result"}, kWorkRequestBuckets)),
      reconciles_(r.AddCounter("oci_lb_registrar_reconciles_total", "Reconcile runs by controller and result.",
                               {"controller", "result"})),
      reconcile_errors_(r.AddCounter("oci_lb_registrar_reconcile_errors_total",
                                     "Failed reconcile runs by controller and reason (the condition reason users see).",
                                     {"controller", "reason"})),
      reconcile_duration_(r.AddHistogram("oci_lb_registrar_reconcile_duration_seconds", "Time of one reconcile run.",
                                         {"controller"}, kCallBuckets)),
      queue_depth_(r.AddGauge("oci_lb_registrar_workqueue_depth", "Keys waiting in a work queue.", {"queue"})),
      queue_adds_(r.AddCounter("oci_lb_registrar_workqueue_adds_total", "Keys queued (duplicates excluded).", {"queue"})),
      queue_retries_(r.AddCounter("oci_lb_registrar_workqueue_retries_total", "Rate-limited requeues.", {"queue"})),
      backends_(r.AddGauge("oci_lb_registrar_backends_registered", "Desired backends present in OCI.",
                           {"load_balancer", "backend_set"})),
      leader_(r.AddGauge("oci_lb_registrar_leader", "1 while this replica holds the leader Lease.")),
      node_registration_(r.AddHistogram("oci_lb_registrar_node_registration_latency_seconds",
                                        "From a node first seen Ready to its first backend landing in OCI.", {},
                                        kWorkRequestBuckets)),
      node_oci_calls_(r.AddCounter("oci_lb_registrar_node_oci_calls_total",
                                   "Compute calls the node controllers made, by operation and result.",
                                   {"operation", "result"})),
      kube_requests_(r.AddCounter("rest_client_requests_total",
                                  "Kubernetes API requests by verb and status code (0: no answer), as client-go names it.",
                                  {"verb", "code"})),
      kube_rate_limiter_(r.AddHistogram("rest_client_rate_limiter_duration_seconds",
                                        "Time Kubernetes API requests waited for the client-side QPS limit, by verb, "
                                        "as client-go names it.",
                                        {"verb"}, kCallBuckets)) {}

void ControllerMetrics::OnKubeRequest(std::string_view verb, int code) {
  kube_requests_.WithLabels({std::string(verb), std::to_string(code)}).Inc();
}

void ControllerMetrics::OnKubeRateLimiterWait(std::string_view verb, std::chrono::nanoseconds waited) {
  kube_rate_limiter_.WithLabels({std::string(verb)}).Observe(Seconds(waited));
}

void ControllerMetrics::OnRateLimiterWait(bool write, std::chrono::nanoseconds waited) {
  oci_rate_limiter_.WithLabels({write ? "write" : "read"}).Observe(Seconds(waited));
}

void ControllerMetrics::OnCall(std::string_view operation, int status, std::chrono::nanoseconds latency) {
  std::string op(operation);
  oci_requests_.WithLabels({op, std::to_string(status)}).Inc();
  oci_duration_.WithLabels({op}).Observe(Seconds(latency));
}

void ControllerMetrics::OnAdd(const std::string& queue) { queue_adds_.WithLabels({queue}).Inc(); }
void ControllerMetrics::OnDepth(const std::string& queue, size_t depth) {
  queue_depth_.WithLabels({queue}).Set(static_cast<double>(depth));
}
void ControllerMetrics::OnRetry(const std::string& queue) { queue_retries_.WithLabels({queue}).Inc(); }
void ControllerMetrics::OnWorkDuration(const std::string& queue, Clock::Duration worked) {
  reconcile_duration_.WithLabels({queue}).Observe(Seconds(worked));
}

void ControllerMetrics::OnReconcile(const std::string& controller, const std::string&, const kube::SyncOutcome& outcome,
                                    Clock::Duration) {
  reconciles_.WithLabels({controller, outcome.ok() ? "success" : "error"}).Inc();
  if (!outcome.ok()) reconcile_errors_.WithLabels({controller, outcome.reason.empty() ? "Unknown" : outcome.reason}).Inc();
}
void ControllerMetrics::OnBackendSet(const std::string& lb_id, const std::string& set, int registered) {
  backends_.WithLabels({lb_id, set}).Set(registered);
}
void ControllerMetrics::OnWorkRequest(const std::string&, const std::string& result, Clock::Duration took) {
  work_request_duration_.WithLabels({result}).Observe(Seconds(took));
}
void ControllerMetrics::OnNodeRegistered(Clock::Duration latency) {
  node_registration_.WithLabels({}).Observe(Seconds(latency));
}
void ControllerMetrics::RecordOciCall(std::string_view, std::string_view operation, bool ok) {
  node_oci_calls_.WithLabels({operation, ok ? "ok" : "error"}).Inc();
}
void ControllerMetrics::SetLeader(bool leading) { leader_.WithLabels({}).Set(leading ? 1 : 0); }

}  // namespace ccm::app
