// The LoadBalancer sub-controller. Data flows one way:
//   informer events -> sources' bindings (BindingRegistry) -> load-balancer keys queued
//   -> one worker per load balancer computes desired state from the caches and runs that
//      load balancer's single writer (LoadBalancerSync) -> status, events, finalizers.
// Handlers never call an API; only syncs do. A sync returns one SyncOutcome; the shared
// work-queue driver (pkg/kube/controller) turns it into the queue's retry or timer and into
// metrics.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/cloud/registrar/backend_set_api_resolver.h"
#include "pkg/cloud/registrar/binding_registry.h"
#include "pkg/cloud/registrar/lbregistrar_projection.h"
#include "pkg/cloud/registrar/load_balancer_access.h"
#include "pkg/cloud/registrar/load_balancer_sync.h"
#include "pkg/cloud/registrar/ownership_store.h"
#include "pkg/cloud/registrar/source_objects.h"
#include "pkg/cloud/registrar/source_status.h"
#include "pkg/kube/controller/queue_driver.h"
#include "pkg/kube/controller/sync_outcome.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/informer/informer.h"
#include "pkg/kube/rest_client.h"
#include "pkg/kube/workqueue/work_queue.h"

namespace ccm::cloud::registrar {

struct RegistrarOptions {
  std::string controller_namespace = "kube-system";
  // Namespaces an LBRegistrar's apiKey Secret may live in; empty = the controller's own.
  std::set<std::string> secret_namespaces;
  // Load balancers an annotated Service may target (a namespace-level permission must not
  // reach every load balancer the controller can write): OCIDs, or compartments.
  std::set<std::string> allowed_load_balancers;
  std::set<std::string> allowed_compartments;
  int workers = 4;
  SyncSettings sync;
  kube::WorkQueueObserver* queue_observer = nullptr;
  kube::ReconcileObserver* reconcile_observer = nullptr;
  // For status and Service ingress writes, which describe and may yield to the writes that gate
  // OCI work (finalizers, ownership records). Null: the main client.
  kube::RestClient* status_client = nullptr;
};

struct RegistrarInformers {
  kube::Informer<kube::Node>& nodes;
  kube::Informer<kube::Service>& services;
  kube::Informer<kube::EndpointSlice>& endpoint_slices;
  kube::Informer<LBRegistrarObject>& registrars;
};

// Observes what the writer did, for metrics.
class RegistrarObserver {
 public:
  virtual ~RegistrarObserver() = default;
  virtual void OnBackendSet(const std::string& /*lb_id*/, const std::string& /*set*/, int /*registered*/) {}
  virtual void OnWorkRequest(const std::string& /*lb_id*/, const std::string& /*result*/, Clock::Duration /*took*/) {}
  // A node's first backend landed in OCI `latency` after the controller first saw it Ready.
  virtual void OnNodeRegistered(Clock::Duration /*latency*/) {}
};

class RegistrarController {
 public:
  // The metrics label of this controller's syncs (and its queue's name).
  static constexpr char kControllerName[] = "service";

  RegistrarController(kube::RestClient& client, RegistrarInformers informers, BackendSetApiResolver& apis,
                      OwnershipStore& ownership, kube::EventRecorder& events, const Clock& clock,
                      RegistrarOptions options, RegistrarObserver* observer = nullptr);
  ~RegistrarController();

  // Before the informers start: adds handlers and indexes.
  void RegisterHandlers();
  // Starts workers; load balancers with an ownership record are queued too, so sets whose
  // sources vanished while the controller was down are cleaned up.
  void Start();
  // Stops taking work; in-flight runs finish (a pending work request is simply re-polled by
  // the next leader: OCI applies it either way).
  void Stop();

  bool CachesSynced() const;
  // Statuses decided and not yet written (the background writer's queue).
  size_t QueuedStatusWrites() const { return objects_.queued_statuses(); }

  // One sync of a queue key ("lb/<OCID>" or "src/<source>"): what a worker runs.
  kube::SyncOutcome Sync(const std::string& key);
  static std::string LoadBalancerKey(const std::string& lb_id);
  static std::string SourceKey(const std::string& source);
  kube::WorkQueue& queue() { return queue_; }

 private:
  void OnRegistrar(const LBRegistrarObject& obj, bool deleted);
  void OnService(const kube::Service& svc, bool deleted);
  void OnNode(const kube::Node& node, bool deleted);
  void EnqueueLoadBalancers(const std::set<std::string>& lbs);
  void EnqueueAllLoadBalancers();
  kube::SyncOutcome SyncLoadBalancer(const std::string& lb_id);
  kube::SyncOutcome SyncSource(const std::string& source);
  LoadBalancerSync& WriterFor(const std::string& lb_id);
  // Status, conditions and Warning Event of one source after a run; false when the ingress
  // of one of its Services could not be written (the run then comes back for it).
  bool ReportSource(const SourceState& s, const std::string& lb_id, const SyncResult* result,
                    const std::string& lb_reason,
                    const std::string& lb_message, const std::map<std::string, BindingResult>* bindings);
  bool ReportIngress(const SourceState& s, const std::vector<std::string>& ips);
  void ReportNotes(const SourceState& s);
  void ReportWrites(const std::string& lb_id, const std::vector<SourceState>& sources, const SyncResult& result);
  // Removes the finalizer of a deleting source no ownership record names any more.
  Status FinishDeletion(const SourceState& s);
  Status FinishDeletions(const std::vector<SourceState>& sources);
  void ForgetSource(const std::string& source);
  kube::ObjectReference RefFor(const std::string& source) const;

  RegistrarInformers informers_;
  OwnershipStore& ownership_;
  kube::EventRecorder& events_;
  const Clock& clock_;
  RegistrarOptions options_;
  RegistrarObserver* observer_;
  LoadBalancerAccess access_;
  SourceObjects objects_;
  BindingRegistry registry_;
  kube::WorkQueue queue_;
  kube::QueueDriver driver_;
  std::atomic<bool> started_{false};
  std::atomic<bool> caches_synced_logged_{false};

  Mutex mu_;
  std::map<std::string, std::unique_ptr<LoadBalancerSync>> syncs_ GUARDED_BY(mu_);
  std::map<std::string, RegistrarStatus> last_status_ GUARDED_BY(mu_);   // source -> last written
  std::map<std::string, int64_t> notes_reported_ GUARDED_BY(mu_);        // source -> generation whose notes were sent
  std::map<std::string, Clock::TimePoint> ready_since_ GUARDED_BY(mu_);  // node -> first seen Ready, until registered
};

}  // namespace ccm::cloud::registrar
