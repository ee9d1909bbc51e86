// Leader election on a coordination.k8s.io/v1 Lease, following client-go's LeaderElector.
//
// - Campaign: try every retry_period (stretched by up to jitter_factor at random) until the
//   lease is free or expired, then take it (creating the Lease when absent).
// - Expiry is judged on THIS process's monotonic clock: a lease held by someone else is valid
//   until (local time this elector last saw the record change) + the record's
//   leaseDurationSeconds. The holder's written timestamps are never compared with our clock,
//   so clock skew between nodes cannot cause two leaders.
// - Renew: every retry_period; if no renewal succeeds within renew_deadline the lease is lost.
// - Every write is a PUT with the last-read resourceVersion: 409 means someone else won.
// - Callbacks run on the Run() thread and must return promptly (start work on other threads).
//   OnStartedLeading after acquiring; OnStoppedLeading when Run() ends after having led
//   (lease lost or Stop()); OnNewLeader when the observed holder changes to a non-empty
//   identity (including ourselves).
// - release_on_cancel: when Run() ends while leading, write holderIdentity "" with
//   leaseDurationSeconds 1 so a follower takes over at once. Only safe once all work guarded
//   by the lease has stopped.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/base/mutex.h"
#include "pkg/kube/leaderelection/lease_lock.h"
#include "pkg/kube/rest_client.h"

namespace ccm::kube {

struct LeaderElectionConfig {
  std::string lease_namespace = "kube-system";
  std::string lease_name;
  std::string identity;  // unique per process, e.g. hostname + "_" + random suffix
  Clock::Duration lease_duration = std::chrono::seconds(15);  // whole seconds
  Clock::Duration renew_deadline = std::chrono::seconds(10);
  Clock::Duration retry_period = std::chrono::seconds(2);
  double jitter_factor = 1.2;  // client-go's JitterFactor; 0 = no jitter on campaign retries
  bool release_on_cancel = true;
};

struct LeaderCallbacks {
  std::function<void()> on_started_leading;
  std::function<void()> on_stopped_leading;
  std::function<void(const std::string& identity)> on_new_leader;  // optional
};

// client-go's rules: lease_duration > renew_deadline > jitter_factor * retry_period, all
// positive; lease_duration a whole number of seconds; name, namespace and identity set.
Status ValidateLeaderElectionConfig(const LeaderElectionConfig& config);

class LeaderElector {
 public:
  // `client` and `clock` must outlive the elector.
  static Result<std::unique_ptr<LeaderElector>> Create(RestClient& client, LeaderElectionConfig config,
                                                       LeaderCallbacks callbacks,
                                                       const Clock& clock);

  // Campaigns, then renews until the lease is lost or Stop() is called. Blocks; run it on
  // its own thread. Call at most once.
  void Run();
  // Makes Run() return promptly (after releasing, if configured and leading). Thread-safe.
  void Stop();

  // One acquire-or-renew attempt, as Run() makes them; true when we hold the lease after it.
  // Not to be called concurrently with Run().
  bool TryAcquireOrRenew();
  // Gives the lease up if we hold it (holderIdentity "", leaseDurationSeconds 1).
  bool Release();

  bool IsLeader() const;
  // The holder last observed ("" if none).
  std::string GetLeader() const;
  // For /healthz: an error when we lead but have not renewed for longer than
  // lease_duration + max_tolerable_expired_lease (client-go's HealthzAdaptor).
  Status Check(Clock::Duration max_tolerable_expired_lease) const;

  const LeaderElectionConfig& config() const { return config_; }

 private:
  LeaderElector(RestClient& client, LeaderElectionConfig config, LeaderCallbacks callbacks, const Clock& clock);

  bool Acquire();
  void Renew();
  // Waits on the clock until `deadline`; false if Stop() was called.
  bool SleepUntil(Clock::TimePoint deadline);
  Clock::Duration JitteredRetry();
  void SetObserved(const LeaderElectionRecord& record);
  bool IsLeaseValidLocked(Clock::TimePoint now) const REQUIRES(mu_);
  void MaybeReportTransition();

  const LeaderElectionConfig config_;
  const LeaderCallbacks callbacks_;
  const Clock& clock_;
  LeaseLock lock_;
  std::mt19937_64 rng_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  bool stopped_ GUARDED_BY(mu_) = false;
  bool lost_ GUARDED_BY(mu_) = false;
  LeaderElectionRecord observed_record_ GUARDED_BY(mu_);
  Clock::TimePoint observed_time_ GUARDED_BY(mu_){};
  std::string reported_leader_ GUARDED_BY(mu_);
};

}  // namespace ccm::kube
