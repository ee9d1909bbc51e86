// The ReservedIP controller: OCI reserved public IPs as namespaced ReservedIP resources,
// assigned to pods (VCN-native pod networking) or straight to a private IP.
//
//   informer events (ReservedIP, Pod) -> "namespace/name" keys -> QueueDriver -> Sync(key):
//   cached ReservedIP + pod + node -> ParseReservedIPSpec, DesiredTarget (pure)
//   -> PublicIpWriter (the only OCI caller; one step per run, never waits)
//   -> BuildStatus (pure) -> status patch, Events -> SyncOutcome (poll timer, backoff).
//
// A finalizer is added before the first OCI write and removed only once the public IP is
// released (reclaimPolicy Delete, created here) or unassigned (Retain, or adopted).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/base/thread_annotations.h"
#include "pkg/cloud/reservedip/public_ip_writer.h"
#include "pkg/cloud/reservedip/reservedip_projection.h"
#include "pkg/cloud/reservedip/reservedip_status.h"
#include "pkg/kube/controller/queue_driver.h"
#include "pkg/kube/controller/sync_outcome.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/informer/informer.h"
#include "pkg/kube/informer/projections.h"
#include "pkg/kube/rest_client.h"
#include "pkg/kube/workqueue/work_queue.h"

namespace ccm::cloud::reservedip {

struct ReservedIPOptions {
  int workers = 2;
  WriterSettings writer;
  // A problem only the user can fix in OCI (the target private IP has another public IP, an
  // unknown pool): looked at again after this, not on the queue's fast backoff.
  Clock::Duration user_error_retry = std::chrono::seconds(30);
  kube::ReconcileObserver* reconcile_observer = nullptr;
  kube::WorkQueueObserver* queue_observer = nullptr;
};

struct ReservedIPInformers {
  kube::Informer<ReservedIPObject>& reservedips;
  kube::Informer<PodRef>& pods;
  kube::Informer<kube::Node>& nodes;
};

// The collection path of ReservedIPs; the informer's path.
inline constexpr char kReservedIPsPath[] = "/apis/oci.k8s.logmein.com/v1alpha1/reservedips";

class ReservedIPController {
 public:
  static constexpr char kControllerName[] = "reservedip";

  // Everything must outlive the controller. Adds handlers: construct before the informers start.
  ReservedIPController(kube::RestClient& client, ReservedIPInformers informers,
                       oci::VirtualNetworkApi& network, oci::ComputeApi& compute,
                       kube::EventRecorder& events, const Clock& clock, ReservedIPOptions options);
  ~ReservedIPController();
  ReservedIPController(const ReservedIPController&) = delete;
  ReservedIPController& operator=(const ReservedIPController&) = delete;

  // Queues every cached ReservedIP and starts the workers.
  void Start();
  void Stop();

  // One reconcile of "namespace/name" (what a worker runs).
  kube::SyncOutcome Sync(const std::string& key);
  kube::WorkQueue& queue() { return queue_; }

 private:
  struct HandlerLink;

  void OnPod(const PodRef& pod);
  kube::SyncOutcome SyncDeleting(const ReservedIPObject& obj,
                                 const std::expected<ReservedIPSpec, SpecProblem>& spec);
  Status SetFinalizer(const ReservedIPObject& obj, bool present);
  // Patches the status when it differs from what was last written.
  Status WriteStatus(const ReservedIPObject& obj, const StatusInput& in);
  void Emit(const ReservedIPObject& obj, const std::vector<WriterEvent>& events);
  // A Warning Event for a problem, once per (generation, reason).
  void WarnOnce(const ReservedIPObject& obj, const std::string& reason, const std::string& message);
  kube::ObjectReference RefOf(const ReservedIPObject& obj) const;
  static std::string ApiPath(const ReservedIPObject& obj);

  kube::RestClient& client_;
  ReservedIPInformers informers_;
  kube::EventRecorder& events_;
  const Clock& clock_;
  ReservedIPOptions options_;
  PublicIpWriter writer_;
  kube::WorkQueue queue_;
  kube::QueueDriver driver_;
  std::shared_ptr<HandlerLink> link_;

  Mutex mu_;
  std::map<std::string, ReservedIPStatus> last_status_ GUARDED_BY(mu_);  // key -> last written
  std::map<std::string, std::string> last_warning_ GUARDED_BY(mu_);      // key -> "generation/reason" last warned
};

}  // namespace ccm::cloud::reservedip
