#include "pkg/cloud/nodecontroller/cloud_node_controller.h"

#include <glog/logging.h>

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "pkg/cloud/instances/provider_id.h"
#include "pkg/cloud/nodecontroller/node_patches.h"
#include "pkg/cloud/nodecontroller/node_taints.h"
#include "pkg/cloud/zones/zones.h"

namespace ccm::cloud::nodecontroller {

// Informer handlers outlive nothing they point to: the controller detaches on destruction.
struct CloudNodeController::HandlerLink {
  Mutex mu;
  CloudNodeController* controller GUARDED_BY(mu) = nullptr;
};

namespace {

constexpr char kReasonInitializationFailed[] = "InitializationFailed";

kube::ObjectReference NodeRef(const kube::Node& node) {
  return kube::ObjectReference{.kind = "Node", .namespace_ = "", .name = node.name, .uid = node.uid,
                               .api_version = "v1", .resource_version = ""};
}

bool SameAddresses(const std::vector<kube::NodeAddress>& current, const std::vector<instances::Address>& wanted) {
  if (current.size() != wanted.size()) return false;
  for (size_t i = 0; i < current.size(); ++i) {
    if (current[i].type != wanted[i].type || current[i].address != wanted[i].address) return false;
  }
  return true;
}

}  // namespace

CloudNodeController::CloudNodeController(kube::RestClient& client, kube::Informer<kube::Node>& nodes,
                                         instances::Instances& instances, const Clock& clock,
                                         CloudNodeControllerOptions options)
    : client_(client),
      nodes_(nodes),
      instances_(instances),
      clock_(clock),
      options_(std::move(options)),
      queue_(clock, kube::WorkQueueOptions{.name = kControllerName,
                                           .observer = nullptr,
                                           .rate_limiter = kube::DefaultControllerRateLimiter(clock, options_.retry)}),
      driver_(queue_, clock, [this](const std::string& name) { return SyncNode(name); },
              kube::QueueDriverOptions{.controller = kControllerName,
                                       .workers = options_.workers,
                                       .observer = options_.reconcile_observer}),
      link_(std::make_shared<HandlerLink>()) {
  link_->controller = this;
  auto with = [link = link_](auto fn) {
    MutexLock lock(link->mu);
    if (link->controller != nullptr) fn(*link->controller);
  };
  nodes_.AddHandlers({
      .on_add = [with](const kube::Node& n) { with([&](CloudNodeController& c) { c.Enqueue(n); }); },
      .on_update = [with](const kube::Node&, const kube::Node& n) {
        with([&](CloudNodeController& c) { c.Enqueue(n); });
      },
      .on_delete = [with](const kube::Node& n) {
        with([&](CloudNodeController& c) { c.instances_.Forget(n.name); });
      },
  });
}

CloudNodeController::~CloudNodeController() {
  {
    MutexLock lock(link_->mu);
    link_->controller = nullptr;
  }
  Stop();
}

void CloudNodeController::Enqueue(const kube::Node& node) {
  if (HasTaint(node, kUninitializedTaintKey)) queue_.Add(node.name);
}

void CloudNodeController::Start() {
  MutexLock lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  for (const auto& node : nodes_.store().List()) Enqueue(*node);
  driver_.Start();
  refresher_ = std::thread([this] { RefreshLoop(); });
}

void CloudNodeController::Stop() {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  driver_.Stop();
  if (refresher_.joinable()) refresher_.join();
}

void CloudNodeController::RefreshLoop() {
  MutexLock lock(mu_);
  while (!stopping_) {
    Clock::TimePoint next = clock_.Now() + options_.node_status_update_frequency;
    while (!stopping_ && clock_.Now() < next) clock_.WaitUntil(cv_, lock.native(), next);
    if (stopping_) break;
    lock.Unlock();
    UpdateNodeStatuses();
    lock.Lock();
  }
}

void CloudNodeController::Warn(const kube::Node& node, const std::string& reason, const std::string& message) {
  if (options_.recorder != nullptr) {
    options_.recorder->Record(NodeRef(node), kube::EventType::kWarning, reason, message);
  }
}

kube::SyncOutcome CloudNodeController::SyncNode(const std::string& name) {
  auto node = nodes_.store().Get(name);
  if (node == nullptr || node->deleting || !HasTaint(*node, kUninitializedTaintKey)) return kube::SyncOutcome::Done();
  auto done = Initialize(*node);
  if (!done) {
    Warn(*node, kReasonInitializationFailed, "Failed to initialize node from OCI: " + done.error().ToString());
    return kube::SyncOutcome::Retry(done.error(), kReasonInitializationFailed);
  }
  if (!*done) return kube::SyncOutcome::Done();
  ++initialized_;
  LOG(INFO) << "cloud-node: initialized node " << name;
  if (options_.recorder != nullptr) {
    options_.recorder->Record(NodeRef(*node), kube::EventType::kNormal, "Synced", "Node synced successfully");
  }
  return kube::SyncOutcome::Done();
}

Result<bool> CloudNodeController::Initialize(const kube::Node& node) {
  ASSIGN_OR_RETURN(auto metadata, instances_.Metadata(node));
  if (instances::IsTerminatedState(metadata.lifecycle_state)) {
    return Fail(ErrorKind::kNotFound, "instance " + metadata.instance_id + " of node " + node.name + " is " +
                                          metadata.lifecycle_state + "; not initializing the node");
  }
  // Addresses first: once the taint is gone, consumers (load balancers) need them.
  if (!SameAddresses(node.addresses, metadata.addresses)) {
    Status s = PatchNodeAddresses(client_, node.name, metadata.addresses);
    if (!s && s.error().kind == ErrorKind::kNotFound) return false;  // the node was deleted meanwhile
    if (!s) return Fail(s.error());
  }
  auto labels = zones::TopologyLabels(metadata.topology, metadata.instance_type);
  std::string provider_id = metadata.provider_id;
  auto outcome = PatchNodeConflictSafe(
      client_, node.name,
      [&](const json::Value& current) -> Result<std::optional<json::Document>> {
        return InitializationPatch(current, provider_id, labels);
      },
      options_.max_conflict_retries);
  if (!outcome && outcome.error().kind == ErrorKind::kNotFound) return false;  // deleted meanwhile
  if (!outcome) return Fail(outcome.error());
  if (outcome->conflicts > 0) {
    LOG(INFO) << "cloud-node: node " << node.name << " changed " << outcome->conflicts
              << " time(s) while initializing; re-read and retried";
  }
  // Nothing to patch: a previous run already initialized it and the cache had not caught up.
  return outcome->patched;
}

void CloudNodeController::UpdateNodeStatuses() {
  for (const auto& node : nodes_.store().List()) {
    {
      MutexLock lock(mu_);
      if (stopping_) return;
    }
    if (node->deleting || HasTaint(*node, kUninitializedTaintKey)) continue;
    // Nodes without an OCI providerID are not ours to look up on every pass.
    if (!instances::InstanceIdFromProviderId(node->provider_id)) continue;
    auto metadata = instances_.Metadata(*node);
    if (!metadata) {
      LOG(WARNING) << "cloud-node: refreshing addresses of node " << node->name << ": "
                   << metadata.error().ToString();
      continue;
    }
    if (SameAddresses(node->addresses, metadata->addresses)) continue;
    if (Status s = PatchNodeAddresses(client_, node->name, metadata->addresses); !s) {
      LOG(WARNING) << "cloud-node: " << s.error().ToString();
    } else {
      LOG(INFO) << "cloud-node: updated addresses of node " << node->name;
    }
  }
}

}  // namespace ccm::cloud::nodecontroller
