#include "pkg/cloud/registrar/registrar_controller.h"

#include <glog/logging.h>

#include <algorithm>

#include "pkg/cloud/registrar/retry_limiter.h"
#include "pkg/cloud/registrar/service_annotations.h"
#include "pkg/kube/client/secrets.h"
#include "pkg/kube/meta_time.h"

namespace ccm::cloud::registrar {
namespace {

constexpr char kLbPrefix[] = "lb/";
constexpr char kSourcePrefix[] = "src/";
constexpr char kRegistrarPrefix[] = "LBRegistrar/";
constexpr char kServicePrefix[] = "Service/";
constexpr char kSliceServiceIndex[] = "service";
constexpr auto kIngressRetry = std::chrono::seconds(5);
constexpr char kReasonLoadBalancerNotAllowed[] = "LoadBalancerNotAllowed";

std::string RegistrarPath(const std::string& name) {
  return "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/" + name;
}

std::string ServicePath(const std::string& ns_name) {
  auto slash = ns_name.find('/');
  return "/api/v1/namespaces/" + ns_name.substr(0, slash) + "/services/" + ns_name.substr(slash + 1);
}

std::map<std::string, std::string> AnnotationMap(const kube::Service& svc) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : svc.annotations) out.emplace(k.str(), v);
  return out;
}

// "field: " of `s` that a load-balancer-level failure points at, or "" when none of its
// bindings is concerned.
std::string LoadBalancerProblemField(const SourceState& s, const std::string& reason, const SyncResult* result) {
  const bool service = s.kind == SourceKind::kService;
  if (reason == kReasonLoadBalancerNotFound && !s.bindings.empty()) {
    return std::string(service ? kAnnotationLoadBalancerId : "spec.loadBalancerId") + ": load balancer " +
           s.bindings.front().load_balancer_id + " not found (check the OCID: a recreated load balancer has a new one): ";
  }
  if (reason == kReasonBackendSetNotFound && result != nullptr) {
    for (const auto& b : s.bindings) {
      auto it = result->sets.find(b.backend_set);
      if (it == result->sets.end() || !it->second.missing) continue;
      if (service) return b.field + ": ";
      if (b.field == "spec") return "spec.backendSetName: ";
      return b.field + ".backendSetName (or spec.backendSetName): ";
    }
    return "";
  }
  return "";
}

}  // namespace

RegistrarController::RegistrarController(kube::RestClient& client, RegistrarInformers informers,
                                         BackendSetApiResolver& apis, OwnershipStore& ownership,
                                         kube::EventRecorder& events, const Clock& clock, RegistrarOptions options,
                                         RegistrarObserver* observer)
    : client_(client),
      informers_(informers),
      apis_(apis),
      ownership_(ownership),
      events_(events),
      clock_(clock),
      options_(std::move(options)),
      observer_(observer),
      queue_(clock, kube::WorkQueueOptions{.name = "service",
                                           .observer = options_.queue_observer,
                                           .rate_limiter = NewRetryLimiter(clock, options_.sync)}) {
  if (options_.secret_namespaces.empty()) options_.secret_namespaces.insert(options_.controller_namespace);
}

RegistrarController::~RegistrarController() { Stop(); }

void RegistrarController::RegisterHandlers() {
  informers_.endpoint_slices.store().AddIndex(kSliceServiceIndex, [](const kube::EndpointSlice& s) {
    return std::vector<std::string>{s.namespace_name + "/" + s.service_name};
  });
  informers_.registrars.AddHandlers({
      .on_add = [this](const kube::LBRegistrar& r) { OnRegistrar(r, false); },
      .on_update = [this](const kube::LBRegistrar&, const kube::LBRegistrar& r) { OnRegistrar(r, false); },
      .on_delete = [this](const kube::LBRegistrar& r) { OnRegistrar(r, true); },
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

void RegistrarController::OnRegistrar(const kube::LBRegistrar& obj, bool deleted) {
  std::string source = kRegistrarPrefix + obj.name;
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
  queue_.Add(kSourcePrefix + source);
}

void RegistrarController::OnService(const kube::Service& svc, bool deleted) {
  std::string key = svc.namespace_name + "/" + svc.name;
  std::string source = kServicePrefix + key;
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
      queue_.Add(kSourcePrefix + source);
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
  queue_.Add(kSourcePrefix + source);
}

void RegistrarController::OnNode(const kube::Node& node, bool deleted) {
  if (observer_ != nullptr) {
    std::lock_guard lock(mu_);
    if (deleted) ready_since_.erase(node.name);
    else if (node.ConditionStatus("Ready") == "True") ready_since_.try_emplace(node.name, clock_.Now());
  }
  EnqueueAllLoadBalancers();
}

void RegistrarController::EnqueueLoadBalancers(const std::set<std::string>& lbs) {
  for (const auto& lb : lbs) {
    if (!lb.empty()) queue_.Add(kLbPrefix + lb);
  }
}

void RegistrarController::EnqueueAllLoadBalancers() {
  EnqueueLoadBalancers(registry_.LoadBalancers());
  std::set<std::string> known;
  {
    std::lock_guard lock(mu_);
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
  for (int i = 0; i < std::max(1, options_.workers); ++i) workers_.emplace_back([this] { Worker(); });
}

void RegistrarController::Stop() {
  if (!started_.exchange(false)) return;
  queue_.ShutDownWithDrain();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void RegistrarController::Worker() {
  while (auto key = queue_.Get()) {
    ProcessKey(*key);
    queue_.Done(*key);
  }
}

void RegistrarController::ProcessKey(const std::string& key) {
  Clock::TimePoint began = clock_.Now();
  if (key.starts_with(kLbPrefix)) {
    std::string lb = key.substr(sizeof(kLbPrefix) - 1);
    Clock::Duration requeue_after{};
    bool rate_limited = false;
    bool ok = SyncLoadBalancer(lb, requeue_after, rate_limited);
    if (observer_) observer_->OnSync(lb, ok, clock_.Now() - began);
    if (rate_limited) {
      queue_.AddRateLimited(key);
      return;
    }
    queue_.Forget(key);
    if (requeue_after > Clock::Duration::zero()) queue_.AddAfter(key, requeue_after);
    return;
  }
  if (key.starts_with(kSourcePrefix)) {
    if (SyncSource(key.substr(sizeof(kSourcePrefix) - 1))) queue_.Forget(key);
    else queue_.AddRateLimited(key);
  }
}

kube::ObjectReference RegistrarController::RefFor(const std::string& source) const {
  if (source.starts_with(kRegistrarPrefix)) {
    std::string name = source.substr(sizeof(kRegistrarPrefix) - 1);
    auto obj = informers_.registrars.store().Get(name);
    return {.kind = "LBRegistrar", .name = name, .uid = obj ? obj->uid : "",
            .api_version = "nodes.peppy-ratio.dev/v1alpha1", .resource_version = obj ? obj->resource_version : ""};
  }
  std::string key = source.substr(sizeof(kServicePrefix) - 1);
  auto slash = key.find('/');
  auto obj = informers_.services.store().Get(key);
  return {.kind = "Service", .namespace_ = key.substr(0, slash), .name = key.substr(slash + 1),
          .uid = obj ? obj->uid : "", .api_version = "v1", .resource_version = obj ? obj->resource_version : ""};
}

bool RegistrarController::EnsureFinalizer(const SourceState& s) {
  std::vector<std::string> finalizers;
  std::string rv, path;
  if (s.kind == SourceKind::kLBRegistrar) {
    std::string name = s.source.substr(sizeof(kRegistrarPrefix) - 1);
    auto obj = informers_.registrars.store().Get(name);
    if (!obj) return true;
    if (obj->HasFinalizer(kFinalizer)) return true;
    finalizers = obj->finalizers;
    rv = obj->resource_version;
    path = RegistrarPath(name);
  } else {
    std::string key = s.source.substr(sizeof(kServicePrefix) - 1);
    auto obj = informers_.services.store().Get(key);
    if (!obj) return true;
    if (obj->HasFinalizer(kFinalizer)) return true;
    finalizers = obj->finalizers;
    rv = obj->resource_version;
    path = ServicePath(key);
  }
  finalizers.push_back(kFinalizer);
  auto r = client_.Patch(path, kube::PatchType::kMerge, FinalizersPatch(finalizers, rv));
  if (!r) {
    LOG(WARNING) << "registrar: adding finalizer to " << s.source << ": " << r.error().ToString();
    return false;
  }
  return true;
}

bool RegistrarController::RemoveFinalizer(const std::string& source) {
  std::vector<std::string> finalizers;
  std::string rv, path;
  if (source.starts_with(kRegistrarPrefix)) {
    std::string name = source.substr(sizeof(kRegistrarPrefix) - 1);
    auto obj = informers_.registrars.store().Get(name);
    if (!obj || !obj->HasFinalizer(kFinalizer)) return true;
    finalizers = obj->finalizers;
    rv = obj->resource_version;
    path = RegistrarPath(name);
  } else {
    std::string key = source.substr(sizeof(kServicePrefix) - 1);
    auto obj = informers_.services.store().Get(key);
    if (!obj || !obj->HasFinalizer(kFinalizer)) return true;
    finalizers = obj->finalizers;
    rv = obj->resource_version;
    path = ServicePath(key);
  }
  std::erase(finalizers, std::string(kFinalizer));
  auto r = client_.Patch(path, kube::PatchType::kMerge, FinalizersPatch(finalizers, rv));
  if (!r && r.error().kind != ErrorKind::kNotFound) {
    LOG(WARNING) << "registrar: removing finalizer from " << source << ": " << r.error().ToString();
    return false;
  }
  events_.Record(RefFor(source), kube::EventType::kNormal, "Deregistered",
                 "all backends this resource registered were removed");
  return true;
}

namespace {

// Annotated Services, and LBRegistrars that bring no apiKey of their own.
bool UsesControllerIdentity(const SourceState& s) {
  if (s.kind == SourceKind::kService) return true;
  return std::none_of(s.bindings.begin(), s.bindings.end(), [](const Binding& b) { return b.api_key.has_value(); });
}

// What lets the controller read Secrets in `ns`: the shipped ClusterRole, bound there.
std::string SecretReaderBindingHint(const std::string& ns) {
  return "a RoleBinding in " + ns +
         " to the ClusterRole system:oci-lb-registrar-ccm:secret-reader for the controller's ServiceAccount "
         "(deploy/kubernetes/rbac.yaml)";
}

}  // namespace

bool RegistrarController::ServiceMayTarget(const std::string& lb_id, const std::string& compartment) const {
  if (options_.allowed_load_balancers.contains(lb_id)) return true;
  return !compartment.empty() && options_.allowed_compartments.contains(compartment);
}

Result<oci::BackendSetApi*> RegistrarController::ResolveApi(const std::string& lb_id,
                                                            const std::vector<SourceState>& sources,
                                                            std::string& reason) {
  // An LBRegistrar's own key wins; a deleting one's key still serves its cleanup.
  const ApiKeyRef* key = nullptr;
  for (int pass = 0; pass < 2 && key == nullptr; ++pass) {
    for (const auto& s : sources) {
      if (s.kind != SourceKind::kLBRegistrar || s.deleting != (pass == 1)) continue;
      for (const auto& b : s.bindings) {
        if (b.api_key) {
          key = &*b.api_key;
          break;
        }
      }
      if (key != nullptr) break;
    }
  }
  if (key == nullptr) {
    auto api = apis_.For(lb_id, nullptr);
    if (!api) reason = "CredentialsError";
    return api;
  }
  if (!options_.secret_namespaces.contains(key->secret_namespace)) {
    reason = "SecretNamespaceNotAllowed";
    std::string allowed;
    for (const auto& ns : options_.secret_namespaces) allowed += (allowed.empty() ? "" : ", ") + ns;
    return Fail(ErrorKind::kForbidden, "spec.apiKey.privateKey.namespace: Secrets may only be read from " + allowed +
                                           " (not " + key->secret_namespace + "); add " + key->secret_namespace +
                                           " to --registrar-secret-namespaces and " + SecretReaderBindingHint(key->secret_namespace) +
                                           ", or move the Secret");
  }
  auto pem = kube::GetSecretKey(client_, key->secret_namespace, key->secret_name, key->secret_key);
  if (!pem) {
    reason = pem.error().kind == ErrorKind::kNotFound ? "SecretNotFound" : "SecretUnreadable";
    std::string what = "spec.apiKey.privateKey.secretKeyRef " + key->secret_namespace + "/" + key->secret_name +
                       " key " + key->secret_key;
    if (pem.error().kind == ErrorKind::kForbidden) what += " (" + SecretReaderBindingHint(key->secret_namespace) + ")";
    return Fail(pem.error().Wrap(what));
  }
  ApiKeyMaterial material{.ref = *key, .private_key_pem = std::move(*pem)};
  auto api = apis_.For(lb_id, &material);
  if (!api) reason = "InvalidAPIKey";
  return api;
}

bool RegistrarController::SyncLoadBalancer(const std::string& lb_id, Clock::Duration& requeue_after, bool& rate_limited) {
  if (!CachesSynced()) {
    requeue_after = std::chrono::milliseconds(200);
    return true;
  }
  if (!caches_synced_logged_.exchange(true)) LOG(INFO) << "registrar: informer caches synced";
  LoadBalancerSync* sync;
  {
    std::lock_guard lock(mu_);
    auto& slot = syncs_[lb_id];
    if (!slot) slot = std::make_unique<LoadBalancerSync>(lb_id, ownership_, clock_, options_.sync);
    sync = slot.get();
  }
  // A write is in flight and not yet worth polling: the desired state (tens of thousands
  // of backends at scale) would be computed for nothing. The poll run plans what changed.
  if (auto wait = sync->UntilNextPoll(); wait > Clock::Duration::zero()) {
    requeue_after = wait;
    return true;
  }
  std::vector<SourceState> sources = registry_.SourcesFor(lb_id);
  for (const auto& s : sources) {
    if (!s.deleting && !EnsureFinalizer(s)) {
      rate_limited = true;
      return false;
    }
  }
  std::string reason;
  auto api = ResolveApi(lb_id, sources, reason);
  if (!api) {
    for (const auto& s : sources) ReportSource(s, nullptr, reason, api.error().ToString(), {});
    rate_limited = true;
    return false;
  }

  // Sources that act with the controller's own OCI identity may only target allowed load
  // balancers; the compartment needs one read.
  bool has_identity_source = std::any_of(sources.begin(), sources.end(), UsesControllerIdentity);
  std::string compartment;
  if (has_identity_source && !options_.allowed_load_balancers.contains(lb_id) && !options_.allowed_compartments.empty()) {
    std::lock_guard lock(mu_);
    compartment = lb_compartment_[lb_id];
  }
  if (has_identity_source && compartment.empty() && !options_.allowed_load_balancers.contains(lb_id) &&
      !options_.allowed_compartments.empty()) {
    if (auto info = (*api)->GetLoadBalancer(lb_id); info) {
      compartment = info->compartment_id;
      std::lock_guard lock(mu_);
      lb_compartment_[lb_id] = compartment;
    }
  }

  std::vector<Binding> bindings;
  std::set<std::string> incomplete_sets;
  std::set<std::string> disallowed;
  for (const auto& s : sources) {
    if (s.deleting) continue;
    if (UsesControllerIdentity(s) && !ServiceMayTarget(lb_id, compartment)) {
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
        sync->Carry(set, carried);
        std::string name = set.key.backend_set;
        desired[name] = std::move(set);
      });

  auto recorded = ownership_.Recorded(lb_id);
  if (!recorded) {
    for (const auto& s : sources) ReportSource(s, nullptr, kReasonOwnershipRecord, recorded.error().ToString(), {});
    rate_limited = true;
    return false;
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

  SyncResult result = sync->Sync(desired, **api, CachesSynced());
  if (result.partial && result.changes.empty() && result.work_requests.empty()) {
    requeue_after = result.requeue_after;  // the next run continues; it reports
    return true;
  }

  std::map<std::string, BindingResult> by_source_field;
  for (auto& b : binding_results) by_source_field[b.source + "#" + b.field] = b;
  for (const auto& s : sources) {
    if (disallowed.contains(s.source)) {
      ReportSource(s, &result, kReasonLoadBalancerNotAllowed,
                   std::string(s.kind == SourceKind::kService ? "annotated Services"
                                                              : "LBRegistrars without spec.apiKey") +
                       " use the controller's own OCI identity and may not target load balancer " + lb_id +
                       ": add it (or its compartment) to registrar.allowedLoadBalancers / allowedCompartments in the "
                       "cloud-config" +
                       (s.kind == SourceKind::kService ? "" : ", or give the LBRegistrar its own spec.apiKey"),
                   by_source_field);
      continue;
    }
    ReportSource(s, &result, result.reason, result.error ? result.error->ToString() : "", by_source_field);
  }
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
      if (touched) events_.Record(RefFor(s.source), kube::EventType::kNormal, "BackendsUpdated", summary);
    }
  }
  if (observer_) {
    for (const auto& [name, report] : result.sets) observer_->OnBackendSet(lb_id, name, report.registered);
    for (const auto& [outcome, took] : result.work_requests) observer_->OnWorkRequest(lb_id, outcome, took);
    std::vector<Clock::Duration> latencies;
    {
      std::lock_guard lock(mu_);
      for (const auto& node : result.registered_nodes) {
        auto it = ready_since_.find(node);
        if (it == ready_since_.end()) continue;  // measured once per node, at its first registration
        latencies.push_back(clock_.Now() - it->second);
        ready_since_.erase(it);
      }
    }
    for (auto l : latencies) observer_->OnNodeRegistered(l);
  }

  // Cleanup finished for deleting sources once no record names them and nothing is in flight.
  if (!sync->has_pending_write()) {
    auto after = ownership_.Recorded(lb_id);
    for (const auto& s : sources) {
      if (!s.deleting || !after) continue;
      bool still_referenced = false;
      for (const auto& [name, names] : *after) still_referenced = still_referenced || names.contains(s.source);
      if (!still_referenced && RemoveFinalizer(s.source)) {
        if (s.kind == SourceKind::kService) {
          // The annotation is gone (or the Service is going): forget it.
          auto svc = informers_.services.store().Get(s.source.substr(sizeof(kServicePrefix) - 1));
          if (!svc || !HasRegistrarAnnotations(AnnotationMap(*svc))) registry_.Remove(s.source);
        }
      }
    }
  }
  requeue_after = result.requeue_after;
  rate_limited = result.rate_limited_retry;
  return !rate_limited;
}

void RegistrarController::ReportSource(const SourceState& s, const SyncResult* result,
                                       const std::string& lb_reason_in, const std::string& lb_message,
                                       const std::map<std::string, BindingResult>& bindings) {
  if (s.deleting) return;
  // A missing backend set is the problem only of the sources that name it.
  std::string lb_reason = lb_reason_in;
  if (lb_reason == kReasonBackendSetNotFound && result != nullptr &&
      std::any_of(result->sets.begin(), result->sets.end(), [](const auto& kv) { return kv.second.missing; }) &&
      LoadBalancerProblemField(s, lb_reason, result).empty()) {
    lb_reason.clear();
  }
  std::string now = kube::FormatTime(clock_.WallNow());
  RegistrarStatus status;
  int registered = 0;
  std::string binding_reason, binding_message, held;
  for (const auto& b : s.bindings) {
    auto it = bindings.find(s.source + "#" + b.field);
    if (it != bindings.end() && !it->second.reason.empty() && binding_reason.empty()) {
      binding_reason = it->second.reason;
      binding_message = b.field + ": " + it->second.message;
    }
    if (result != nullptr) {
      if (auto r = result->sets.find(b.backend_set); r != result->sets.end()) {
        if (!r->second.held_reason.empty() && held.empty()) held = b.backend_set + ": " + r->second.held_reason;
        bool listed = std::any_of(status.backend_sets.begin(), status.backend_sets.end(),
                                  [&](const BackendSetStatus& x) { return x.name == b.backend_set; });
        if (!listed) {
          status.backend_sets.push_back({.name = b.backend_set, .registered = r->second.registered,
                                         .last_sync_time = "", .last_work_request_id = r->second.last_work_request});
          registered += r->second.registered;
        }
      }
    }
  }
  std::string reason, message;
  if (s.in_error()) {
    reason = "InvalidSpec";
    message = JoinProblems(s.problems) + (s.bindings.empty() ? "" : " (the last valid spec stays registered)");
  } else if (!lb_reason.empty()) {
    reason = lb_reason;
    message = LoadBalancerProblemField(s, lb_reason, result) + lb_message;
  } else if (!binding_reason.empty()) {
    reason = binding_reason;
    message = binding_message;
  } else if (!held.empty()) {
    reason = "RemovalWithheld";
    message = held;
  }
  bool converged = result != nullptr && result->converged;
  if (result != nullptr && !converged && lb_reason.empty() && lb_reason_in == kReasonBackendSetNotFound) {
    // Another source's missing backend set failed the run: this source's own sets decide.
    converged = !s.bindings.empty() && std::all_of(s.bindings.begin(), s.bindings.end(), [&](const Binding& b) {
      auto it = result->sets.find(b.backend_set);
      return it != result->sets.end() && it->second.converged;
    });
  }
  status.observed_generation = s.generation;
  status.registered_backends = registered;
  if (s.in_error() || (!lb_reason.empty() && reason == lb_reason)) status.phase = "ERROR";
  else if (result == nullptr) status.phase = "PENDING";
  else status.phase = converged ? "READY" : "REGISTERING";

  {
    std::lock_guard lock(mu_);
    status.conditions = last_status_[s.source].conditions;
  }
  SetCondition(status.conditions, {.type = "Ready", .status = converged && reason.empty() ? "True" : "False",
                                   .reason = converged && reason.empty() ? "BackendsRegistered"
                                             : reason.empty()           ? "Registering"
                                                                        : reason,
                                   .message = converged && reason.empty()
                                                  ? std::to_string(registered) + " backend(s) registered"
                                                  : (message.empty() ? "a write is in progress" : message),
                                   .observed_generation = s.generation,
                                   .last_transition_time = now});
  SetCondition(status.conditions, {.type = "Degraded", .status = reason.empty() ? "False" : "True",
                                   .reason = reason.empty() ? "AsExpected" : reason,
                                   .message = reason.empty() ? "" : message,
                                   .observed_generation = s.generation,
                                   .last_transition_time = now});

  // Not for a source that may not use this load balancer.
  if (result != nullptr && !result->ip_addresses.empty() && lb_reason_in != kReasonLoadBalancerNotAllowed) {
    ReportIngress(s, result->ip_addresses);
  }

  bool changed;
  {
    std::lock_guard lock(mu_);
    RegistrarStatus& last = last_status_[s.source];
    changed = !(last == status);
    // Keep the work-request figures; only a change of substance is written.
    if (changed) last = status;
  }
  if (!changed) return;
  if (!reason.empty()) events_.Record(RefFor(s.source), kube::EventType::kWarning, reason, message);
  if (s.kind == SourceKind::kLBRegistrar) {
    std::string name = s.source.substr(sizeof(kRegistrarPrefix) - 1);
    auto r = client_.Patch(RegistrarPath(name), kube::PatchType::kMerge, RegistrarStatusPatch(status), true);
    if (!r && r.error().kind != ErrorKind::kNotFound) {
      LOG(WARNING) << "registrar: status of " << s.source << ": " << r.error().ToString();
      std::lock_guard lock(mu_);
      last_status_.erase(s.source);  // write again next time
    }
  }
}

// The load balancer's addresses as status.loadBalancer.ingress of the type LoadBalancer
// Services this source registers: an annotated Service's own, and those an LBRegistrar names
// in services[] unless the Service is annotated itself (its own annotation decides). Compared
// with the cache on every report, so an ingress someone cleared comes back; a failed patch
// is retried.
void RegistrarController::ReportIngress(const SourceState& s, const std::vector<std::string>& ips) {
  std::vector<std::pair<std::string, std::string>> services;  // (ns/name, load balancer)
  if (s.kind == SourceKind::kService) {
    if (!s.bindings.empty()) services.emplace_back(s.source.substr(sizeof(kServicePrefix) - 1), s.bindings[0].load_balancer_id);
  } else {
    for (const auto& b : s.bindings) {
      if (!b.service) continue;
      std::string key = b.service->namespace_name + "/" + b.service->name;
      if (registry_.Contains(kServicePrefix + key)) continue;
      services.emplace_back(std::move(key), b.load_balancer_id);
    }
  }
  for (const auto& [key, lb_id] : services) {
    auto svc = informers_.services.store().Get(key);
    if (!svc || svc->type != std::string_view("LoadBalancer") || svc->load_balancer_ingress_ips == ips) continue;
    auto r = client_.Patch(ServicePath(key), kube::PatchType::kMerge, IngressPatch(ips), true);
    if (!r && r.error().kind != ErrorKind::kNotFound) {
      LOG(WARNING) << "registrar: ingress of Service " << key << ": " << r.error().ToString() << " (retrying)";
      queue_.AddAfter(kLbPrefix + lb_id, kIngressRetry);
    }
  }
}

// Fields the spec carries that do not act (an alias overridden) or are deprecated: one Warning
// Event each, once per generation, so `kubectl describe` tells why.
void RegistrarController::ReportNotes(const SourceState& s) {
  {
    std::lock_guard lock(mu_);
    auto [it, inserted] = notes_reported_.try_emplace(s.source, s.generation);
    if (!inserted && it->second == s.generation) return;
    it->second = s.generation;
  }
  for (const auto& note : s.notes) {
    const char* reason = note.find(" is ignored") != std::string::npos ? "SpecFieldIgnored" : "SpecFieldDeprecated";
    events_.Record(RefFor(s.source), kube::EventType::kWarning, reason, note);
  }
}

void RegistrarController::ForgetSource(const std::string& source) {
  std::lock_guard lock(mu_);
  notes_reported_.erase(source);
}

bool RegistrarController::SyncSource(const std::string& source) {
  auto s = registry_.Get(source);
  if (!s) return true;
  if (!CachesSynced()) {
    queue_.AddAfter(kSourcePrefix + source, std::chrono::seconds(1));
    return true;
  }
  if (s->in_error() && s->bindings.empty()) ReportSource(*s, nullptr, "", "", {});
  ReportNotes(*s);
  if (s->deleting && s->bindings.empty()) {
    // No load balancer known for it: finish when no ownership record names it.
    auto lbs = ownership_.LoadBalancers();
    if (!lbs) return false;
    for (const auto& lb : *lbs) {
      auto recorded = ownership_.Recorded(lb);
      if (!recorded) return false;
      for (const auto& [name, names] : *recorded) {
        if (names.contains(source)) {
          queue_.Add(kLbPrefix + lb);
          return true;
        }
      }
    }
    if (!RemoveFinalizer(source)) return false;
    registry_.Remove(source);
    ForgetSource(source);
  }
  return true;
}

}  // namespace ccm::cloud::registrar
