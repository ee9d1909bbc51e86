// The controller's Prometheus metrics (names in docs/operations.md), fed by the observer hooks
// of the OCI transport, the work queues and the registrar.
#pragma once

#include <atomic>

#include "pkg/base/metrics/registry.h"
#include "pkg/cloud/instances/oci_call_counter.h"
#include "pkg/cloud/registrar/registrar_controller.h"
#include "pkg/kube/client/request_observer.h"
#include "pkg/kube/controller/reconcile_observer.h"
#include "pkg/kube/workqueue/work_queue.h"
#include "pkg/oci/transport/call_observer.h"

namespace ccm::app {

class ControllerMetrics final : public oci::OciCallObserver,
                                public kube::WorkQueueObserver,
                                public kube::ReconcileObserver,
                                public cloud::registrar::RegistrarObserver,
                                public cloud::instances::OciCallRecorder,
                                public kube::RequestObserver {
 public:
  explicit ControllerMetrics(metrics::Registry& registry);

  void OnCall(std::string_view operation, int status, std::chrono::nanoseconds latency) override;
  void OnRateLimiterWait(bool write, std::chrono::nanoseconds waited) override;

  void OnAdd(const std::string& queue) override;
  void OnDepth(const std::string& queue, size_t depth) override;
  void OnRetry(const std::string& queue) override;
  void OnWorkDuration(const std::string& queue, Clock::Duration worked) override;

  void OnReconcile(const std::string& controller, const std::string& key, const kube::SyncOutcome& outcome,
                   Clock::Duration took) override;
  void OnBackendSet(const std::string& lb_id, const std::string& set, int registered) override;
  void OnWorkRequest(const std::string& lb_id, const std::string& result, Clock::Duration took) override;
  void OnNodeRegistered(Clock::Duration latency) override;
  void RecordOciCall(std::string_view node, std::string_view operation, bool ok) override;

  void OnKubeRequest(std::string_view verb, int code) override;
  void OnKubeRateLimiterWait(std::string_view verb, std::chrono::nanoseconds waited) override;

  void SetLeader(bool leading);

 private:
  metrics::Family<metrics::Counter>& oci_requests_;
  metrics::Family<metrics::Histogram>& oci_duration_;
  metrics::Family<metrics::Histogram>& oci_rate_limiter_;
  metrics::Family<metrics::Histogram>& work_request_duration_;
  metrics::Family<metrics::Counter>& reconciles_;
  metrics::Family<metrics::Counter>& reconcile_errors_;
  metrics::Family<metrics::Histogram>& reconcile_duration_;
  metrics::Family<metrics::Gauge>& queue_depth_;
  metrics::Family<metrics::Counter>& queue_adds_;
  metrics::Family<metrics::Counter>& queue_retries_;
  metrics::Family<metrics::Gauge>& backends_;
  metrics::Family<metrics::Gauge>& leader_;
  metrics::Family<metrics::Histogram>& node_registration_;
  metrics::Family<metrics::Counter>& node_oci_calls_;
  metrics::Family<metrics::Counter>& kube_requests_;
  metrics::Family<metrics::Histogram>& kube_rate_limiter_;
};

}  // namespace ccm::app
