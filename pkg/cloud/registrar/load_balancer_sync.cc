#include "pkg/cloud/registrar/load_balancer_sync.h"

#include <glog/logging.h>

#include <algorithm>
#include <functional>
#include <unordered_set>

#include "pkg/base/status_macros.h"

namespace ccm::cloud::registrar {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

std::vector<ActualBackend> ToActual(const oci::BackendSetInfo& set) {
  std::vector<ActualBackend> out;
  out.reserve(set.backends.size());
  for (const auto& b : set.backends) {
    out.push_back(ActualBackend{.name = b.name, .ip = b.ip_address, .port = static_cast<int>(b.port),
                                .weight = static_cast<int>(b.weight.value_or(1)), .drain = b.drain, .backup = b.backup,
                                .offline = b.offline, .target_id = b.target_id});
  }
  return out;
}

// A backend as the API should see it: by instance for a network load balancer when known
// (with the node's IP, so the API layer too finds a backend registered by address).
oci::BackendSpec ToSpec(const ActualBackend& b, bool nlb) {
  oci::BackendSpec s;
  if (nlb) s.target_id = b.target_id;
  s.ip_address = b.ip;
  s.port = b.port;
  s.weight = b.weight;
  s.drain = b.drain;
  s.backup = b.backup;
  s.offline = b.offline;
  return s;
}

std::string Describe(const BackendChange& c, const std::string& set) {
  switch (c.kind) {
    case BackendChange::Kind::kCreate: return "registered " + c.backend.Key() + " in " + set;
    case BackendChange::Kind::kDelete: return "removed " + c.backend.Key() + " from " + set;
    case BackendChange::Kind::kUpdate:
      return std::string(c.backend.drain ? "draining " : "updated ") + c.backend.Key() + " in " + set;
  }
  return "";
}

}  // namespace

LoadBalancerSync::LoadBalancerSync(std::string lb_id, OwnershipStore& ownership, const Clock& clock,
                                   SyncSettings settings)
    : lb_id_(std::move(lb_id)),
      ownership_(ownership),
      clock_(clock),
      settings_(settings),
      poll_(settings.first_poll, settings.max_poll) {}

kube::SyncOutcome SyncResult::Outcome() const {
  if (error) {
    if (rate_limited_retry) return kube::SyncOutcome::Retry(*error, reason);
    return kube::SyncOutcome::RetryAfter(*error, reason, requeue_after);
  }
  kube::SyncOutcome outcome = kube::SyncOutcome::DoneRequeueAfter(requeue_after);
  if (write_in_flight && outcome.requeue == kube::Requeue::kAfter) outcome.lane = kube::QueueLane::kAhead;
  return outcome;
}

const char* LoadBalancerSync::ReasonFor(const Error& error) {
  switch (error.kind) {
    case ErrorKind::kUnauthenticated:
    case ErrorKind::kForbidden: return kReasonOciUnauthorized;
    case ErrorKind::kTooManyRequests: return kReasonOciThrottled;
    case ErrorKind::kConflict:
    case ErrorKind::kIncorrectState: return kReasonOciConflict;
    case ErrorKind::kNotFound: return kReasonLoadBalancerNotFound;
    case ErrorKind::kTimeout: return kReasonOciTimeout;
    // Only a failure with no HTTP answer at all: a 503 is OCI answering, not unreachable.
    case ErrorKind::kUnavailable: return error.http_status == 0 ? kReasonOciUnreachable : kReasonOciError;
    default: return kReasonOciError;
  }
}

void LoadBalancerSync::Classify(const Error& error, SyncResult& result) {
  result.error = error;
  result.reason = ReasonFor(error);
  result.rate_limited_retry = true;
}

bool LoadBalancerSync::SaveOwnership(const std::string& backend_set, const Ownership& record, SyncResult& result) {
  auto st = ownership_.Save(lb_id_, backend_set, record);
  if (st) return true;
  result.error = st.error();
  result.reason = kReasonOwnershipRecord;
  result.rate_limited_retry = true;
  return false;
}

void LoadBalancerSync::SaveLandedRecords(SyncResult& result) {
  for (auto it = unsaved_.begin(); it != unsaved_.end();) {
    SyncResult saved;
    if (SaveOwnership(it->first, it->second, saved)) {
      it = unsaved_.erase(it);
      continue;
    }
    if (!result.error) {
      result.error = saved.error;
      result.reason = saved.reason;
      result.rate_limited_retry = true;
    }
    ++it;
  }
}

Status LoadBalancerSync::RefreshLoadBalancer(oci::BackendSetApi& api) {
  Clock::TimePoint now = clock_.Now();
  if (lb_info_ && now - lb_info_at_ < settings_.resync_period) return {};
  auto info = api.GetLoadBalancer(lb_id_);
  if (!info) {
    if (info.error().kind != ErrorKind::kNotFound) return Fail(info.error());
    Error e = info.error();
    e.message = "load balancer " + lb_id_ +
                " not found or not authorized (OCI answers 404 for both): check the OCID and the policy granting this "
                "controller 'use load-balancers': " + info.error().message;
    return Fail(std::move(e));
  }
  lb_info_ = std::move(*info);
  lb_info_at_ = now;
  // Each verified set is re-read on its own resync period (IsStillVerified), spread as the
  // sets were written: clearing them all here would re-read every set in one burst that
  // delays the writes of real changes behind the read rate limit.
  return {};
}

Result<std::string> LoadBalancerSync::Compartment(oci::BackendSetApi& api) {
  RETURN_IF_ERROR(RefreshLoadBalancer(api));
  return lb_info_->compartment_id;
}

bool LoadBalancerSync::PollPending(oci::BackendSetApi& api, SyncResult& result) {
  PendingWrite& p = *pending_;
  Clock::TimePoint now = clock_.Now();
  if (now < p.next_poll_at) {
    result.requeue_after = p.next_poll_at - now;
    return false;
  }
  auto wr = api.GetWorkRequest(p.work_request_id);
  now = clock_.Now();
  if (!wr) {
    if (wr.error().retryable && now - p.submitted < settings_.work_request_timeout) {
      result.requeue_after = poll_.NextPollDelay(p.first_poll, now - p.submitted);
      p.next_poll_at = now + result.requeue_after;
      return false;
    }
    Classify(wr.error(), result);
    attempted_.erase(p.backend_set);  // a failed turn does not count: retry it
    pending_.reset();
    return false;
  }
  switch (wr->phase) {
    case oci::WorkRequestPhase::kPending:
      if (now - p.submitted >= settings_.work_request_timeout) {
        // Abandon the wait, not the truth: the next run re-reads OCI and re-plans.
        Error e = MakeError(ErrorKind::kTimeout, "work request " + p.work_request_id + " on " + p.backend_set +
                                                     " still " + wr->status + " after " +
                                                     std::to_string(settings_.work_request_timeout.count()) + "s");
        result.error = e;
        result.reason = kReasonWorkRequestFailed;
        result.rate_limited_retry = true;
        result.work_requests.emplace_back("TIMEOUT", now - p.submitted);
        verified_.erase(p.backend_set);
        attempted_.erase(p.backend_set);  // a failed turn does not count: retry it
        pending_.reset();
        return false;
      }
      p.last_pending_age = now - p.submitted;
      result.requeue_after = poll_.NextPollDelay(p.first_poll, now - p.submitted);
      p.next_poll_at = now + result.requeue_after;
      return false;
    case oci::WorkRequestPhase::kSucceeded: {
      poll_.ObserveCompletion(p.last_pending_age, now - p.submitted);
      result.work_requests.emplace_back("SUCCEEDED", now - p.submitted);
      unsaved_[p.backend_set] = std::move(p.after);
      last_work_request_[p.backend_set] = p.work_request_id;
      for (auto& d : p.descriptions) result.changes.push_back(std::move(d));
      result.changed_sets.insert(p.backend_set);
      for (auto& n : p.created_nodes) result.registered_nodes.push_back(std::move(n));
      // The write is what we planned: trust it until the resync period re-reads the set.
      p.report.converged = p.drain_deadline == WallTime{};
      p.report.last_work_request = p.work_request_id;
      verified_[p.backend_set] = Verified{p.desired_hash, now, p.drain_deadline, p.report};
      pending_.reset();
      return true;
    }
    case oci::WorkRequestPhase::kFailed:
    case oci::WorkRequestPhase::kCanceled: {
      poll_.ObserveCompletion(p.last_pending_age, now - p.submitted);
      result.work_requests.emplace_back(oci::WorkRequestPhaseName(wr->phase), now - p.submitted);
      std::string details;
      for (const auto& e : wr->errors) details += (details.empty() ? "" : "; ") + e;
      if (details.empty()) details = wr->message;
      Error e = MakeError(ErrorKind::kUnavailable, "work request " + p.work_request_id + " on backend set " +
                                                        p.backend_set + " " + oci::WorkRequestPhaseName(wr->phase) +
                                                        (details.empty() ? "" : ": " + details));
      result.error = e;
      result.reason = kReasonWorkRequestFailed;
      result.rate_limited_retry = true;
      last_work_request_[p.backend_set] = p.work_request_id;
      verified_.erase(p.backend_set);
      attempted_.erase(p.backend_set);  // a failed turn does not count: retry it
      pending_.reset();
      return false;
    }
  }
  return false;
}

bool LoadBalancerSync::IsStillVerified(const Verified& v, size_t hash, Clock::TimePoint now, WallTime wall_now) const {
  return v.desired_hash == hash && now - v.at < settings_.resync_period && v.report.held_reason.empty() &&
         (v.drain_deadline == WallTime{} || wall_now < v.drain_deadline);
}

bool LoadBalancerSync::WasAttempted(const std::string& backend_set, size_t desired_hash) const {
  auto it = attempted_.find(backend_set);
  return it != attempted_.end() && it->second == desired_hash;
}

void LoadBalancerSync::Carry(DesiredBackendSet& set, int& carried) const {
  if (set.dropped_hash) return;
  size_t hash = HashDesired(set);
  const std::string& name = set.key.backend_set;
  if (!IsVerified(name, hash) && !WasAttempted(name, hash) && carried < settings_.max_sets_planned_per_run) {
    ++carried;
    return;
  }
  set.dropped_count = static_cast<int>(set.backends.size());
  set.dropped_hash = hash;
  std::vector<DesiredBackend>().swap(set.backends);
}

bool LoadBalancerSync::IsVerified(const std::string& backend_set, size_t desired_hash) const {
  auto v = verified_.find(backend_set);
  return v != verified_.end() && IsStillVerified(v->second, desired_hash, clock_.Now(), clock_.WallNow());
}

Clock::Duration LoadBalancerSync::UntilNextPoll() const {
  if (!pending_) return Clock::Duration::zero();
  return std::max(Clock::Duration::zero(), pending_->next_poll_at - clock_.Now());
}

void LoadBalancerSync::ScheduleRetry(SyncResult& result) {
  bool user_error = result.reason == kReasonOciUnauthorized || result.reason == kReasonLoadBalancerNotFound ||
                    result.reason == kReasonBackendSetNotFound;
  if (user_error) {
    Clock::Duration wait = settings_.user_error_backoff;
    for (int i = 0; i < user_error_streak_ && wait < settings_.max_user_error_backoff; ++i) wait *= 2;
    result.requeue_after = std::min(wait, settings_.max_user_error_backoff);
    result.rate_limited_retry = false;
    ++user_error_streak_;
  } else if (!result.error) {
    user_error_streak_ = 0;
  }
}

SyncResult LoadBalancerSync::ReadFailure(const Error& error) {
  SyncResult result;
  Classify(error, result);
  ScheduleRetry(result);
  return result;
}

std::optional<SyncResult> LoadBalancerSync::PollInFlight(oci::BackendSetApi& api) {
  if (!pending_ || polled_) return std::nullopt;
  SyncResult result;
  bool landed = PollPending(api, result);
  if (!landed && !result.error && pending_) {
    ScheduleRetry(result);
    result.write_in_flight = true;
    return result;
  }
  polled_ = std::move(result);
  polled_landed_ = landed;
  return std::nullopt;
}

SyncResult LoadBalancerSync::Sync(const std::map<std::string, DesiredBackendSet>& desired, oci::BackendSetApi& api,
                                  bool caches_synced) {
  SyncResult result = SyncOnce(desired, api, caches_synced);
  // After SyncOnce submitted the next write, if there was one.
  SaveLandedRecords(result);
  ScheduleRetry(result);
  result.write_in_flight = pending_.has_value();
  for (const auto& [name, want] : desired) {
    auto it = result.sets.find(name);
    if (it != result.sets.end() && it->second.last_sync != WallTime{}) {
      last_report_[name] = it->second;
    } else if (it == result.sets.end() || !it->second.missing) {
      // Not reached in this run: a set verified for the same desired state still is (its
      // sources stay Ready while another set is written); any other is not converged.
      if (auto v = verified_.find(name); it == result.sets.end() && v != verified_.end() && IsVerified(name, HashDesired(want))) {
        BackendSetReport r = v->second.report;
        r.last_work_request = last_work_request_[name];
        result.sets[name] = r;
      } else if (auto last = last_report_.find(name); last != last_report_.end()) {
        BackendSetReport r = last->second;
        r.converged = false;  // not re-checked in this run
        result.sets[name] = r;
      }
    }
  }
  std::erase_if(last_report_, [&](const auto& kv) { return !desired.contains(kv.first); });
  return result;
}

SyncResult LoadBalancerSync::SyncOnce(const std::map<std::string, DesiredBackendSet>& desired, oci::BackendSetApi& api,
                                      bool caches_synced) {
  SyncResult result;
  if (polled_) {
    result = std::move(*polled_);
    polled_.reset();
    if (!polled_landed_) return result;
  } else if (pending_ && !PollPending(api, result)) {
    return result;
  }

  if (auto st = RefreshLoadBalancer(api); !st) {
    Classify(st.error(), result);
    return result;
  }
  Clock::TimePoint now = clock_.Now();
  for (const auto& ip : lb_info_->ip_addresses) result.ip_addresses.push_back(ip.ip_address);
  if (!foreign_writes_checked_) {
    auto busy = api.WorkInFlight(*lb_info_);
    if (!busy) {
      Classify(busy.error(), result);
      return result;
    }
    if (*busy) {
      if (!foreign_wait_since_) foreign_wait_since_ = now;
      Clock::Duration waited = now - *foreign_wait_since_;
      if (waited < settings_.work_request_timeout) {
        if (waited == Clock::Duration::zero()) {
          LOG(INFO) << "load balancer " << lb_id_ << ": a work request this replica did not submit is running; "
                    << "waiting for it before planning";
        }
        lb_info_.reset();  // a network load balancer's lifecycle state tells when it is done
        result.requeue_after = std::clamp<Clock::Duration>(waited / 4, settings_.first_poll, settings_.max_poll);
        return result;
      }
      LOG(WARNING) << "load balancer " << lb_id_ << ": a work request is still running after "
                   << duration_cast<std::chrono::seconds>(waited).count() << "s; planning anyway";
    }
    foreign_writes_checked_ = true;
  }
  const bool nlb = api.kind() == oci::LoadBalancerKind::kNetworkLoadBalancer;

  WallTime wall_now = clock_.WallNow();
  WallTime next_drain{};
  bool deferred = false;
  for (const auto& [name, want] : desired) {
    BackendSetReport& report = result.sets[name];
    report.name = name;
    report.desired = want.size();
    if (auto it = last_work_request_.find(name); it != last_work_request_.end()) report.last_work_request = it->second;
    if (std::find(lb_info_->backend_set_names.begin(), lb_info_->backend_set_names.end(), name) ==
        lb_info_->backend_set_names.end()) {
      report.missing = true;
      if (!result.error) {
        result.error = MakeError(ErrorKind::kNotFound, "backend set " + name + " does not exist on load balancer " +
                                                           lb_id_ + ": create it (this controller never creates backend sets)");
        result.reason = kReasonBackendSetNotFound;
        result.rate_limited_retry = true;
      }
      continue;
    }
    size_t hash = HashDesired(want);
    if (auto v = verified_.find(name); v != verified_.end() && IsStillVerified(v->second, hash, now, wall_now)) {
      if (v->second.drain_deadline != WallTime{} &&
          (next_drain == WallTime{} || v->second.drain_deadline < next_drain)) {
        next_drain = v->second.drain_deadline;
      }
      report = v->second.report;
      report.last_work_request = last_work_request_[name];
      continue;
    }
    if (want.dropped_hash) {
      // Its backends were left for a later run (max_sets_planned_per_run), or it was verified
      // a moment ago and no longer is: never plan from an empty list.
      if (auto last = last_report_.find(name); last != last_report_.end()) report = last->second;
      if (!WasAttempted(name, hash)) deferred = true;
      continue;
    }
    auto actual = api.GetBackendSet(lb_id_, name);
    if (!actual) {
      Classify(actual.error(), result);
      if (actual.error().kind == ErrorKind::kNotFound) {
        result.reason = kReasonBackendSetNotFound;
        lb_info_.reset();  // the set list may have changed
      }
      return result;
    }
    // Planning a set from its own record: the landed write's record must be saved first.
    if (unsaved_.contains(name)) {
      SaveLandedRecords(result);
      if (unsaved_.contains(name)) return result;
    }
    auto loaded = ownership_.Load(lb_id_, name);
    if (!loaded) {
      result.error = loaded.error();
      result.reason = kReasonOwnershipRecord;
      result.rate_limited_retry = true;
      return result;
    }
    // With the service's snapshot the write needs only it (and its ETag), not our copy: one
    // list fewer while planning.
    std::vector<ActualBackend> actual_backends = ToActual(*actual);
    if (actual->snapshot) std::vector<oci::BackendInfo>().swap(actual->backends);
    // The inputs' copies of the lists go before the write, which holds its own.
    Plan plan;
    Ownership record;
    {
      PlanInputs in{.desired = want.backends,
                    .actual = std::move(actual_backends),
                    .ownership = std::move(*loaded),
                    .exclusive = want.exclusive,
                    .adopt_existing = want.adopt_existing,
                    .allow_empty = want.allow_empty,
                    .inputs_complete = want.inputs_complete && caches_synced,
                    .drain_period = settings_.drain_period,
                    .now = wall_now};
      plan = PlanBackendSet(in);
      record = std::move(in.ownership);
    }
    std::set<std::string> sources(want.sources.begin(), want.sources.end());
    if (sources.empty()) sources = record.sources;  // a set whose sources are gone keeps its record until emptied
    plan.ownership_before_write.sources = sources;
    plan.ownership_after_write.sources = plan.ownership_after_write.owned.empty() ? std::set<std::string>{} : sources;
    report.held_reason = plan.held_reason;
    report.last_sync = wall_now;
    if (plan.next_drain_deadline != WallTime{} && (next_drain == WallTime{} || plan.next_drain_deadline < next_drain)) {
      next_drain = plan.next_drain_deadline;
    }
    if (plan.empty()) {
      report.registered = CountRegistered(want.backends, plan.result);
      report.converged = true;
      if (!(plan.ownership_after_write == record) && !SaveOwnership(name, plan.ownership_after_write, result)) {
        return result;
      }
      verified_[name] = Verified{hash, now, plan.next_drain_deadline, report};
      attempted_[name] = hash;
      continue;
    }
    // Record intent before the write, so a crash right after it still knows these are ours.
    if (!(plan.ownership_before_write == record) && !SaveOwnership(name, plan.ownership_before_write, result)) {
      return result;
    }
    plan.ownership_before_write = Ownership();  // saved: from here only the after-state matters
    record = Ownership();
    const int registered = CountRegistered(want.backends, plan.result);
    Result<std::string> wr = std::string();
    if (plan.changes.size() <= settings_.max_single_backend_changes) {
      const BackendChange& c = plan.changes.front();
      switch (c.kind) {
        case BackendChange::Kind::kCreate: wr = api.CreateBackend(lb_id_, name, ToSpec(c.backend, nlb)); break;
        case BackendChange::Kind::kDelete: wr = api.DeleteBackend(lb_id_, name, c.backend.name); break;
        case BackendChange::Kind::kUpdate: {
          oci::BackendSpec spec = ToSpec(c.backend, nlb);
          spec.backup.reset();  // change only what we manage
          spec.offline.reset();
          wr = api.UpdateBackend(lb_id_, name, spec);
          break;
        }
      }
    } else {
      std::vector<oci::BackendSpec> specs;
      specs.reserve(plan.result.size());
      for (const auto& b : plan.result) specs.push_back(ToSpec(b, nlb));
      std::vector<ActualBackend>().swap(plan.result);
      wr = api.ReplaceBackends(lb_id_, name, specs, &*actual);
    }
    if (!wr && wr.error().code == "ChangedSinceRead") {
      // Someone changed the set while we planned: plan again from a fresh read, at once.
      verified_.erase(name);
      attempted_.erase(name);  // a failed turn does not count: retry it
      result.requeue_after = std::chrono::milliseconds(1);
      return result;
    }
    if (!wr) {
      Classify(wr.error(), result);
      verified_.erase(name);
      attempted_.erase(name);  // a failed turn does not count: retry it
      return result;
    }
    std::vector<std::string> descriptions;
    for (const auto& c : plan.changes) descriptions.push_back(Describe(c, name));
    LOG(INFO) << "load balancer " << lb_id_ << " backend set " << name << ": " << plan.changes.size()
              << " change(s), work request " << (wr->empty() ? "(none)" : *wr);
    if (wr->empty()) {  // nothing had to be written after all
      if (!SaveOwnership(name, plan.ownership_after_write, result)) return result;
      attempted_[name] = hash;
      continue;
    }
    BackendSetReport landed = report;
    landed.registered = registered;
    std::vector<std::string> created_nodes;
    {
      std::unordered_set<std::string> created;
      for (const auto& c : plan.changes) {
        if (c.kind == BackendChange::Kind::kCreate) created.insert(c.backend.Key());
      }
      for (const auto& d : want.backends) {
        if (!d.node_name.empty() && !created.empty() && created.contains(d.Key())) created_nodes.push_back(d.node_name.str());
      }
    }
    Clock::Duration first_poll = poll_.FirstPoll();
    pending_ = PendingWrite{.work_request_id = *wr,
                            .backend_set = name,
                            .after = std::move(plan.ownership_after_write),
                            .descriptions = std::move(descriptions),
                            .submitted = now,
                            .first_poll = first_poll,
                            .desired_hash = hash,
                            .report = landed,
                            .drain_deadline = plan.next_drain_deadline,
                            .created_nodes = std::move(created_nodes),
                            .next_poll_at = now + first_poll};
    report.last_work_request = *wr;
    result.requeue_after = first_poll;
    attempted_[name] = hash;
    return result;
  }
  if (deferred) {
    result.partial = !result.error;
    result.requeue_after = milliseconds(1);
    return result;
  }
  attempted_.clear();  // every set had its turn: the next run starts a new round
  result.converged = !result.error;
  Clock::Duration until_resync = settings_.resync_period;
  if (next_drain != WallTime{}) {
    auto until_drain = std::max(next_drain - wall_now, std::chrono::system_clock::duration::zero());
    until_resync = std::min(until_resync, duration_cast<Clock::Duration>(until_drain) + milliseconds(100));
  }
  if (!result.error) result.requeue_after = until_resync;
  return result;
}

}  // namespace ccm::cloud::registrar
