#include "pkg/cloud/reservedip/reservedip_controller.h"

#include <glog/logging.h>

#include "pkg/cloud/reservedip/desired_target.h"
#include "pkg/cloud/reservedip/reservedip_reasons.h"
#include "pkg/kube/meta_time.h"

namespace ccm::cloud::reservedip {
namespace {

// Problems a pod event brings back to the queue: no timer needed.
bool PodDriven(const std::string& r) {
  return r == reason::kPodNotFound || r == reason::kPodHasNoIP ||
         r == reason::kHostNetworkUnsupported;
}

kube::SyncOutcome FailedNoRequeue(const std::string& r, const std::string& message) {
  return {.status = std::unexpected(MakeError(ErrorKind::kInvalidArgument, message)),
          .reason = r,
          .requeue = kube::Requeue::kNo,
          .after = {}};
}

std::string FinalizersPatch(const std::vector<std::string>& finalizers,
                            const std::string& resource_version) {
  std::string out = R"({"metadata":{"finalizers":[)";
  for (size_t i = 0; i < finalizers.size(); ++i) {
    if (i > 0) out += ",";
    json::AppendQuoted(out, finalizers[i]);
  }
  out += "],\"resourceVersion\":";
  json::AppendQuoted(out, resource_version);
  return out + "}}";
}

}  // namespace

// Lets informer handlers reach the controller only while it exists.
struct ReservedIPController::HandlerLink {
  Mutex mu;
  ReservedIPController* controller GUARDED_BY(mu) = nullptr;
};

ReservedIPController::ReservedIPController(kube::RestClient& client, ReservedIPInformers informers,
                                           oci::VirtualNetworkApi& network,
                                           oci::ComputeApi& compute, kube::EventRecorder& events,
                                           const Clock& clock, ReservedIPOptions options)
    : client_(client),
      informers_(informers),
      events_(events),
      clock_(clock),
      options_(std::move(options)),
      writer_(network, compute, options_.writer),
      queue_(clock,
             kube::WorkQueueOptions{.name = kControllerName, .observer = options_.queue_observer}),
      driver_(
          queue_, clock, [this](const std::string& key) { return Sync(key); },
          kube::QueueDriverOptions{.controller = kControllerName,
                                   .workers = options_.workers,
                                   .observer = options_.reconcile_observer}),
      link_(std::make_shared<HandlerLink>()) {
  {
    MutexLock lock(link_->mu);
    link_->controller = this;
  }
  auto with = [link = link_](auto fn) {
    MutexLock lock(link->mu);
    if (link->controller != nullptr) fn(*link->controller);
  };
  informers_.reservedips.store().AddIndex("pod", [](const ReservedIPObject& r) {
    return r.pod_name.empty() ? std::vector<std::string>{}
                              : std::vector<std::string>{r.namespace_ + "/" + r.pod_name};
  });
  informers_.reservedips.AddHandlers({
      .on_add =
          [with](const ReservedIPObject& r) {
            with([&](ReservedIPController& c) { c.queue_.Add(ObjectKey(r)); });
          },
      .on_update =
          [with](const ReservedIPObject&, const ReservedIPObject& r) {
            with([&](ReservedIPController& c) { c.queue_.Add(ObjectKey(r)); });
          },
      .on_delete =
          [with](const ReservedIPObject& r) {
            with([&](ReservedIPController& c) { c.queue_.Add(ObjectKey(r)); });
          },
  });
  informers_.pods.AddHandlers({
      .on_add = [with](const PodRef& p) { with([&](ReservedIPController& c) { c.OnPod(p); }); },
      .on_update = [with](const PodRef&,
                          const PodRef& p) { with([&](ReservedIPController& c) { c.OnPod(p); }); },
      .on_delete = [with](const PodRef& p) { with([&](ReservedIPController& c) { c.OnPod(p); }); },
  });
}

ReservedIPController::~ReservedIPController() {
  {
    MutexLock lock(link_->mu);
    link_->controller = nullptr;
  }
  Stop();
}

void ReservedIPController::Start() {
  for (const auto& r : informers_.reservedips.store().List()) queue_.Add(ObjectKey(*r));
  driver_.Start();
}

void ReservedIPController::Stop() { driver_.Stop(); }

void ReservedIPController::OnPod(const PodRef& pod) {
  for (const auto& r : informers_.reservedips.store().ByIndex("pod", ObjectKey(pod)))
    queue_.Add(ObjectKey(*r));
}

std::string ReservedIPController::ApiPath(const ReservedIPObject& obj) {
  return "/apis/oci.k8s.logmein.com/v1alpha1/namespaces/" + obj.namespace_ + "/reservedips/" +
         obj.name;
}

kube::ObjectReference ReservedIPController::RefOf(const ReservedIPObject& obj) const {
  return {.kind = kKind,
          .namespace_ = obj.namespace_,
          .name = obj.name,
          .uid = obj.uid,
          .api_version = kGroupVersion,
          .resource_version = obj.resource_version};
}

void ReservedIPController::Emit(const ReservedIPObject& obj,
                                const std::vector<WriterEvent>& events) {
  for (const auto& e : events) {
    events_.Record(RefOf(obj), e.warning ? kube::EventType::kWarning : kube::EventType::kNormal,
                   e.reason, e.message);
  }
}

void ReservedIPController::WarnOnce(const ReservedIPObject& obj, const std::string& r,
                                    const std::string& message) {
  const std::string mark = std::to_string(obj.generation) + "/" + r;
  {
    MutexLock lock(mu_);
    std::string& last = last_warning_[ObjectKey(obj)];
    if (last == mark) return;
    last = mark;
  }
  events_.Record(RefOf(obj), kube::EventType::kWarning, r, message);
}

Status ReservedIPController::SetFinalizer(const ReservedIPObject& obj, bool present) {
  std::vector<std::string> finalizers = obj.finalizers;
  if (present) {
    finalizers.push_back(kFinalizer);
  } else {
    std::erase(finalizers, std::string(kFinalizer));
  }
  auto r = client_.Patch(ApiPath(obj), kube::PatchType::kMerge,
                         FinalizersPatch(finalizers, obj.resource_version));
  if (!r)
    return Fail(r.error().Wrap(std::string(present ? "adding" : "removing") + " the finalizer"));
  return {};
}

Status ReservedIPController::WriteStatus(const ReservedIPObject& obj, const StatusInput& in) {
  const std::string key = ObjectKey(obj);
  ReservedIPStatus previous;
  bool had_previous = false;
  {
    MutexLock lock(mu_);
    if (auto it = last_status_.find(key); it != last_status_.end()) {
      previous = it->second;
      had_previous = true;
    }
  }
  ReservedIPStatus next =
      BuildStatus(in, had_previous ? &previous : nullptr, kube::FormatTime(clock_.WallNow()));
  if (had_previous && next == previous) return {};
  auto r = client_.Patch(ApiPath(obj), kube::PatchType::kMerge, StatusPatch(next), true);
  if (!r) {
    if (r.error().kind == ErrorKind::kNotFound) return {};
    return Fail(r.error().Wrap("writing the status"));
  }
  MutexLock lock(mu_);
  last_status_[key] = next;
  return {};
}

kube::SyncOutcome ReservedIPController::SyncDeleting(
    const ReservedIPObject& obj, const std::expected<ReservedIPSpec, SpecProblem>& spec) {
  if (!obj.HasFinalizer(kFinalizer)) return kube::SyncOutcome::Done();
  ReleaseRequest request{.key = ObjectKey(obj),
                         .uid = obj.uid,
                         .known_public_ip_id = obj.public_ip_id,
                         .address = spec ? spec->address : "",
                         .reclaim = spec ? spec->EffectiveReclaimPolicy() : ReclaimPolicy::kDelete};
  Observation o = writer_.Release(request);
  Emit(obj, o.events);
  if (!o.reason.empty())
    return kube::SyncOutcome::Retry(MakeError(ErrorKind::kUnavailable, o.message), o.reason);
  if (!o.released) {
    StatusInput in{.generation = obj.generation,
                   .observed_ip = o.ip.has_value(),
                   .state = o.state,
                   .public_ip_address = o.ip ? o.ip->ip_address : "",
                   .public_ip_id = o.ip ? o.ip->id : "",
                   .private_ip_id = o.private_ip_id};
    if (auto st = WriteStatus(obj, in); !st)
      return kube::SyncOutcome::Retry(st.error(), reason::kKubernetesError);
    return kube::SyncOutcome::DoneRequeueAfter(o.poll_after);
  }
  if (auto st = SetFinalizer(obj, false); !st) {
    if (st.error().kind == ErrorKind::kNotFound) return kube::SyncOutcome::Done();
    return kube::SyncOutcome::Retry(st.error(), reason::kKubernetesError);
  }
  return kube::SyncOutcome::Done();
}

kube::SyncOutcome ReservedIPController::Sync(const std::string& key) {
  auto obj = informers_.reservedips.store().Get(key);
  if (obj == nullptr) {
    writer_.Forget(key);
    MutexLock lock(mu_);
    last_status_.erase(key);
    last_warning_.erase(key);
    return kube::SyncOutcome::Done();
  }
  auto spec = ParseReservedIPSpec(obj->spec_json);
  if (!obj->deletion_timestamp.empty()) return SyncDeleting(*obj, spec);
  if (!spec) {
    // Nothing is sent to OCI; the condition names the field. A spec edit queues the key again.
    StatusInput in{.generation = obj->generation,
                   .problem_reason = spec.error().reason,
                   .problem_message = spec.error().message};
    if (auto st = WriteStatus(*obj, in); !st)
      return kube::SyncOutcome::Retry(st.error(), reason::kKubernetesError);
    WarnOnce(*obj, spec.error().reason, spec.error().message);
    return FailedNoRequeue(spec.error().reason, spec.error().message);
  }
  if (!obj->HasFinalizer(kFinalizer)) {
    // Before any OCI write: whatever is created from here on is released on delete.
    if (auto st = SetFinalizer(*obj, true); !st)
      return kube::SyncOutcome::Retry(st.error(), reason::kKubernetesError);
    return kube::SyncOutcome::Done();  // the update event brings the key back with the finalizer
  }

  std::shared_ptr<const PodRef> pod;
  std::string provider_id;
  if (!spec->pod_name.empty()) {
    pod = informers_.pods.store().Get(obj->namespace_ + "/" + spec->pod_name);
    if (pod != nullptr && !pod->node_name.empty()) {
      if (auto node = informers_.nodes.store().Get(pod->node_name)) provider_id = node->provider_id;
    }
  }
  ConvergeRequest request{.key = key,
                          .uid = obj->uid,
                          .spec = &*spec,
                          .known_public_ip_id = obj->public_ip_id,
                          .target = DesiredTarget(*spec, pod.get(), provider_id)};
  Observation o = writer_.Converge(request);
  Emit(*obj, o.events);

  const bool to_pod = request.target && request.target->kind == Target::Kind::kPodAddress;
  StatusInput in{.generation = obj->generation,
                 .observed_ip = o.ip.has_value(),
                 .state = o.state,
                 .public_ip_address = o.ip ? o.ip->ip_address : "",
                 .public_ip_id = o.ip ? o.ip->id : "",
                 .private_ip_id = o.private_ip_id,
                 .pod_name = to_pod ? spec->pod_name : "",
                 .problem_reason = o.reason,
                 .problem_message = o.message};
  if (!o.ip && o.reason.empty()) in.observed_ip = false;
  if (auto st = WriteStatus(*obj, in); !st)
    return kube::SyncOutcome::Retry(st.error(), reason::kKubernetesError);

  if (o.reason.empty()) return kube::SyncOutcome::DoneRequeueAfter(o.poll_after);
  if (!o.transient) WarnOnce(*obj, o.reason, o.message);
  kube::SyncOutcome outcome;
  if (o.transient) {
    outcome = kube::SyncOutcome::Retry(MakeError(ErrorKind::kUnavailable, o.message), o.reason);
  } else if (PodDriven(o.reason)) {
    outcome = FailedNoRequeue(o.reason, o.message);
  } else {
    outcome = kube::SyncOutcome::RetryAfter(MakeError(ErrorKind::kInvalidArgument, o.message),
                                            o.reason, options_.user_error_retry);
  }
  if (o.poll_after > Clock::Duration::zero()) outcome.RunAgainWithin(o.poll_after);
  return outcome;
}

}  // namespace ccm::cloud::reservedip
