// The single writer of one load balancer. The work queue guarantees one worker per load
// balancer key at a time; this object holds that load balancer's state between runs.
//
// A run never waits on a work request: it submits at most one write (OCI runs one mutating
// work request per load balancer anyway), remembers it, and asks to be requeued; the next run
// polls it. Workers stay free for other load balancers, and everything that changed in the
// meantime is folded into the next write because each run re-plans from fresh desired state.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/cloud/registrar/desired_state.h"
#include "pkg/cloud/registrar/ownership_store.h"
#include "pkg/cloud/registrar/registrar_reasons.h"
#include "pkg/cloud/registrar/work_request_poll.h"
#include "pkg/kube/controller/sync_outcome.h"
#include "pkg/oci/clients/backend_set_api.h"

namespace ccm::cloud::registrar {

struct SyncSettings {
  // Errors only a user can fix (401/403, unknown load balancer or backend set) are retried on
  // this backoff, doubling from `user_error_backoff` to `max_user_error_backoff`, instead of
  // the queue's fast per-item limiter: no storm while someone fixes a policy or a clock.
  Clock::Duration user_error_backoff = std::chrono::seconds(5);
  Clock::Duration max_user_error_backoff = std::chrono::minutes(5);
  // Transient failures (5xx, 429, timeouts, OCI unreachable, failed work requests) retry on the
  // work queue's per-key backoff, capped at this (retry_limiter.h): it bounds how long after
  // an outage ends the next attempt can be.
  Clock::Duration max_transient_error_backoff = std::chrono::seconds(20);
  std::chrono::seconds drain_period{30};
  std::chrono::seconds resync_period{300};
  std::chrono::seconds work_request_timeout{600};
  Clock::Duration first_poll = std::chrono::milliseconds(200);
  Clock::Duration max_poll = std::chrono::seconds(5);
  // Above this many changes one UpdateBackendSet is cheaper than per-backend calls (each
  // per-backend call is its own work request).
  size_t max_single_backend_changes = 1;
  // Backend sets whose backends one run carries and may read and plan; the caller drops the
  // others' backends and they wait for the next run, queued behind other load balancers. It
  // bounds memory (a set of 500 nodes is ~80 KB of desired backends, 50 sets per load
  // balancer per worker was most of the heap) and keeps one load balancer's 50 reads after a
  // restart from holding a worker while another's needed write waits (10.6 s before).
  int max_sets_planned_per_run = 5;
};


struct BackendSetReport {
  std::string name;
  int desired = 0;
  int registered = 0;  // desired backends present in OCI
  bool converged = false;
  bool missing = false;  // the backend set does not exist on the load balancer
  std::string held_reason;
  std::string last_work_request;
  WallTime last_sync{};
};

struct [[nodiscard]] SyncResult {
  bool converged = false;
  Clock::Duration requeue_after{};  // zero: nothing timed pending
  // With an error: retry on the queue's per-key backoff (transient). An error without it is one
  // only a user can fix, retried after `requeue_after` (the writer's own slower backoff).
  bool rate_limited_retry = false;
  std::optional<Error> error;
  std::string reason;  // a kReason* constant with `error`
  std::map<std::string, BackendSetReport> sets;
  std::vector<std::string> ip_addresses;
  // Sets were left for the next run (max_sets_planned_per_run): run again at once; the
  // run's figures are incomplete, so nothing is reported from it.
  bool partial = false;
  std::vector<std::string> changes;  // completed writes, for events
  std::set<std::string> changed_sets;  // backend sets those writes touched
  // Work requests that finished in this run: SUCCEEDED / FAILED / CANCELED / TIMEOUT, and how
  // long they took from submission.
  std::vector<std::pair<std::string, Clock::Duration>> work_requests;
  // Nodes whose backends a write that landed in this run created.
  std::vector<std::string> registered_nodes;
  // A write is in flight: the next run polls it and goes on to the next write, ahead of runs
  // that start new work (kube::QueueLane).
  bool write_in_flight = false;

  // The run as the work-queue driver sees it: success or error, and when to run again.
  kube::SyncOutcome Outcome() const;
};

class LoadBalancerSync {
 public:
  LoadBalancerSync(std::string lb_id, OwnershipStore& ownership, const Clock& clock, SyncSettings settings);

  // `desired` holds this load balancer's sets, including sets with no binding left (their
  // sources were deleted) as empty sets that allow emptying. `caches_synced` false withholds
  // every removal.
  SyncResult Sync(const std::map<std::string, DesiredBackendSet>& desired, oci::BackendSetApi& api, bool caches_synced);

  // With a write in flight whose poll is due: polls it first, so a run that would only find
  // it still on its way costs one GetWorkRequest and no desired state. Returns that run's
  // result; nullopt when the write landed or failed, and the run goes on to Sync (which
  // reports it).
  std::optional<SyncResult> PollInFlight(oci::BackendSetApi& api);
  // A write in flight, or a landed write whose ownership record is not saved yet.
  bool has_pending_write() const { return pending_.has_value() || !unsaved_.empty(); }
  // The load balancer's compartment (for the allow-list), read with the load balancer and
  // refreshed with it every resync period.
  Result<std::string> Compartment(oci::BackendSetApi& api);
  // The run's result when a read the caller made through this writer (Compartment) failed:
  // classified and scheduled like a failure inside Sync.
  SyncResult ReadFailure(const Error& error);
  // The condition reason of an OCI error.
  static const char* ReasonFor(const Error& error);
  // While a write is in flight and its next poll is not due: how long until it is. A run
  // before then has nothing to do, so the caller can skip computing the desired state.
  Clock::Duration UntilNextPoll() const;
  // Whether a run now would neither re-read nor re-plan this set, given its desired hash:
  // the caller may then drop the set's backends (DesiredBackendSet::dropped_hash).
  bool IsVerified(const std::string& backend_set, size_t desired_hash) const;
  // For each desired set before Sync, in name order: keeps the backends of at most
  // max_sets_planned_per_run sets that need planning and have not had their turn this round
  // (`carried` counts them); drops the others' backends, keeping their hash and count.
  void Carry(DesiredBackendSet& set, int& carried) const;

 private:
  struct PendingWrite {
    std::string work_request_id;
    std::string backend_set;
    Ownership after;
    std::vector<std::string> descriptions;
    Clock::TimePoint submitted;
    Clock::Duration first_poll;  // fixed at submission; the poll schedule counts from it
    // Age of the write when a poll last found it still pending (negative: never).
    Clock::Duration last_pending_age = Clock::Duration(-1);
    // What the set holds once the write lands, so it need not be read back to be verified.
    size_t desired_hash = 0;
    BackendSetReport report;
    WallTime drain_deadline{};
    std::vector<std::string> created_nodes;
    Clock::TimePoint next_poll_at;  // runs before this (triggered by events) do not poll
  };
  struct Verified {
    size_t desired_hash = 0;
    Clock::TimePoint at;
    WallTime drain_deadline{};  // re-plan once a drain completes
    BackendSetReport report;
  };

  SyncResult SyncOnce(const std::map<std::string, DesiredBackendSet>& desired, oci::BackendSetApi& api,
                      bool caches_synced);
  bool IsStillVerified(const Verified& v, size_t hash, Clock::TimePoint now, WallTime wall_now) const;
  bool WasAttempted(const std::string& backend_set, size_t desired_hash) const;
  // Polls the pending write; true when the run may go on to plan more writes.
  bool PollPending(oci::BackendSetApi& api, SyncResult& result);
  static void Classify(const Error& error, SyncResult& result);
  // Errors only a user can fix wait on a doubling backoff of their own; a success resets it.
  void ScheduleRetry(SyncResult& result);
  // Reads the load balancer when not read yet or at the resync period (then every set is
  // re-read too, correcting drift).
  Status RefreshLoadBalancer(oci::BackendSetApi& api);
  // Saves a set's ownership record; on failure fills `result` (a transient error) and false.
  bool SaveOwnership(const std::string& backend_set, const Ownership& record, SyncResult& result);
  // Saves unsaved_; a record whose save failed stays, and fills `result` unless it holds an
  // error already.
  void SaveLandedRecords(SyncResult& result);

  std::string lb_id_;
  OwnershipStore& ownership_;
  const Clock& clock_;
  SyncSettings settings_;
  std::optional<PendingWrite> pending_;
  // PollInFlight's result when the write landed or failed, for the Sync that follows.
  std::optional<SyncResult> polled_;
  bool polled_landed_ = false;
  // Landed writes' ownership records, by set: saved once the next write is submitted, so the
  // save is not on the path between two work requests; kept until a save succeeds.
  std::map<std::string, Ownership> unsaved_;
  std::map<std::string, Verified> verified_;
  // Sets read and planned in the current round of partial runs; a set whose backends were
  // dropped and that had its turn does not make the run partial (so a set held for good
  // cannot keep the load balancer re-running).
  std::map<std::string, size_t> attempted_;  // set -> desired hash when it had its turn
  std::map<std::string, std::string> last_work_request_;
  std::map<std::string, BackendSetReport> last_report_;  // sets a run did not reach keep their last figures
  WorkRequestPollSchedule poll_;
  int user_error_streak_ = 0;  // consecutive runs ending in an error only a user can fix
  std::optional<oci::LoadBalancerInfo> lb_info_;
  Clock::TimePoint lb_info_at_;
  // A fresh writer (after a restart or a leader change) first waits out work requests it did
  // not submit: a killed predecessor's write would otherwise land after this writer planned,
  // and a backend it adds for a node deleted meanwhile would be dropped from the record.
  bool foreign_writes_checked_ = false;
  std::optional<Clock::TimePoint> foreign_wait_since_;
};

size_t HashDesired(const DesiredBackendSet& set);

}  // namespace ccm::cloud::registrar
