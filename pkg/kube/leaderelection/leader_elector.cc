#include "pkg/kube/leaderelection/leader_elector.h"

#include <glog/logging.h>

#include <algorithm>

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"

namespace ccm::kube {
namespace {

double Seconds(Clock::Duration d) { return std::chrono::duration<double>(d).count(); }

std::string Describe(const LeaderElectionConfig& c) { return c.lease_namespace + "/" + c.lease_name; }

}  // namespace

Status ValidateLeaderElectionConfig(const LeaderElectionConfig& c) {
  auto invalid = [](std::string m) { return Fail(ErrorKind::kInvalidArgument, "leader election: " + m); };
  if (c.lease_name.empty()) return invalid("lease name is empty; set --leader-elect-resource-name");
  if (c.lease_namespace.empty()) return invalid("lease namespace is empty; set --leader-elect-resource-namespace");
  if (c.identity.empty()) return invalid("identity is empty; it must be unique per process");
  if (c.lease_duration < std::chrono::seconds(1)) return invalid("lease duration must be at least 1s");
  if (c.lease_duration % std::chrono::seconds(1) != Clock::Duration::zero()) {
    return invalid("lease duration must be a whole number of seconds (Lease leaseDurationSeconds)");
  }
  if (c.renew_deadline <= Clock::Duration::zero()) return invalid("renew deadline must be positive");
  if (c.retry_period <= Clock::Duration::zero()) return invalid("retry period must be positive");
  if (c.jitter_factor < 0) return invalid("jitter factor must not be negative");
  if (c.lease_duration <= c.renew_deadline) {
    return invalid("lease duration (" + std::to_string(Seconds(c.lease_duration)) +
                   "s) must be greater than renew deadline (" + std::to_string(Seconds(c.renew_deadline)) + "s)");
  }
  double factor = c.jitter_factor > 0 ? c.jitter_factor : 1.0;
  if (Seconds(c.renew_deadline) <= factor * Seconds(c.retry_period)) {
    return invalid("renew deadline (" + std::to_string(Seconds(c.renew_deadline)) + "s) must be greater than " +
                   std::to_string(factor) + " x retry period (" + std::to_string(Seconds(c.retry_period)) + "s)");
  }
  return {};
}

Result<std::unique_ptr<LeaderElector>> LeaderElector::Create(RestClient& client, LeaderElectionConfig config,
                                                             LeaderCallbacks callbacks, const Clock& clock) {
  RETURN_IF_ERROR(ValidateLeaderElectionConfig(config));
  if (!callbacks.on_started_leading || !callbacks.on_stopped_leading) {
    return Fail(ErrorKind::kInvalidArgument, "leader election: on_started_leading and on_stopped_leading are required");
  }
  return std::unique_ptr<LeaderElector>(new LeaderElector(client, std::move(config), std::move(callbacks), clock));
}

LeaderElector::LeaderElector(RestClient& client, LeaderElectionConfig config, LeaderCallbacks callbacks,
                             const Clock& clock)
    : config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      clock_(clock),
      lock_(client, config_.lease_namespace, config_.lease_name),
      rng_(std::random_device{}()) {}

void LeaderElector::Run() {
  if (!Acquire()) return;
  LOG(INFO) << "leader election: " << config_.identity << " acquired lease " << Describe(config_);
  callbacks_.on_started_leading();
  Renew();
  {
    // From here on IsLeader() is false; Release() still sees us as the observed holder.
    MutexLock lock(mu_);
    lost_ = true;
  }
  if (config_.release_on_cancel && !Release()) {
    LOG(WARNING) << "leader election: could not release lease " << Describe(config_);
  }
  callbacks_.on_stopped_leading();
}

void LeaderElector::Stop() {
  MutexLock lock(mu_);
  stopped_ = true;
  cv_.notify_all();
}

bool LeaderElector::SleepUntil(Clock::TimePoint deadline) {
  MutexLock lock(mu_);
  while (!stopped_) {
    if (clock_.WaitUntil(cv_, lock.native(), deadline)) return !stopped_;
  }
  return false;
}

Clock::Duration LeaderElector::JitteredRetry() {
  if (config_.jitter_factor <= 0) return config_.retry_period;
  std::uniform_real_distribution<double> dist(0.0, config_.jitter_factor);
  return config_.retry_period +
         std::chrono::duration_cast<Clock::Duration>(config_.retry_period * dist(rng_));
}

bool LeaderElector::Acquire() {
  while (true) {
    {
      MutexLock lock(mu_);
      if (stopped_) return false;
    }
    bool acquired = TryAcquireOrRenew();
    MaybeReportTransition();
    if (acquired) return true;
    if (!SleepUntil(clock_.Now() + JitteredRetry())) return false;
  }
}

void LeaderElector::Renew() {
  while (true) {
    Clock::TimePoint deadline = clock_.Now() + config_.renew_deadline;
    bool renewed = false;
    while (true) {
      if (TryAcquireOrRenew()) {
        renewed = true;
        break;
      }
      Clock::TimePoint next = std::min(clock_.Now() + config_.retry_period, deadline);
      if (!SleepUntil(next)) return;  // Stop()
      if (clock_.Now() >= deadline) break;
    }
    MaybeReportTransition();
    if (!renewed) {
      LOG(ERROR) << "leader election: " << config_.identity << " failed to renew lease " << Describe(config_)
                 << " within " << Seconds(config_.renew_deadline) << "s; leadership lost";
      return;
    }
    if (!SleepUntil(clock_.Now() + config_.retry_period)) return;
  }
}

void LeaderElector::SetObserved(const LeaderElectionRecord& record) {
  MutexLock lock(mu_);
  observed_record_ = record;
  observed_time_ = clock_.Now();
}

bool LeaderElector::IsLeaseValidLocked(Clock::TimePoint now) const {
  return observed_time_ + std::chrono::seconds(observed_record_.lease_duration_seconds) > now;
}

bool LeaderElector::TryAcquireOrRenew() {
  Clock::WallTime wall_now = clock_.WallNow();
  LeaderElectionRecord desired{
      .holder_identity = config_.identity,
      .lease_duration_seconds =
          static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(config_.lease_duration).count()),
      .acquire_time = wall_now,
      .renew_time = wall_now,
  };

  // Fast path: while we lead, renew straight from the Lease we last wrote.
  LeaderElectionRecord observed;
  bool leading_and_valid;
  {
    MutexLock lock(mu_);
    observed = observed_record_;
    leading_and_valid = observed_record_.holder_identity == config_.identity && !lost_ &&
                        IsLeaseValidLocked(clock_.Now());
  }
  if (leading_and_valid) {
    LeaderElectionRecord renewed = desired;
    renewed.acquire_time = observed.acquire_time;
    renewed.lease_transitions = observed.lease_transitions;
    if (lock_.Update(renewed)) {
      SetObserved(renewed);
      return true;
    }
    // Fall back to reading the Lease: someone may have changed it.
  }

  auto current = lock_.Get();
  if (!current) {
    if (current.error().kind != ErrorKind::kNotFound) {
      LOG(WARNING) << "leader election: reading lease " << Describe(config_) << ": " << current.error().ToString();
      return false;
    }
    if (auto created = lock_.Create(desired); !created) {
      LOG(WARNING) << "leader election: creating lease " << Describe(config_) << ": " << created.error().ToString();
      return false;
    }
    SetObserved(desired);
    return true;
  }

  bool we_hold;
  {
    MutexLock lock(mu_);
    if (*current != observed_record_) {
      observed_record_ = *current;
      observed_time_ = clock_.Now();
    }
    we_hold = observed_record_.holder_identity == config_.identity;
    if (!current->holder_identity.empty() && IsLeaseValidLocked(clock_.Now()) && !we_hold) {
      VLOG(1) << "leader election: lease " << Describe(config_) << " is held by " << current->holder_identity
              << " and has not yet expired";
      return false;
    }
  }
  if (we_hold) {
    desired.acquire_time = current->acquire_time;
    desired.lease_transitions = current->lease_transitions;
  } else {
    desired.lease_transitions = current->lease_transitions + 1;
  }
  if (auto updated = lock_.Update(desired); !updated) {
    LOG(WARNING) << "leader election: updating lease " << Describe(config_) << ": " << updated.error().ToString();
    return false;
  }
  SetObserved(desired);
  return true;
}

bool LeaderElector::Release() {
  LeaderElectionRecord observed;
  {
    MutexLock lock(mu_);
    if (observed_record_.holder_identity != config_.identity) return true;
    observed = observed_record_;
  }
  Clock::WallTime wall_now = clock_.WallNow();
  LeaderElectionRecord released{
      .holder_identity = "",
      .lease_duration_seconds = 1,
      .acquire_time = wall_now,
      .renew_time = wall_now,
      .lease_transitions = observed.lease_transitions,
  };
  if (auto s = lock_.Update(released); !s) {
    LOG(WARNING) << "leader election: releasing lease " << Describe(config_) << ": " << s.error().ToString();
    return false;
  }
  SetObserved(released);
  LOG(INFO) << "leader election: " << config_.identity << " released lease " << Describe(config_);
  return true;
}

void LeaderElector::MaybeReportTransition() {
  std::string leader;
  {
    MutexLock lock(mu_);
    if (observed_record_.holder_identity == reported_leader_) return;
    reported_leader_ = observed_record_.holder_identity;
    leader = reported_leader_;
  }
  if (leader.empty()) return;
  LOG(INFO) << "leader election: new leader for " << Describe(config_) << ": " << leader;
  if (callbacks_.on_new_leader) callbacks_.on_new_leader(leader);
}

bool LeaderElector::IsLeader() const {
  MutexLock lock(mu_);
  return !lost_ && observed_record_.holder_identity == config_.identity;
}

std::string LeaderElector::GetLeader() const {
  MutexLock lock(mu_);
  return observed_record_.holder_identity;
}

Status LeaderElector::Check(Clock::Duration max_tolerable_expired_lease) const {
  MutexLock lock(mu_);
  if (lost_ || observed_record_.holder_identity != config_.identity) return {};
  if (clock_.Now() - observed_time_ > config_.lease_duration + max_tolerable_expired_lease) {
    return Fail(ErrorKind::kUnavailable, "failed election to renew leadership on lease " + Describe(config_));
  }
  return {};
}

}  // namespace ccm::kube
