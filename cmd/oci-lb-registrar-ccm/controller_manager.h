// Wires clients, caches and controllers, and runs them while this process leads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>

#include "cmd/oci-lb-registrar-ccm/controller_metrics.h"
#include "cmd/oci-lb-registrar-ccm/options.h"
#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/cloud/config/cloud_config.h"
#include "pkg/cloud/oci_apis.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/leaderelection/leader_elector.h"

namespace ccm::app {

class ControllerManager {
 public:
  ControllerManager(Options options, cloud::CloudConfig config, std::unique_ptr<kube::HttpRestClient> client,
                    std::unique_ptr<cloud::OciApis> oci, const Clock& clock, ControllerMetrics* metrics = nullptr);
  ~ControllerManager();

  // Blocks until Shutdown() or lost leadership. Returns the process exit code: 0 after a clean
  // shutdown, 1 when leadership was lost (another replica takes over; this one restarts clean).
  int Run();
  // Stops taking work, lets in-flight runs finish, releases the lease. Safe from any thread.
  void Shutdown();

  bool Ready() const;
  Status Healthy() const;

 private:
  struct Running;
  void StartControllers();
  void StopControllers();

  Options options_;
  cloud::CloudConfig config_;
  std::unique_ptr<kube::HttpRestClient> client_;
  // Events, status and ingress: the same QPS budget, yielding to client_'s requests.
  std::unique_ptr<kube::HttpRestClient> yielding_client_;
  std::unique_ptr<cloud::OciApis> oci_;
  const Clock& clock_;
  ControllerMetrics* metrics_;
  const std::string identity_;
  std::unique_ptr<kube::AsyncEventRecorder> events_;
  std::unique_ptr<kube::LeaderElector> elector_ GUARDED_BY(mu_);
  std::unique_ptr<Running> running_ GUARDED_BY(mu_);
  mutable Mutex mu_;
  std::condition_variable cv_;
  bool shutdown_ GUARDED_BY(mu_) = false;
  bool lost_ GUARDED_BY(mu_) = false;
  bool leading_ GUARDED_BY(mu_) = false;
};

}  // namespace ccm::app
