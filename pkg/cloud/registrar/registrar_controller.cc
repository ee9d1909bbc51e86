#include "pkg/cloud/registrar/registrar_controller.h"

#include <glog/logging.h>

#include <algorithm>

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "pkg/cloud/registrar/registrar_reasons.h"
#include "pkg/cloud/registrar/retry_limiter.h"
#include "pkg/cloud/registrar/service_annotations.h"
#include "pkg/cloud/registrar/source_report.h"
#include "pkg/kube/meta_time.h"

namespace ccm::cloud::registrar {
namespace {

constexpr std::string_view kLbPrefix = "lb/";
constexpr std::string_view kSourcePrefix = "src/";
constexpr char kSliceServiceIndex[] = "service";
constexpr auto kIngressRetry = std::chrono::seconds(5);
constexpr auto kCachesSyncPoll = std::chrono::milliseconds(200);
constexpr auto kSourceCachesSyncPoll = std::chrono::seconds(1);

std::map<std::string, std::string> AnnotationMap(const kube::Service& svc) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : svc.annotations) out.emplace(k.str(), v);
  return out;
}

AccessPolicy PolicyOf(const RegistrarOptions& o) {
  AccessPolicy p{.secret_namespaces = o.secret_namespaces,
                 .allowed_load_balancers = o.allowed_load_balancers,
                 .allowed_compartments = o.allowed_compartments};
  if (p.secret_namespaces.empty()) p.secret_namespaces.insert(o.controller_namespace);
  return p;
}

SourceRef RefOf(const std::string& source) {
  // Registry keys are built by this controller from object names, so they always parse.
  auto ref = SourceRef::Parse(source);
  CHECK(ref) << "not a registrar source: " << source;
  return *ref;
}

}  // namespace

RegistrarController::RegistrarController(kube::RestClient& client, RegistrarInformers informers,
                                         BackendSetApiResolver& apis, OwnershipStore& ownership,
                                         kube::EventRecorder& events, const Clock& clock, RegistrarOptions options,
                                         RegistrarObserver* observer)
    : informers_(informers),
      ownership_(ownership),
      events_(events),
      clock_(clock),
      options_(std::move(options)),
      observer_(observer),
      access_(client, apis, PolicyOf(options_)),
      objects_(client, options_.status_client != nullptr ? *options_.status_client : client, clock, informers.registrars,
               informers.services),
      queue_(clock, kube::WorkQueueOptions{.name = kControllerName,
                                           .observer = options_.queue_observer,
                                           .rate_limiter = NewRetryLimiter(clock, options_.sync)}),
      driver_(queue_, clock, [this](const std::string& key) { return Sync(key); },
              kube::QueueDriverOptions{.controller = kControllerName,
                                       .workers = options_.workers,
                                       .observer = options_.reconcile_observer}) {}

RegistrarController::~RegistrarController() { Stop(); }

std::string RegistrarController::LoadBalancerKey(const std::string& lb_id) { return std::string(kLbPrefix) + lb_id; }
std::string RegistrarController::SourceKey(const std::string& source) { return std::string(kSourcePrefix) + source; }

void RegistrarController::RegisterHandlers() {
  informers_.endpoint_slices.store().AddIndex(kSliceServiceIndex, [](const kube::EndpointSlice& s) {
    return std::vector<std::string>{s.namespace_name + "/" + s.service_name};
  });
  informers_.registrars.AddHandlers({
      .on_add = [this](const LBRegistrarObject& r) { OnRegistrar(r, false); },
      .on_update = [this](const LBRegistrarObject&, const LBRegistrarObject& r) { OnRegistrar(r, false); },
      .on_delete = [this](const LBRegistrarObject& r) { OnRegistrar(r, true); },
  });
  informers_.services.AddHandlers({
      .on_add = [this](const kube::Service& s) { OnService(s, false); },
      .on_update = [this](const kube::Service&, const kube::Service& s) { OnService(s, false); },
      .on_delete = [this](const kube::Service& s) { OnService(s, true); },
  });
  // Node changes that matter (the projection ignores heartbeats) can move any binding.
  informers_.nodes.AddHandlers({
      .on_add = [this](const kube::Node& n) { OnNode(n, false); },
      .on_update = [this](const kube::Node&, const kube::Node& n) { OnNode(n, false); },
      .on_delete = [this](const kube::Node& n) { OnNode(n, true); },
  });
  auto on_slice = [this](const kube::EndpointSlice& s) {
    EnqueueLoadBalancers(registry_.LoadBalancersForService(s.namespace_name + "/" + s.service_name));
  };
  informers_.endpoint_slices.AddHandlers({
      .on_add = on_slice,
      .on_update = [on_slice](const kube::EndpointSlice&, const kube::EndpointSlice& s) { on_slice(s); },
      .on_delete = on_slice,
  });
}

void RegistrarController::OnRegistrar(const LBRegistrarObject& obj, bool deleted) {
  std::string source = SourceRef::LBRegistrar(obj.name).String();
  if (deleted) {
    ForgetSource(source);
    EnqueueLoadBalancers(registry_.Remove(source));
    return;
  }
  ParsedSpec parsed = ParseLBRegistrarSpecJson(obj.name, obj.spec_json, options_.controller_namespace);
  SourceState next{.source = source, .kind = SourceKind::kLBRegistrar, .bindings = std::move(parsed.bindings),
                   .problems = std::move(parsed.problems), .notes = std::move(parsed.notes),
                   .generation = obj.generation, .deleting = !obj.deletion_timestamp.empty()};
  if (next.deleting && next.bindings.empty()) {
    if (auto prev = registry_.Get(source)) next.bindings = prev->bindings;
  }
  EnqueueLoadBalancers(registry_.Upsert(std::move(next)));
  queue_.Add(SourceKey(source));
}

void RegistrarController::OnService(const kube::Service& svc, bool deleted) {
  std::string key = svc.namespace_name + "/" + svc.name;
  std::string source = SourceRef::Service(svc.namespace_name, svc.name).String();
  // Bindings of LBRegistrars that read this Service's ports.
  EnqueueLoadBalancers(registry_.LoadBalancersForService(key));
  if (deleted) {
    ForgetSource(source);
    EnqueueLoadBalancers(registry_.Remove(source));
    return;
  }
  auto annotations = AnnotationMap(svc);
  bool opted_in = HasRegistrarAnnotations(annotations);
  bool ours = svc.HasFinalizer(kFinalizer);
  if (!opted_in && !ours) {
    if (registry_.Get(source)) EnqueueLoadBalancers(registry_.Remove(source));
    if (MentionsRegistrar(annotations)) {
      // Our annotations without the opt-in one (often a misspelt load-balancer-id): say so,
      // register nothing.
      SourceState reported{.source = source, .kind = SourceKind::kService, .generation = svc.generation};
      reported.problems = ParseServiceAnnotations(svc.namespace_name, svc.name, svc.type.str(), annotations).problems;
      registry_.Upsert(std::move(reported));
      queue_.Add(SourceKey(source));
    }
    return;
  }
  SourceState next{.source = source, .kind = SourceKind::kService, .generation = svc.generation};
  next.deleting = !svc.deletion_timestamp.empty() || !opted_in;
  if (opted_in) {
    ParsedSpec parsed = ParseServiceAnnotations(svc.namespace_name, svc.name, svc.type.str(), annotations);
    next.bindings = std::move(parsed.bindings);
    next.problems = std::move(parsed.problems);
    next.notes = std::move(parsed.notes);
  }
  if (next.deleting && next.bindings.empty()) {
    if (auto prev = registry_.Get(source)) next.bindings = prev->bindings;
    next.problems.clear();
  }
  EnqueueLoadBalancers(registry_.Upsert(std::move(next)));
  queue_.Add(SourceKey(source));
}

void RegistrarController::OnNode(const kube::Node& node, bool deleted) {
  if (observer_ != nullptr) {
    MutexLock lock(mu_);
    if (deleted) ready_since_.erase(node.name);
    else if (node.ConditionStatus("Ready") == "True") ready_since_.try_emplace(node.name, clock_.Now());
  }
  EnqueueAllLoadBalancers();
}

void RegistrarController::EnqueueLoadBalancers(const std::set<std::string>& lbs) {
  for (const auto& lb : lbs) {
    if (!lb.empty()) queue_.Add(LoadBalancerKey(lb));
  }
}

void RegistrarController::EnqueueAllLoadBalancers() {
  EnqueueLoadBalancers(registry_.LoadBalancers());
  std::set<std::string> known;
  {
    MutexLock lock(mu_);
    for (const auto& [lb, s] : syncs_) known.insert(lb);
  }
  EnqueueLoadBalancers(known);
}

bool RegistrarController::CachesSynced() const {
  return informers_.nodes.HasSynced() && informers_.services.HasSynced() &&
         informers_.endpoint_slices.HasSynced() && informers_.registrars.HasSynced();
}

void RegistrarController::Start() {
  if (started_.exchange(true)) return;
  if (auto lbs = ownership_.LoadBalancers(); lbs) {
    EnqueueLoadBalancers(std::set<std::string>(lbs->begin(), lbs->end()));
  } else {
    LOG(WARNING) << "registrar: cannot list ownership records yet: " << lbs.error().ToString();
  }
  EnqueueAllLoadBalancers();
  driver_.Start();
}

void RegistrarController::Stop() {
  if (!started_.exchange(false)) return;
  driver_.Stop();
  objects_.StopStatusWriter();
}

kube::SyncOutcome RegistrarController::Sync(const std::string& key) {
  if (key.starts_with(kLbPrefix)) return SyncLoadBalancer(key.substr(kLbPrefix.size()));
  if (key.starts_with(kSourcePrefix)) return SyncSource(key.substr(kSourcePrefix.size()));
  LOG(ERROR) << "registrar: unknown queue key " << key;
  return kube::SyncOutcome::Done();
}

kube::ObjectReference RegistrarController::RefFor(const std::string& source) const {
  return objects_.Reference(RefOf(source));
}

LoadBalancerSync& RegistrarController::WriterFor(const std::string& lb_id) {
  MutexLock lock(mu_);
  auto& slot = syncs_[lb_id];
  if (!slot) slot = std::make_unique<LoadBalancerSync>(lb_id, ownership_, clock_, options_.sync);
  return *slot;
}

kube::SyncOutcome RegistrarController::SyncLoadBalancer(const std::string& lb_id) {
  if (!CachesSynced()) return kube::SyncOutcome::DoneRequeueAfter(kCachesSyncPoll);
  if (!caches_synced_logged_.exchange(true)) LOG(INFO) << "registrar: informer caches synced";
  LoadBalancerSync& sync = WriterFor(lb_id);
  // A write is in flight and not yet worth polling: the desired state (tens of thousands
  // of backends at scale) would be computed for nothing. The poll run plans what changed.
  if (auto wait = sync.UntilNextPoll(); wait > Clock::Duration::zero()) {
    kube::SyncOutcome poll_later = kube::SyncOutcome::DoneRequeueAfter(wait);
    poll_later.lane = kube::QueueLane::kAhead;  // a write in flight
    return poll_later;
  }

  std::vector<SourceState> sources = registry_.SourcesFor(lb_id);
  auto api = access_.ApiFor(lb_id, sources);
  if (!api) {
    std::string message = api.error().error.ToString();
    for (const auto& s : sources) ReportSource(s, lb_id, nullptr, api.error().reason, message, nullptr);
    // A deleting source that registered nothing needs no credentials to go. Its failures are
    // logged there, and this run already fails with the access error.
    (void)FinishDeletions(sources);
    return kube::SyncOutcome::Retry(api.error().error, api.error().reason);
  }

  // A write still on its way needs no desired state (tens of thousands of backends at scale).
  if (auto still_pending = sync.PollInFlight(**api)) return still_pending->Outcome();

  // Sources that act with the controller's own OCI identity may only target allowed load
  // balancers; the compartment comes from the writer's read of the load balancer.
  bool has_identity_source = std::any_of(sources.begin(), sources.end(), UsesControllerIdentity);
  std::string compartment;
  if (has_identity_source && access_.NeedsCompartment(lb_id)) {
    auto c = sync.Compartment(**api);
    if (!c) {
      SyncResult failed = sync.ReadFailure(c.error());
      for (const auto& s : sources) ReportSource(s, lb_id, &failed, failed.reason, failed.error->ToString(), nullptr);
      (void)FinishDeletions(sources);  // logged there; the run already fails with the read error
      return failed.Outcome();
    }
    compartment = *c;
  }

  std::vector<Binding> bindings;
  std::set<std::string> incomplete_sets;
  std::set<std::string> disallowed;
  for (const auto& s : sources) {
    if (s.deleting) continue;
    if (UsesControllerIdentity(s) && !access_.MayUseControllerIdentity(lb_id, compartment)) {
      disallowed.insert(s.source);
      continue;
    }
    for (const auto& b : s.bindings) {
      if (b.load_balancer_id != lb_id) continue;
      bindings.push_back(b);
      if (s.in_error()) incomplete_sets.insert(b.backend_set);
    }
  }

  ClusterView view;
  view.nodes = informers_.nodes.store().List();
  view.service = [this](const std::string& ns, const std::string& name) {
    return informers_.services.store().Get(ns + "/" + name);
  };
  view.endpoint_slices = [this](const std::string& ns, const std::string& name) {
    return informers_.endpoint_slices.store().ByIndex(kSliceServiceIndex, ns + "/" + name);
  };
  // Set by set, keeping the backends only of the few sets this run may plan: at 50 sets x
  // 500 nodes the whole load balancer's desired state is ~4 MB per worker.
  std::map<std::string, DesiredBackendSet> desired;
  int carried = 0;
  std::vector<BindingResult> binding_results =
      ComputeDesiredStatePerSet(bindings, view, [&](DesiredBackendSet&& set) {
        if (set.key.load_balancer_id != lb_id) return;
        if (incomplete_sets.contains(set.key.backend_set)) set.inputs_complete = false;
        sync.Carry(set, carried);
        std::string name = set.key.backend_set;
        desired[name] = std::move(set);
      });

  // The finalizer before anything is registered for a source: only the sets this run carries
  // can be written, so only their sources need it now (at 50 sets per load balancer, adding all
  // 50 first would hold the first write behind 50 API requests).
  for (const auto& s : sources) {
    if (s.deleting) continue;
    bool carried = std::any_of(s.bindings.begin(), s.bindings.end(), [&](const Binding& b) {
      auto it = desired.find(b.backend_set);
      return b.load_balancer_id == lb_id && it != desired.end() && !it->second.dropped_hash;
    });
    if (!carried) continue;
    if (auto added = objects_.SetFinalizer(RefOf(s.source), true); !added) {
      return kube::SyncOutcome::Retry(added.error(), kReasonKubernetesApi);
    }
  }

  auto recorded = ownership_.Recorded(lb_id);
  if (!recorded) {
    for (const auto& s : sources) ReportSource(s, lb_id, nullptr, kReasonOwnershipRecord, recorded.error().ToString(), nullptr);
    return kube::SyncOutcome::Retry(recorded.error(), kReasonOwnershipRecord);
  }
  for (const auto& [set_name, record_sources] : *recorded) {
    if (desired.contains(set_name)) continue;
    DesiredBackendSet orphan{.key = {lb_id, set_name}, .allow_empty = true};
    for (const auto& src : record_sources) {
      auto st = registry_.Get(src);
      if (st && !st->deleting && (st->in_error() || disallowed.contains(src))) orphan.inputs_complete = false;
    }
    desired[set_name] = std::move(orphan);
  }

  SyncResult result = sync.Sync(desired, **api, CachesSynced());
  // The next run continues; it reports.
  if (result.partial && result.changes.empty() && result.work_requests.empty()) return result.Outcome();

  std::map<std::string, BindingResult> by_source_field;
  for (auto& b : binding_results) by_source_field[b.source + "#" + b.field] = b;
  bool ingress_written = true;
  for (const auto& s : sources) {
    if (disallowed.contains(s.source)) {
      ingress_written &= ReportSource(s, lb_id, &result, kReasonLoadBalancerNotAllowed, access_.NotAllowedMessage(s, lb_id),
                                      &by_source_field);
      continue;
    }
    ingress_written &= ReportSource(s, lb_id, &result, result.reason, result.error ? result.error->ToString() : "",
                                    &by_source_field);
  }
  ReportWrites(lb_id, sources, result);

  kube::SyncOutcome outcome = result.Outcome();
  if (outcome.ok() && !disallowed.empty()) {
    // Nothing failed in OCI, yet some resource's registration is refused: an error a user fixes.
    outcome.status = std::unexpected(MakeError(ErrorKind::kForbidden, "load balancer " + lb_id + " is not allowed for " +
                                                                          std::to_string(disallowed.size()) + " source(s)"));
    outcome.reason = kReasonLoadBalancerNotAllowed;
  }
  // Cleanup finished for deleting sources once no record names them and nothing is in flight.
  if (!sync.has_pending_write()) {
    if (auto st = FinishDeletions(sources); !st && outcome.ok()) {
      outcome = kube::SyncOutcome::Retry(st.error(), kReasonKubernetesApi);
    }
  }
  if (!ingress_written) outcome.RunAgainWithin(kIngressRetry);
  return outcome;
}

Status RegistrarController::FinishDeletions(const std::vector<SourceState>& sources) {
  Status first;
  for (const auto& s : sources) {
    if (!s.deleting) continue;
    if (auto st = FinishDeletion(s); !st) {
      LOG(WARNING) << "registrar: " << st.error().ToString();
      if (first) first = st;
    }
  }
  return first;
}

void RegistrarController::ReportWrites(const std::string& lb_id, const std::vector<SourceState>& sources,
                                       const SyncResult& result) {
  if (!result.changes.empty()) {
    std::string summary;
    for (size_t i = 0; i < result.changes.size() && i < 10; ++i) summary += (i ? "; " : "") + result.changes[i];
    if (result.changes.size() > 10) summary += "; and " + std::to_string(result.changes.size() - 10) + " more";
    // Only the sources whose backend sets changed: one write must not become an event on
    // every resource that shares the load balancer (50 per write at 50 sets).
    for (const auto& s : sources) {
      if (s.deleting) continue;
      bool touched = std::any_of(s.bindings.begin(), s.bindings.end(), [&](const Binding& b) {
        return b.load_balancer_id == lb_id && result.changed_sets.contains(b.backend_set);
      });
      if (touched) events_.Record(RefFor(s.source), kube::EventType::kNormal, kEventBackendsUpdated, summary);
    }
  }
  if (observer_ == nullptr) return;
  for (const auto& [name, report] : result.sets) observer_->OnBackendSet(lb_id, name, report.registered);
  for (const auto& [outcome, took] : result.work_requests) observer_->OnWorkRequest(lb_id, outcome, took);
  std::vector<Clock::Duration> latencies;
  {
    MutexLock lock(mu_);
    for (const auto& node : result.registered_nodes) {
      auto it = ready_since_.find(node);
      if (it == ready_since_.end()) continue;  // measured once per node, at its first registration
      latencies.push_back(clock_.Now() - it->second);
      ready_since_.erase(it);
    }
  }
  for (auto l : latencies) observer_->OnNodeRegistered(l);
}

Status RegistrarController::FinishDeletion(const SourceState& s) {
  std::set<std::string> lbs;
  for (const auto& b : s.bindings) lbs.insert(b.load_balancer_id);
  for (const auto& lb : lbs) {
    ASSIGN_OR_RETURN(auto recorded, ownership_.Recorded(lb));
    for (const auto& [name, names] : recorded) {
      if (names.contains(s.source)) return {};
    }
  }
  ASSIGN_OR_RETURN(auto removed, objects_.SetFinalizer(RefOf(s.source), false));
  if (removed) {
    events_.Record(RefFor(s.source), kube::EventType::kNormal, kEventDeregistered,
                   "all backends this resource registered were removed");
  }
  if (s.kind == SourceKind::kService) {
    // The annotation is gone (or the Service is going): forget it.
    auto svc = informers_.services.store().Get(RefOf(s.source).ObjectKey());
    if (!svc || !HasRegistrarAnnotations(AnnotationMap(*svc))) registry_.Remove(s.source);
  }
  return {};
}

bool RegistrarController::ReportSource(const SourceState& s, const std::string& lb_id, const SyncResult* result,
                                       const std::string& lb_reason,
                                       const std::string& lb_message,
                                       const std::map<std::string, BindingResult>* bindings) {
  if (s.deleting) return true;
  std::vector<Condition> previous;
  {
    MutexLock lock(mu_);
    if (auto it = last_status_.find(s.source); it != last_status_.end()) previous = it->second.conditions;
  }
  SourceReport report = BuildSourceReport({.source = s,
                                           .lb_id = lb_id,
                                           .result = result,
                                           .lb_reason = lb_reason,
                                           .lb_message = lb_message,
                                           .bindings = bindings,
                                           .previous_conditions = std::move(previous),
                                           .now = kube::FormatTime(clock_.WallNow())});
  bool ingress_written = !report.report_ingress || ReportIngress(s, result->ip_addresses);

  bool changed;
  {
    MutexLock lock(mu_);
    RegistrarStatus& last = last_status_[s.source];
    changed = !(last == report.status) && !KeepsPreviousStatus(last, report);
    if (changed) last = report.status;
  }
  if (!changed) return ingress_written;
  if (!report.reason.empty()) events_.Record(RefFor(s.source), kube::EventType::kWarning, report.reason, report.message);
  objects_.PatchStatus(RefOf(s.source), report.status);
  return ingress_written;
}

// The load balancer's addresses as status.loadBalancer.ingress of the type LoadBalancer
// Services this source registers: an annotated Service's own, and those an LBRegistrar names
// in services[] unless the Service is annotated itself (its own annotation decides). Compared
// with the cache on every report, so an ingress someone cleared comes back.
bool RegistrarController::ReportIngress(const SourceState& s, const std::vector<std::string>& ips) {
  std::vector<std::string> services;  // ns/name
  if (s.kind == SourceKind::kService) {
    if (!s.bindings.empty()) services.push_back(RefOf(s.source).ObjectKey());
  } else {
    for (const auto& b : s.bindings) {
      if (!b.service) continue;
      SourceRef svc = SourceRef::Service(b.service->namespace_name, b.service->name);
      if (registry_.Contains(svc.String())) continue;
      services.push_back(svc.ObjectKey());
    }
  }
  bool written = true;
  for (const auto& key : services) {
    if (auto st = objects_.EnsureIngress(key, ips); !st) {
      LOG(WARNING) << "registrar: " << st.error().ToString() << " (retrying)";
      written = false;
    }
  }
  return written;
}

// Fields the spec carries that do not act (an alias overridden) or are deprecated: one Warning
// Event each, once per generation, so `kubectl describe` tells why.
void RegistrarController::ReportNotes(const SourceState& s) {
  {
    MutexLock lock(mu_);
    auto [it, inserted] = notes_reported_.try_emplace(s.source, s.generation);
    if (!inserted && it->second == s.generation) return;
    it->second = s.generation;
  }
  for (const auto& note : s.notes) {
    const char* reason = note.find(" is ignored") != std::string::npos ? kEventSpecFieldIgnored : kEventSpecFieldDeprecated;
    events_.Record(RefFor(s.source), kube::EventType::kWarning, reason, note);
  }
}

void RegistrarController::ForgetSource(const std::string& source) {
  objects_.ForgetStatus(RefOf(source));
  MutexLock lock(mu_);
  notes_reported_.erase(source);
}

kube::SyncOutcome RegistrarController::SyncSource(const std::string& source) {
  auto s = registry_.Get(source);
  if (!s) return kube::SyncOutcome::Done();
  if (!CachesSynced()) return kube::SyncOutcome::DoneRequeueAfter(kSourceCachesSyncPoll);
  if (s->in_error() && s->bindings.empty()) ReportSource(*s, "", nullptr, "", "", nullptr);
  ReportNotes(*s);
  if (!s->deleting || !s->bindings.empty()) return kube::SyncOutcome::Done();
  // No load balancer known for it: finish when no ownership record names it.
  auto lbs = ownership_.LoadBalancers();
  if (!lbs) return kube::SyncOutcome::Retry(lbs.error(), kReasonOwnershipRecord);
  for (const auto& lb : *lbs) {
    auto recorded = ownership_.Recorded(lb);
    if (!recorded) return kube::SyncOutcome::Retry(recorded.error(), kReasonOwnershipRecord);
    for (const auto& [name, names] : *recorded) {
      if (names.contains(source)) {
        queue_.Add(LoadBalancerKey(lb));
        return kube::SyncOutcome::Done();
      }
    }
  }
  auto removed = objects_.SetFinalizer(RefOf(source), false);
  if (!removed) return kube::SyncOutcome::Retry(removed.error(), kReasonKubernetesApi);
  if (*removed) {
    events_.Record(RefFor(source), kube::EventType::kNormal, kEventDeregistered,
                   "all backends this resource registered were removed");
  }
  registry_.Remove(source);
  ForgetSource(source);
  return kube::SyncOutcome::Done();
}

}  // namespace ccm::cloud::registrar
