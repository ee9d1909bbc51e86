#include "cmd/oci-lb-registrar-ccm/controller_manager.h"

#include <glog/logging.h>
#include <unistd.h>

#include <random>
#include <thread>
#include <vector>

#include "pkg/base/mutex.h"
#include "pkg/cloud/instances/instances.h"
#include "pkg/cloud/nodecontroller/cloud_node_controller.h"
#include "pkg/cloud/nodecontroller/node_lifecycle_controller.h"
#include "pkg/cloud/registrar/ownership_store.h"
#include "pkg/cloud/registrar/registrar_controller.h"
#include "pkg/cloud/reservedip/reservedip_controller.h"
#include "pkg/kube/informer/informer.h"

namespace ccm::app {
namespace {

std::string NewIdentity() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  std::random_device rd;
  static const char* kHex = "0123456789abcdef";
  std::string suffix;
  for (int i = 0; i < 8; ++i) suffix.push_back(kHex[rd() % 16]);
  return std::string(host) + "_" + suffix;
}

}  // namespace

// Everything that exists only while this process leads.
struct ControllerManager::Running {
  kube::Informer<kube::Node> nodes;
  kube::Informer<kube::Service> services;
  kube::Informer<kube::EndpointSlice> slices;
  kube::Informer<cloud::registrar::LBRegistrarObject> registrars;
  std::unique_ptr<cloud::registrar::ConfigMapOwnershipStore> ownership;
  std::unique_ptr<cloud::registrar::RegistrarController> registrar;
  std::unique_ptr<cloud::instances::Instances> instances;  // shared: one cache, bounded OCI calls
  std::unique_ptr<cloud::nodecontroller::CloudNodeController> cloud_node;
  std::unique_ptr<cloud::nodecontroller::NodeLifecycleController> lifecycle;
  // Only with --controllers naming reservedip (its CRD may not be installed otherwise).
  std::unique_ptr<kube::Informer<cloud::reservedip::ReservedIPObject>> reservedips;
  std::unique_ptr<kube::Informer<cloud::reservedip::PodRef>> pods;
  std::unique_ptr<cloud::reservedip::ReservedIPController> reservedip;

  Running(kube::RestClient& client, const Clock& clock)
      // Nodes (images lists, managedFields) and EndpointSlices (up to 100 endpoints) run to
      // ~10-20 KB each: pages of 100 keep a page's text near 1-2 MB. One page is held while
      // it is projected.
      : nodes(client, {.name = "nodes", .path = "/api/v1/nodes", .page_size = 100}, kube::ProjectNode, clock),
        services(client, {.name = "services", .path = "/api/v1/services"}, kube::ProjectService, clock),
        slices(client, {.name = "endpointslices", .path = "/apis/discovery.k8s.io/v1/endpointslices", .page_size = 100},
               kube::ProjectEndpointSlice, clock),
        registrars(client, {.name = "lbregistrars", .path = "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars"},
                   cloud::registrar::ProjectLBRegistrar, clock) {}

  bool Synced() const {
    return nodes.HasSynced() && services.HasSynced() && slices.HasSynced() && registrars.HasSynced() &&
           (!reservedips || reservedips->HasSynced()) && (!pods || pods->HasSynced());
  }
};

ControllerManager::ControllerManager(Options options, cloud::CloudConfig config,
                                     std::unique_ptr<kube::HttpRestClient> client, std::unique_ptr<cloud::OciApis> oci,
                                     const Clock& clock, ControllerMetrics* metrics)
    : options_(std::move(options)),
      config_(std::move(config)),
      client_(std::move(client)),
      yielding_client_(client_->Yielding()),
      oci_(std::move(oci)),
      clock_(clock),
      metrics_(metrics),
      identity_(NewIdentity()) {
  events_ = std::make_unique<kube::AsyncEventRecorder>(*yielding_client_, kube::EventRecorderOptions{.instance = identity_},
                                                       clock_);
}

ControllerManager::~ControllerManager() {
  StopControllers();
  if (events_) events_->Shutdown();
}

void ControllerManager::StartControllers() {
  MutexLock lock(mu_);
  if (running_ || shutdown_) return;
  leading_ = true;
  auto running = std::make_unique<Running>(*client_, clock_);
  if (options_.controllers.contains(kControllerService)) {
    running->ownership =
        std::make_unique<cloud::registrar::ConfigMapOwnershipStore>(*client_, options_.controller_namespace);
    cloud::registrar::RegistrarOptions ro{
        .controller_namespace = options_.controller_namespace,
        .secret_namespaces = options_.secret_namespaces,
        .allowed_load_balancers = {config_.registrar.allowed_load_balancers.begin(),
                                   config_.registrar.allowed_load_balancers.end()},
        .allowed_compartments = {config_.registrar.allowed_compartments.begin(),
                                 config_.registrar.allowed_compartments.end()},
        .workers = options_.concurrent_service_syncs,
        .sync = {.drain_period = config_.registrar.drain_period,
                 .resync_period = config_.registrar.resync_period,
                 .work_request_timeout = config_.registrar.work_request_timeout},
        .queue_observer = metrics_,
        .reconcile_observer = metrics_,
        .status_client = yielding_client_.get()};
    running->registrar = std::make_unique<cloud::registrar::RegistrarController>(
        *client_,
        cloud::registrar::RegistrarInformers{running->nodes, running->services, running->slices, running->registrars},
        *oci_, *running->ownership, *events_, clock_, ro, metrics_);
    running->registrar->RegisterHandlers();
  }
  if (options_.controllers.contains(kControllerCloudNode) ||
      options_.controllers.contains(kControllerCloudNodeLifecycle)) {
    running->instances = std::make_unique<cloud::instances::Instances>(
        oci_->compute(), clock_,
        cloud::instances::InstancesOptions{
            .compartment_id = config_.compartment, .region = config_.auth.region, .recorder = metrics_});
  }
  if (options_.controllers.contains(kControllerCloudNode)) {
    running->cloud_node = std::make_unique<cloud::nodecontroller::CloudNodeController>(
        *client_, running->nodes, *running->instances, clock_,
        cloud::nodecontroller::CloudNodeControllerOptions{
            .node_status_update_frequency = options_.node_status_update_frequency,
            .recorder = events_.get(),
            .reconcile_observer = metrics_});
  }
  if (options_.controllers.contains(kControllerCloudNodeLifecycle)) {
    running->lifecycle = std::make_unique<cloud::nodecontroller::NodeLifecycleController>(
        *client_, running->nodes.store(), *running->instances, clock_,
        cloud::nodecontroller::NodeLifecycleControllerOptions{.node_monitor_period = options_.node_monitor_period,
                                                              .recorder = events_.get(),
                                                              .reconcile_observer = metrics_});
  }
  if (options_.controllers.contains(kControllerReservedIP)) {
    running->reservedips = std::make_unique<kube::Informer<cloud::reservedip::ReservedIPObject>>(
        *client_, kube::ReflectorOptions{.name = "reservedips", .path = cloud::reservedip::kReservedIPsPath},
        cloud::reservedip::ProjectReservedIP, clock_);
    running->pods = std::make_unique<kube::Informer<cloud::reservedip::PodRef>>(
        *client_, kube::ReflectorOptions{.name = "pods", .path = "/api/v1/pods", .page_size = 500},
        cloud::reservedip::ProjectPod, clock_);
    running->reservedip = std::make_unique<cloud::reservedip::ReservedIPController>(
        *client_, cloud::reservedip::ReservedIPInformers{*running->reservedips, *running->pods, running->nodes},
        oci_->virtual_network(), oci_->compute(), *events_, clock_,
        cloud::reservedip::ReservedIPOptions{.workers = options_.concurrent_service_syncs,
                                             .writer = {.compartment_id = config_.compartment},
                                             .reconcile_observer = metrics_,
                                             .queue_observer = metrics_});
  }
  running->nodes.Start();
  running->services.Start();
  running->slices.Start();
  running->registrars.Start();
  if (running->registrar) running->registrar->Start();
  if (running->reservedips) running->reservedips->Start();
  if (running->pods) running->pods->Start();
  if (running->reservedip) running->reservedip->Start();
  if (running->cloud_node) running->cloud_node->Start();
  if (running->lifecycle) running->lifecycle->Start();
  running_ = std::move(running);
  if (metrics_) metrics_->SetLeader(true);
  LOG(INFO) << "controllers started (identity " << identity_ << ")";
}

void ControllerManager::StopControllers() {
  std::unique_ptr<Running> running;
  {
    MutexLock lock(mu_);
    running = std::move(running_);
  }
  if (!running) return;
  if (metrics_) metrics_->SetLeader(false);
  // Stop taking work first; runs in flight finish. A submitted work request needs nothing
  // from us: OCI completes it and the next leader re-reads the backend set.
  if (running->registrar) running->registrar->Stop();
  if (running->reservedip) running->reservedip->Stop();
  if (running->lifecycle) running->lifecycle->Stop();
  if (running->cloud_node) running->cloud_node->Stop();
  // Nothing writes any more. Each informer may wait about a second for its open watch to
  // notice the stop; stop them together so the lease is released (and a standby takes over)
  // a second after SIGTERM, not four.
  std::vector<std::thread> stopping;
  stopping.emplace_back([&] { running->registrars.Stop(); });
  stopping.emplace_back([&] { running->slices.Stop(); });
  stopping.emplace_back([&] { running->services.Stop(); });
  stopping.emplace_back([&] { running->nodes.Stop(); });
  if (running->reservedips) stopping.emplace_back([&] { running->reservedips->Stop(); });
  if (running->pods) stopping.emplace_back([&] { running->pods->Stop(); });
  for (auto& t : stopping) t.join();
  LOG(INFO) << "controllers stopped";
}

bool ControllerManager::Ready() const {
  MutexLock lock(mu_);
  if (!running_) return !leading_;  // a standby replica is ready to take over
  return running_->Synced();
}

Status ControllerManager::Healthy() const {
  MutexLock lock(mu_);
  if (!elector_) return {};
  return elector_->Check(std::chrono::seconds(20));
}

void ControllerManager::Shutdown() {
  MutexLock lock(mu_);
  shutdown_ = true;
  cv_.notify_all();
}

int ControllerManager::Run() {
  std::thread election;
  kube::LeaderElector* campaigner = nullptr;  // elector_, which only this thread replaces
  if (options_.leader_elect) {
    kube::LeaderElectionConfig lc{.lease_namespace = options_.lease_namespace,
                                  .lease_name = options_.lease_name,
                                  .identity = identity_,
                                  .lease_duration = options_.lease_duration,
                                  .renew_deadline = options_.renew_deadline,
                                  .retry_period = options_.retry_period};
    auto elector = kube::LeaderElector::Create(
        *client_, lc,
        {.on_started_leading = [this] { StartControllers(); },
         .on_stopped_leading =
             [this] {
               MutexLock lock(mu_);
               if (!shutdown_) {
                 LOG(ERROR) << "leader election lost: stopping";
                 lost_ = true;
               }
               cv_.notify_all();
             },
         .on_new_leader = [](const std::string& id) { LOG(INFO) << "current leader: " << id; }},
        clock_);
    if (!elector) {
      LOG(ERROR) << elector.error().ToString();
      return 1;
    }
    {
      MutexLock lock(mu_);
      elector_ = std::move(*elector);
      campaigner = elector_.get();
    }
    election = std::thread([campaigner] { campaigner->Run(); });
  } else {
    StartControllers();
  }
  {
    MutexLock lock(mu_);
    cv_.wait(lock.native(), [this] {
      mu_.AssertHeld();
      return shutdown_ || lost_;
    });
  }
  StopControllers();
  if (election.joinable()) {
    campaigner->Stop();  // releases the lease when we held it
    election.join();
  }
  events_->Flush(std::chrono::seconds(3));
  events_->Shutdown();
  bool lost;
  {
    MutexLock lock(mu_);
    lost = lost_;
  }
  return lost ? 1 : 0;
}

}  // namespace ccm::app
