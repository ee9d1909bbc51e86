#include "pkg/cloud/registrar/load_balancer_sync.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "test/mocks/fake_backend_set_api.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::cloud::registrar {
namespace {

using std::chrono::seconds;
constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.aaaalb";

DesiredBackendSet Set(const std::string& name, std::vector<std::string> ips, int port = 30080) {
  DesiredBackendSet s{.key = {kLb, name}, .sources = {"LBRegistrar/r"}};
  for (const auto& ip : ips) s.backends.push_back({.ip = ip, .port = port, .node_name = kube::InternedString("node-" + ip)});
  return s;
}

std::map<std::string, DesiredBackendSet> One(DesiredBackendSet s) { return {{s.key.backend_set, std::move(s)}}; }

oci::BackendInfo B(const std::string& ip, int port = 30080, bool drain = false) {
  return {.name = ip + ":" + std::to_string(port), .ip_address = ip, .port = port, .weight = 1, .drain = drain};
}

std::vector<std::string> Names(const std::vector<oci::BackendInfo>& v) {
  std::vector<std::string> out;
  for (const auto& b : v) out.push_back(b.name + (b.drain ? "(drain)" : ""));
  std::sort(out.begin(), out.end());
  return out;
}

class LoadBalancerSyncTest : public ::testing::Test {
 protected:
  LoadBalancerSyncTest() { api.AddLoadBalancer(kLb, {"bs", "other"}); }
  LoadBalancerSync NewSync(std::chrono::seconds drain = seconds(0)) {
    return LoadBalancerSync(kLb, store, clock, {.drain_period = drain, .resync_period = seconds(300)});
  }
  // One worker run, after waiting the delay the previous run asked for (as the queue does).
  SyncResult Step(LoadBalancerSync& sync, const std::map<std::string, DesiredBackendSet>& desired, bool synced = true) {
    if (sync.has_pending_write() && pending_delay_ > Clock::Duration::zero()) clock.Advance(pending_delay_);
    SyncResult r = sync.Sync(desired, api, synced);
    pending_delay_ = sync.has_pending_write() ? r.requeue_after : Clock::Duration::zero();
    return r;
  }
  // A step whose effects (calls, store) the test checks rather than its result.
  void Run(LoadBalancerSync& sync, const std::map<std::string, DesiredBackendSet>& desired, bool synced = true) {
    (void)Step(sync, desired, synced);
  }
  testing::SimulatedClock clock;
  testing::FakeBackendSetApi api;
  InMemoryOwnershipStore store;
  Clock::Duration pending_delay_{};
};

TEST_F(LoadBalancerSyncTest, JoinBurstIsOneWriteAndNeverBlocksOnTheWorkRequest) {
  auto sync = NewSync();
  auto desired = One(Set("bs", {"10.0.0.1", "10.0.0.2", "10.0.0.3"}));
  SyncResult first = Step(sync, desired, true);
  EXPECT_FALSE(first.converged);
  EXPECT_GT(first.requeue_after.count(), 0);
  EXPECT_TRUE(sync.has_pending_write());
  EXPECT_EQ(api.calls("ReplaceBackends"), 1);
  // Intent recorded before the write lands.
  EXPECT_EQ(store.Load(kLb, "bs")->owned.size(), 3u);

  SyncResult polling = Step(sync, desired, true);
  EXPECT_FALSE(polling.converged);
  EXPECT_EQ(api.writes(), 1);  // no second write while one is in flight

  api.CompleteAll();
  SyncResult done = Step(sync, desired, true);
  EXPECT_TRUE(done.converged) << (done.error ? done.error->ToString() : "");
  EXPECT_EQ(done.changes.size(), 3u);
  std::sort(done.registered_nodes.begin(), done.registered_nodes.end());
  EXPECT_EQ(done.registered_nodes, (std::vector<std::string>{"node-10.0.0.1", "node-10.0.0.2", "node-10.0.0.3"}));
  EXPECT_EQ(done.sets.at("bs").registered, 3);
  EXPECT_EQ(done.ip_addresses, (std::vector<std::string>{"203.0.113.10"}));
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080", "10.0.0.3:30080"}));
}

TEST_F(LoadBalancerSyncTest, RunsTriggeredByEventsNeitherPollEarlyNorDelayThePollSchedule) {
  auto sync = NewSync();
  auto desired = One(Set("bs", {"10.0.0.1", "10.0.0.2"}));
  SyncResult submitted = sync.Sync(desired, api, true);
  EXPECT_EQ(submitted.requeue_after, std::chrono::milliseconds(200));  // no latency learned yet
  // An event storm: many runs before the scheduled poll make no OCI call at all.
  for (int i = 0; i < 20; ++i) {
    clock.Advance(std::chrono::milliseconds(5));
    (void)sync.Sync(desired, api, true);  // what it called is checked, not its result
  }
  EXPECT_EQ(api.calls("GetWorkRequest"), 0);
  // The schedule counts from submission: polls at 0.2 s, then steps of 0.1, 0.15, 0.225 s ...
  std::vector<int64_t> poll_ages;
  auto start = clock.Now() - std::chrono::milliseconds(100);
  for (int i = 0; i < 400 && sync.has_pending_write(); ++i) {
    clock.Advance(std::chrono::milliseconds(10));
    int before = api.calls("GetWorkRequest");
    if (clock.Now() - start >= std::chrono::milliseconds(2000)) api.CompleteAll();  // the work request takes 2 s
    (void)sync.Sync(desired, api, true);  // what it called is checked, not its result
    if (api.calls("GetWorkRequest") > before) {
      poll_ages.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now() - start).count());
    }
  }
  EXPECT_EQ(poll_ages, (std::vector<int64_t>{200, 300, 450, 680, 1020, 1520, 2280})) << "got " << poll_ages.size();
  EXPECT_FALSE(sync.has_pending_write());
}

TEST_F(LoadBalancerSyncTest, TheFirstPollFollowsTheLatencyWorkRequestsHaveShown) {
  auto sync = NewSync();
  auto start = clock.Now();
  SyncResult r = sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);
  while (sync.has_pending_write()) {
    clock.Advance(r.requeue_after);
    if (clock.Now() - start >= std::chrono::seconds(2)) api.CompleteAll();
    r = sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);
  }
  // Finished between the poll at 1.52 s (pending) and the one at 2.28 s (done): ~1.9 s; the next first poll comes 100 ms before that.
  SyncResult next = sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"})), api, true);
  ASSERT_TRUE(sync.has_pending_write());
  EXPECT_GT(next.requeue_after, std::chrono::milliseconds(1700));
  EXPECT_LT(next.requeue_after, std::chrono::milliseconds(1900));
}

// Workers run late under load. A poll that finds the work request already done says only
// "at most this long": learning that bound fed on itself and, with 2 s work requests and
// runs 0.5 s late, settled at a 5 s first poll (one write per 5 s instead of per 2 s).
TEST_F(LoadBalancerSyncTest, LateRunsDoNotInflateTheLearnedLatency) {
  auto sync = NewSync();
  const auto late = std::chrono::milliseconds(500);
  const auto latency = std::chrono::seconds(2);
  Clock::Duration first_poll{};
  for (int write = 0; write < 30; ++write) {
    std::vector<std::string> ips = {"10.0.0.1"};
    for (int i = 0; i <= write; ++i) ips.push_back("10.1.0." + std::to_string(i + 1));
    auto submitted_at = clock.Now();
    SyncResult r = sync.Sync(One(Set("bs", ips)), api, true);
    ASSERT_TRUE(sync.has_pending_write()) << write;
    first_poll = r.requeue_after;
    while (sync.has_pending_write()) {
      clock.Advance(r.requeue_after + late);
      if (clock.Now() - submitted_at >= latency) api.CompleteAll();
      r = sync.Sync(One(Set("bs", ips)), api, true);
    }
  }
  EXPECT_LT(first_poll, std::chrono::milliseconds(2200)) << "the first poll must track the 2 s latency";
  EXPECT_GT(first_poll, std::chrono::milliseconds(1000));
}

TEST_F(LoadBalancerSyncTest, UntilNextPollTellsCallersWhenARunWouldDoNothing) {
  auto sync = NewSync();
  EXPECT_EQ(sync.UntilNextPoll(), Clock::Duration::zero());
  SyncResult r = sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);
  ASSERT_TRUE(sync.has_pending_write());
  EXPECT_EQ(sync.UntilNextPoll(), r.requeue_after);
  clock.Advance(r.requeue_after / 2);
  EXPECT_EQ(sync.UntilNextPoll(), r.requeue_after - r.requeue_after / 2);
  clock.Advance(r.requeue_after);
  EXPECT_EQ(sync.UntilNextPoll(), Clock::Duration::zero()) << "due: the caller must run the poll";
  api.CompleteAll();
  (void)sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);  // what it called is checked, not its result
  EXPECT_FALSE(sync.has_pending_write());
  EXPECT_EQ(sync.UntilNextPoll(), Clock::Duration::zero());
}

TEST_F(LoadBalancerSyncTest, ADroppedSetIsSkippedWhileVerifiedAndNeverPlannedEmpty) {
  auto sync = NewSync();
  DesiredBackendSet want = Set("bs", {"10.0.0.1", "10.0.0.2"});
  SyncResult r = sync.Sync(One(want), api, true);
  api.CompleteAll();
  clock.Advance(r.requeue_after);
  (void)sync.Sync(One(want), api, true);  // what it called is checked, not its result
  ASSERT_FALSE(sync.has_pending_write());
  ASSERT_TRUE(sync.IsVerified("bs", HashDesired(want)));
  EXPECT_FALSE(sync.IsVerified("bs", HashDesired(Set("bs", {"10.0.0.1"}))));

  DesiredBackendSet dropped = want;
  dropped.dropped_hash = HashDesired(want);
  dropped.dropped_count = 2;
  dropped.backends.clear();
  int writes = api.calls("ReplaceBackends") + api.calls("DeleteBackend");
  SyncResult verified = sync.Sync(One(dropped), api, true);
  EXPECT_TRUE(verified.converged);
  EXPECT_EQ(verified.sets.at("bs").desired, 2);

  // Past the resync period the set must be re-read: the dropped copy is not planned (that
  // would empty the set); the caller is asked to run again at once, with the backends.
  clock.Advance(seconds(301));
  EXPECT_FALSE(sync.IsVerified("bs", HashDesired(want)));
  SyncResult stale = sync.Sync(One(dropped), api, true);
  EXPECT_FALSE(stale.converged);
  EXPECT_EQ(stale.requeue_after, std::chrono::milliseconds(1));
  EXPECT_EQ(api.calls("ReplaceBackends") + api.calls("DeleteBackend"), writes);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080"}));
}

// After a start every set is unverified. A run carries the backends of at most
// max_sets_planned_per_run (5) of them and hands the worker back (run again at once), so
// another load balancer's write is not stuck behind 50 reads and memory holds 5 sets, not
// 50; each round reaches every set exactly once, and a finished round does not re-run.
TEST_F(LoadBalancerSyncTest, ARunCarriesAFewSetsAndEachRoundReachesEverySetOnce) {
  testing::FakeBackendSetApi many;
  std::vector<std::string> names;
  for (int i = 0; i < 25; ++i) names.push_back("set-" + std::string(i < 10 ? "0" : "") + std::to_string(i));
  many.AddLoadBalancer(kLb, names);
  std::map<std::string, DesiredBackendSet> desired;
  for (const auto& n : names) {
    many.SetBackends(kLb, n, {B("10.0.0.9")});
    desired[n] = Set(n, {"10.0.0.9"});
  }
  desired["set-17"] = Set("set-17", {"10.0.0.9", "10.0.0.1"});  // the one set that needs a write
  auto sync = NewSync();
  int most_carried = 0;
  auto run = [&] {
    auto carried_desired = desired;
    int carried = 0;
    for (auto& [name, set] : carried_desired) sync.Carry(set, carried);
    most_carried = std::max(most_carried, carried);
    return sync.Sync(carried_desired, many, true);
  };

  for (int round = 1; round <= 3; ++round) {
    SyncResult r = run();
    EXPECT_TRUE(r.partial) << round;
    EXPECT_EQ(r.requeue_after, std::chrono::milliseconds(1));
    EXPECT_EQ(many.calls("GetBackendSet"), 5 * round);
  }
  SyncResult write = run();  // set-15 and set-16 unchanged, set-17 written
  EXPECT_FALSE(write.partial);
  ASSERT_TRUE(sync.has_pending_write());
  EXPECT_EQ(many.calls("GetBackendSet"), 18);

  many.CompleteAll();
  clock.Advance(write.requeue_after);
  SyncResult after = run();  // the poll, then sets 18-22
  EXPECT_TRUE(after.partial);
  EXPECT_EQ(after.work_requests.size(), 1u) << "the landed write is reported even from a partial run";
  EXPECT_EQ(many.calls("GetBackendSet"), 23);
  SyncResult last = run();
  EXPECT_FALSE(last.partial);
  EXPECT_TRUE(last.converged);
  EXPECT_EQ(many.calls("GetBackendSet"), 25) << "every set read exactly once";
  SyncResult quiet = run();
  EXPECT_FALSE(quiet.partial);
  EXPECT_TRUE(quiet.converged);
  EXPECT_EQ(many.calls("GetBackendSet"), 25) << "verified sets are not read again";
  EXPECT_EQ(most_carried, 5);
  EXPECT_EQ(Names(many.Backends(kLb, "set-17")), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.9:30080"}));
}

// A set that stays unsettled (here: its removal is withheld) had its turn in the round: it
// must not make every later run partial, which would re-read it in a tight loop.
TEST_F(LoadBalancerSyncTest, ASetThatNeverSettlesDoesNotKeepTheLoadBalancerRerunning) {
  testing::FakeBackendSetApi many;
  std::vector<std::string> names;
  for (int i = 0; i < 8; ++i) names.push_back("set-0" + std::to_string(i));
  many.AddLoadBalancer(kLb, names);
  std::map<std::string, DesiredBackendSet> desired;
  for (const auto& n : names) {
    many.SetBackends(kLb, n, {B("10.0.0.9")});
    Ownership ours;
    ours.owned = {"10.0.0.9:30080"};
    ASSERT_TRUE(store.Save(kLb, n, ours));
    desired[n] = Set(n, {});
    desired[n].inputs_complete = false;  // a Service went missing: the removal is withheld
  }
  auto sync = NewSync();
  auto run = [&] {
    auto carried_desired = desired;
    int carried = 0;
    for (auto& [name, set] : carried_desired) sync.Carry(set, carried);
    return sync.Sync(carried_desired, many, true);
  };
  EXPECT_TRUE(run().partial);
  SyncResult second = run();
  EXPECT_FALSE(second.partial) << "all 8 had their turn";
  EXPECT_GT(second.requeue_after, std::chrono::seconds(1));
  EXPECT_FALSE(second.sets.at("set-07").held_reason.empty()) << "the set really is held";
  EXPECT_FALSE(second.sets.at("set-00").held_reason.empty()) << "reported from its turn";
  EXPECT_EQ(many.calls("GetBackendSet"), 8);
  EXPECT_EQ(Names(many.Backends(kLb, "set-00")), (std::vector<std::string>{"10.0.0.9:30080"}));
}

// A set whose write failed has not had its turn: the next run carries it again at once,
// not after the round ends (found by the failed-work-request fault test).
TEST_F(LoadBalancerSyncTest, AFailedWriteIsCarriedAgainInTheNextRun) {
  auto sync = NewSync();
  auto run = [&](const std::map<std::string, DesiredBackendSet>& desired) {
    auto carried_desired = desired;
    int carried = 0;
    for (auto& [name, set] : carried_desired) sync.Carry(set, carried);
    return sync.Sync(carried_desired, api, true);
  };
  auto want = One(Set("bs", {"10.0.0.1", "10.0.0.2"}));
  SyncResult submitted = run(want);
  ASSERT_TRUE(sync.has_pending_write());
  api.FailAll("backend set is busy");
  clock.Advance(submitted.requeue_after);
  SyncResult failed = run(want);
  EXPECT_EQ(failed.reason, kReasonWorkRequestFailed);
  EXPECT_FALSE(sync.has_pending_write());
  int writes = api.calls("ReplaceBackends") + api.calls("CreateBackend");
  SyncResult retried = run(want);
  EXPECT_TRUE(sync.has_pending_write()) << "the failed set must be written again";
  EXPECT_GT(api.calls("ReplaceBackends") + api.calls("CreateBackend"), writes);
}

TEST_F(LoadBalancerSyncTest, NothingIsReadOrWrittenWhenNothingChanged) {
  auto sync = NewSync();
  api.auto_complete = true;
  auto desired = One(Set("bs", {"10.0.0.1"}));
  Run(sync, desired, true);
  Run(sync, desired, true);
  int reads = api.calls("GetBackendSet");
  int writes = api.writes();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(Step(sync, desired, true).converged);
  EXPECT_EQ(api.calls("GetBackendSet"), reads);
  EXPECT_EQ(api.writes(), writes);
  // After the resync period the set is read again (drift correction), still without a write.
  clock.Advance(seconds(301));
  EXPECT_TRUE(Step(sync, desired, true).converged);
  EXPECT_EQ(api.calls("GetBackendSet"), reads + 1);
  EXPECT_EQ(api.writes(), writes);
}

TEST_F(LoadBalancerSyncTest, SingleChangeUsesAPerBackendCall) {
  auto sync = NewSync();
  api.auto_complete = true;
  Run(sync, One(Set("bs", {"10.0.0.1"})), true);
  EXPECT_EQ(api.calls("CreateBackend"), 1);
  EXPECT_EQ(api.calls("ReplaceBackends"), 0);
}

TEST_F(LoadBalancerSyncTest, DriftMadeByHandIsCorrectedOnResync) {
  auto sync = NewSync();
  api.auto_complete = true;
  auto desired = One(Set("bs", {"10.0.0.1", "10.0.0.2"}));
  Run(sync, desired, true);
  Run(sync, desired, true);
  api.SetBackends(kLb, "bs", {B("10.0.0.1")});  // someone deleted one of ours in the console
  clock.Advance(seconds(301));
  Run(sync, desired, true);
  Run(sync, desired, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080"}));
}

TEST_F(LoadBalancerSyncTest, LeaveDrainsThenRemovesAndKeepsHandAddedBackends) {
  auto sync = NewSync(seconds(30));
  api.auto_complete = true;
  api.SetBackends(kLb, "bs", {B("192.168.1.1")});  // hand-added
  Run(sync, One(Set("bs", {"10.0.0.1", "10.0.0.2"})), true);
  Run(sync, One(Set("bs", {"10.0.0.1", "10.0.0.2"})), true);

  auto shrunk = One(Set("bs", {"10.0.0.1"}));
  SyncResult r = Step(sync, shrunk, true);
  r = Step(sync, shrunk, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")),
            (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080(drain)", "192.168.1.1:30080"}));
  EXPECT_TRUE(r.converged);
  EXPECT_LE(r.requeue_after, seconds(31));  // wakes for the drain deadline, not the resync

  clock.Advance(seconds(31));
  Run(sync, shrunk, true);
  Run(sync, shrunk, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "192.168.1.1:30080"}));
  EXPECT_FALSE(store.Load(kLb, "bs")->owned.contains("10.0.0.2:30080"));
}

TEST_F(LoadBalancerSyncTest, ConflictAndFailedWorkRequestsAreReportedAndRetried) {
  auto sync = NewSync();
  Error conflict = MakeError(ErrorKind::kIncorrectState, "Invalid State Transition");
  conflict.http_status = 409;
  api.FailNext("CreateBackend", conflict);
  SyncResult r = Step(sync, One(Set("bs", {"10.0.0.1"})), true);
  EXPECT_EQ(r.reason, kReasonOciConflict);
  EXPECT_TRUE(r.rate_limited_retry);

  r = Step(sync, One(Set("bs", {"10.0.0.1"})), true);
  EXPECT_TRUE(sync.has_pending_write());
  api.FailAll("backend set busy");
  r = Step(sync, One(Set("bs", {"10.0.0.1"})), true);
  EXPECT_EQ(r.reason, kReasonWorkRequestFailed);
  EXPECT_NE(r.error->message.find("backend set busy"), std::string::npos) << r.error->message;

  api.auto_complete = true;
  r = Step(sync, One(Set("bs", {"10.0.0.1"})), true);
  r = Step(sync, One(Set("bs", {"10.0.0.1"})), true);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080"}));
}

// An operator reading the condition must tell "OCI is slow", "OCI cannot be reached" and
// "OCI answered with an error" apart: each calls for a different fix.
TEST_F(LoadBalancerSyncTest, TransportFailuresNameWhatHappened) {
  struct Case {
    ErrorKind kind;
    int http_status;
    const char* reason;
  };
  for (const Case& c : {Case{ErrorKind::kTimeout, 0, kReasonOciTimeout},
                        Case{ErrorKind::kUnavailable, 0, kReasonOciUnreachable},
                        Case{ErrorKind::kUnavailable, 503, kReasonOciError}}) {
    auto sync = NewSync();
    Error e = MakeError(c.kind, "CreateBackend POST: gave up after 5 attempts");
    e.http_status = c.http_status;
    e.retryable = true;
    api.FailNext("CreateBackend", e);
    SyncResult r = Step(sync, One(Set("bs", {"10.0.0.9"})), true);
    EXPECT_EQ(r.reason, c.reason) << c.http_status;
    EXPECT_TRUE(r.rate_limited_retry);
    EXPECT_FALSE(sync.has_pending_write());
  }
}

TEST_F(LoadBalancerSyncTest, AHandEditBetweenReadAndWriteIsNeverOverwritten) {
  api.auto_complete = true;
  api.before_replace = [&] {
    api.before_replace = nullptr;
    api.SetBackends(kLb, "bs", {B("192.168.9.9")});  // added in the console while we planned
  };
  auto desired = One(Set("bs", {"10.0.0.1", "10.0.0.2"}));
  auto sync = NewSync();
  SyncResult refused = Step(sync, desired, true);
  EXPECT_FALSE(refused.error.has_value()) << refused.error->ToString();  // not a user-facing error
  EXPECT_EQ(api.Backends(kLb, "bs").size(), 1u);
  Run(sync, desired, true);
  Run(sync, desired, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")),
            (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080", "192.168.9.9:30080"}));
}

TEST_F(LoadBalancerSyncTest, UnknownLoadBalancerOrBackendSetWritesNothing) {
  LoadBalancerSync missing_lb("ocid1.loadbalancer.oc1.phx.nope", store, clock, {});
  SyncResult r = Step(missing_lb, One(Set("bs", {"10.0.0.1"})), true);
  EXPECT_EQ(r.reason, kReasonLoadBalancerNotFound);
  EXPECT_NE(r.error->message.find("policy"), std::string::npos);

  auto sync = NewSync();
  r = Step(sync, One(Set("typo", {"10.0.0.1"})), true);
  EXPECT_EQ(r.reason, kReasonBackendSetNotFound);
  EXPECT_TRUE(r.sets.at("typo").missing);
  EXPECT_EQ(api.writes(), 0);
}

TEST_F(LoadBalancerSyncTest, ErrorsOnlyAUserCanFixBackOffFromSecondsToMinutes) {
  auto sync = NewSync();
  Error unauthorized = MakeError(ErrorKind::kUnauthenticated, "date header too far off");
  unauthorized.http_status = 401;
  std::vector<int64_t> waits;
  for (int i = 0; i < 8; ++i) {
    api.FailNext("GetLoadBalancer", unauthorized);
    SyncResult r = sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
    EXPECT_EQ(r.reason, kReasonOciUnauthorized);
    EXPECT_FALSE(r.rate_limited_retry);
    waits.push_back(std::chrono::duration_cast<std::chrono::seconds>(r.requeue_after).count());
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{5, 10, 20, 40, 80, 160, 300, 300}));
  api.auto_complete = true;
  SyncResult fixed = sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  EXPECT_FALSE(fixed.error.has_value());
  api.FailNext("GetLoadBalancer", unauthorized);
  clock.Advance(std::chrono::seconds(301));  // resync: the load balancer is read again
  EXPECT_EQ(sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true).requeue_after, std::chrono::seconds(5));  // streak reset
}

TEST_F(LoadBalancerSyncTest, RestartRemovesANodeDeletedWhileDown) {
  api.auto_complete = true;
  {
    auto sync = NewSync();
    Run(sync, One(Set("bs", {"10.0.0.1", "10.0.0.2"})), true);
  }
  // A new process: only the ownership record remembers 10.0.0.2 was ours.
  auto restarted = NewSync();
  api.SetBackends(kLb, "bs", {B("10.0.0.1"), B("10.0.0.2"), B("192.168.1.1")});
  Run(restarted, One(Set("bs", {"10.0.0.1"})), true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "192.168.1.1:30080"}));
}

TEST_F(LoadBalancerSyncTest, UnsyncedCachesNeverRemove) {
  api.auto_complete = true;
  auto sync = NewSync();
  Run(sync, One(Set("bs", {"10.0.0.1", "10.0.0.2"})), true);
  SyncResult r = Step(sync, One(Set("bs", {})), false);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080"}));
  EXPECT_FALSE(r.sets.at("bs").held_reason.empty());
}

TEST_F(LoadBalancerSyncTest, OrphanedSetIsDeregisteredWhenItsSourcesAreGone) {
  api.auto_complete = true;
  auto sync = NewSync();
  Run(sync, One(Set("bs", {"10.0.0.1"})), true);
  DesiredBackendSet orphan{.key = {kLb, "bs"}, .allow_empty = true};  // the LBRegistrar was deleted
  Run(sync, One(orphan), true);
  Run(sync, One(orphan), true);
  EXPECT_TRUE(api.Backends(kLb, "bs").empty());
  EXPECT_FALSE(store.Recorded(kLb)->contains("bs"));
}

// A writer killed with its add in flight, and the node deleted before the next writer (a
// restart or a new leader) runs: that writer waits for the work request it did not submit
// instead of planning against a set about to change, so the backend the add lands is still
// ours and is removed. Planning at once would drop it from the record and leak it.
TEST_F(LoadBalancerSyncTest, AFreshWriterWaitsForAWorkRequestItDidNotSubmit) {
  api.SetBackends(kLb, "bs", {B("192.168.1.1")});  // added by hand
  {
    auto killed = NewSync();
    api.auto_complete = true;
    Run(killed, One(Set("bs", {"10.0.0.1"})), true);
    ASSERT_TRUE(Step(killed, One(Set("bs", {"10.0.0.1"})), true).converged);
    api.auto_complete = false;
    Run(killed, One(Set("bs", {"10.0.0.1", "10.0.0.2"})), true);
    ASSERT_TRUE(killed.has_pending_write());
  }
  auto restarted = NewSync();
  auto desired = One(Set("bs", {"10.0.0.1"}));
  int writes = api.writes();
  int checks = api.calls("WorkInFlight");
  SyncResult waiting = restarted.Sync(desired, api, true);
  EXPECT_FALSE(waiting.converged);
  EXPECT_FALSE(waiting.error);
  EXPECT_GT(waiting.requeue_after, Clock::Duration::zero());
  clock.Advance(waiting.requeue_after);
  EXPECT_FALSE(restarted.Sync(desired, api, true).converged) << "still running";
  EXPECT_EQ(api.writes(), writes);
  EXPECT_TRUE(store.Load(kLb, "bs")->owned.contains("10.0.0.2:30080"));

  api.CompleteAll();  // the killed writer's add lands
  api.auto_complete = true;
  for (int i = 0; i < 4; ++i) {
    clock.Advance(seconds(5));
    (void)restarted.Sync(desired, api, true);  // what it wrote is checked, not its result
  }
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "192.168.1.1:30080"}));
  EXPECT_FALSE(store.Load(kLb, "bs")->owned.contains("10.0.0.2:30080"));
  EXPECT_EQ(api.calls("WorkInFlight") - checks, 3) << "checked only until nothing ran";
}

}  // namespace
}  // namespace ccm::cloud::registrar

namespace ccm::cloud::registrar {
namespace {

// A network load balancer whose nodes the Go operator registered by IP: the controller, which
// registers nodes by instance, finds them and writes nothing; with adoption it owns them.
TEST(LoadBalancerSyncNlbTest, NodesRegisteredByIpAreFoundAndAdoptionRecordsThem) {
  constexpr char kNlb[] = "ocid1.networkloadbalancer.oc1.phx.aaaanlb";
  testing::SimulatedClock clock;
  testing::FakeBackendSetApi api(oci::LoadBalancerKind::kNetworkLoadBalancer);
  InMemoryOwnershipStore store;
  api.AddLoadBalancer(kNlb, {"bs"});
  api.SetBackends(kNlb, "bs", {B("10.0.0.1"), B("10.0.0.2")});
  DesiredBackendSet want{.key = {kNlb, "bs"}, .sources = {"LBRegistrar/r"}};
  for (const char* n : {"1", "2"}) {
    want.backends.push_back({.ip = std::string("10.0.0.") + n, .port = 30080,
                             .target_id = kube::InternedString(std::string("ocid1.instance.oc1..n") + n),
                             .node_name = kube::InternedString(std::string("node-") + n)});
  }
  LoadBalancerSync sync(kNlb, store, clock, {.drain_period = seconds(0), .resync_period = seconds(300)});

  SyncResult r = sync.Sync({{"bs", want}}, api, true);
  EXPECT_TRUE(r.converged) << (r.error ? r.error->ToString() : "");
  EXPECT_EQ(api.writes(), 0);
  EXPECT_EQ(r.sets.at("bs").registered, 2);
  EXPECT_TRUE(store.Load(kNlb, "bs")->owned.empty());

  want.adopt_existing = true;
  r = sync.Sync({{"bs", want}}, api, true);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(api.writes(), 0);
  EXPECT_EQ(store.Load(kNlb, "bs")->owned, (std::set<std::string>{"10.0.0.1:30080", "10.0.0.2:30080"}));

  want.backends.pop_back();  // node 2 leaves: its adopted backend is removed
  r = sync.Sync({{"bs", want}}, api, true);
  EXPECT_EQ(api.calls("DeleteBackend"), 1);
  EXPECT_EQ(api.writes(), 1);
  api.CompleteAll();
  clock.Advance(r.requeue_after);
  r = sync.Sync({{"bs", want}}, api, true);
  EXPECT_EQ(Names(api.Backends(kNlb, "bs")), (std::vector<std::string>{"10.0.0.1:30080"}));
  EXPECT_EQ(store.Load(kNlb, "bs")->owned, (std::set<std::string>{"10.0.0.1:30080"}));
}

// An ownership store whose saves fail while `fail_saves` is set (an API-server outage).
// Logs every save, so a test can see it against the writes; fails saves (all, or one set's)
// on demand.
class RecordingOwnershipStore final : public OwnershipStore {
 public:
  Result<Ownership> Load(const std::string& lb, const std::string& set) override { return inner.Load(lb, set); }
  Result<RecordedSets> Recorded(const std::string& lb) override { return inner.Recorded(lb); }
  Result<std::vector<std::string>> LoadBalancers() override { return inner.LoadBalancers(); }
  Status Save(const std::string& lb, const std::string& set, const Ownership& o) override {
    log.push_back("save " + set);
    if (fail_saves || set == failing_set) return Fail(ErrorKind::kUnavailable, "etcdserver: request timed out");
    return inner.Save(lb, set, o);
  }
  InMemoryOwnershipStore inner;
  std::vector<std::string> log;
  bool fail_saves = false;
  std::string failing_set;
};

// OCI's client found the set already as planned (a backend named by the other identity, on a
// network load balancer) and wrote nothing.
class NothingToWriteApi final : public oci::BackendSetApi {
 public:
  explicit NothingToWriteApi(testing::FakeBackendSetApi& inner) : inner_(inner) {}
  oci::LoadBalancerKind kind() const override { return inner_.kind(); }
  Result<oci::LoadBalancerInfo> GetLoadBalancer(const std::string& lb) override { return inner_.GetLoadBalancer(lb); }
  Result<oci::BackendSetInfo> GetBackendSet(const std::string& lb, const std::string& set) override {
    return inner_.GetBackendSet(lb, set);
  }
  Result<std::string> ReplaceBackends(const std::string&, const std::string&, const std::vector<oci::BackendSpec>&,
                                      oci::BackendSetInfo*) override {
    if (on_replace) on_replace();
    return std::string();
  }
  Result<std::string> CreateBackend(const std::string& lb, const std::string& set, const oci::BackendSpec& b) override {
    return inner_.CreateBackend(lb, set, b);
  }
  Result<std::string> UpdateBackend(const std::string& lb, const std::string& set, const oci::BackendSpec& b) override {
    return inner_.UpdateBackend(lb, set, b);
  }
  Result<std::string> DeleteBackend(const std::string& lb, const std::string& set, const std::string& name) override {
    return inner_.DeleteBackend(lb, set, name);
  }
  Result<oci::WorkRequestState> GetWorkRequest(const std::string& id) override { return inner_.GetWorkRequest(id); }
  std::function<void()> on_replace;

 private:
  testing::FakeBackendSetApi& inner_;
};

// Every failed save of an ownership record is a transient error retried on the queue's
// backoff, including the save after a write that turned out to have nothing to do: that one
// was once forgotten without a requeue.
TEST(LoadBalancerSyncOwnershipTest, EveryFailedRecordSaveIsRetried) {
  testing::SimulatedClock clock;
  testing::FakeBackendSetApi fake;
  NothingToWriteApi api(fake);
  RecordingOwnershipStore store;
  fake.AddLoadBalancer(kLb, {"bs"});
  LoadBalancerSync sync(kLb, store, clock, {.drain_period = seconds(0), .resync_period = seconds(300)});
  api.on_replace = [&] { store.fail_saves = true; };  // the API server fails after the write
  SyncResult r = sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.reason, kReasonOwnershipRecord);
  kube::SyncOutcome outcome = r.Outcome();
  EXPECT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.reason, kReasonOwnershipRecord);
  EXPECT_EQ(outcome.requeue, kube::Requeue::kRateLimited);

  // The save before a write fails the same way, and nothing is written without the record.
  r = sync.Sync(One(Set("bs", {"10.0.0.3", "10.0.0.4"})), fake, true);
  EXPECT_EQ(fake.writes(), 0);
  EXPECT_EQ(r.Outcome().requeue, kube::Requeue::kRateLimited);
  EXPECT_EQ(r.Outcome().reason, kReasonOwnershipRecord);
}


std::map<std::string, DesiredBackendSet> Two() {
  return {{"bs", Set("bs", {"10.0.0.1", "10.0.0.2"})}, {"other", Set("other", {"10.0.0.3", "10.0.0.4"})}};
}

// Two sets on one load balancer, a store that logs its saves, simulated time.
class LoadBalancerSyncTwoSetsTest : public ::testing::Test {
 protected:
  LoadBalancerSyncTwoSetsTest() { api.AddLoadBalancer(kLb, {"bs", "other"}); }
  testing::SimulatedClock clock;
  testing::FakeBackendSetApi api;
  RecordingOwnershipStore store;
  LoadBalancerSync sync{kLb, store, clock, {.drain_period = seconds(0), .resync_period = seconds(300)}};
};

// The record of a landed write is saved after the next write went out: between two work
// requests on a load balancer only the next set's read and intent record remain.
TEST_F(LoadBalancerSyncTwoSetsTest, ALandedWritesRecordIsSavedAfterTheNextWriteIsSubmitted) {
  api.before_replace = [&] { store.log.push_back("write"); };
  SyncResult first = sync.Sync(Two(), api, true);
  ASSERT_FALSE(first.error) << first.error->ToString();
  EXPECT_EQ(store.log, (std::vector<std::string>{"save bs", "write"}));
  api.CompleteAll();
  clock.Advance(first.requeue_after);
  SyncResult second = sync.Sync(Two(), api, true);
  ASSERT_FALSE(second.error) << second.error->ToString();
  EXPECT_EQ(store.log, (std::vector<std::string>{"save bs", "write", "save other", "write", "save bs"}));
  EXPECT_EQ(second.changed_sets, (std::set<std::string>{"bs"}));
}

// A landed write's record that could not be saved is kept and saved by a later run; until then
// the load balancer counts as having a write pending (its sources' deletion waits).
TEST_F(LoadBalancerSyncTwoSetsTest, ALandedRecordThatFailedToSaveIsSavedLater) {
  SyncResult first = sync.Sync(Two(), api, true);
  ASSERT_FALSE(first.error);
  api.CompleteAll();
  clock.Advance(first.requeue_after);
  store.failing_set = "bs";
  SyncResult second = sync.Sync(Two(), api, true);
  ASSERT_TRUE(second.error);
  EXPECT_EQ(second.reason, kReasonOwnershipRecord);
  EXPECT_EQ(second.Outcome().requeue, kube::Requeue::kRateLimited);
  EXPECT_EQ(api.calls("ReplaceBackends"), 2) << "the next write still went out";
  EXPECT_TRUE(sync.has_pending_write());

  store.failing_set.clear();
  api.CompleteAll();
  clock.Advance(seconds(10));
  SyncResult third = sync.Sync(Two(), api, true);
  ASSERT_FALSE(third.error) << third.error->ToString();
  EXPECT_TRUE(third.converged);
  EXPECT_FALSE(sync.has_pending_write());
  EXPECT_EQ(store.inner.Load(kLb, "bs")->owned.size(), 2u);
  EXPECT_EQ(store.inner.Load(kLb, "other")->owned.size(), 2u);
  EXPECT_EQ(std::count(store.log.begin(), store.log.end(), "save bs"), 3) << "intent, the failed save, the retry";
}

// A run that finds the write still on its way ends after one GetWorkRequest: no desired state
// is needed, nothing is read or planned. Once it landed, Sync reports it and plans on.
TEST_F(LoadBalancerSyncTwoSetsTest, AWriteStillOnItsWayIsPolledBeforeAnythingIsPlanned) {
  EXPECT_FALSE(sync.PollInFlight(api)) << "nothing in flight";
  SyncResult first = sync.Sync(Two(), api, true);
  ASSERT_TRUE(sync.has_pending_write());
  clock.Advance(first.requeue_after);
  const int reads = api.calls("GetBackendSet");
  const int polls = api.calls("GetWorkRequest");
  std::optional<SyncResult> pending = sync.PollInFlight(api);
  ASSERT_TRUE(pending);
  EXPECT_FALSE(pending->error);
  EXPECT_GT(pending->requeue_after, Clock::Duration::zero());
  EXPECT_EQ(pending->Outcome().lane, kube::QueueLane::kAhead);
  EXPECT_EQ(api.calls("GetWorkRequest"), polls + 1);
  EXPECT_EQ(api.calls("GetBackendSet"), reads);

  api.CompleteAll();
  clock.Advance(pending->requeue_after);
  EXPECT_FALSE(sync.PollInFlight(api)) << "landed: the run goes on";
  EXPECT_EQ(api.calls("GetWorkRequest"), polls + 2);
  SyncResult landed = sync.Sync(Two(), api, true);
  ASSERT_FALSE(landed.error) << landed.error->ToString();
  EXPECT_EQ(api.calls("GetWorkRequest"), polls + 2) << "Sync does not poll again";
  EXPECT_EQ(landed.changed_sets, (std::set<std::string>{"bs"}));
  EXPECT_EQ(landed.changes.size(), 2u);
  EXPECT_EQ(api.calls("ReplaceBackends"), 2) << "the next set was planned and written";
  EXPECT_EQ(landed.Outcome().lane, kube::QueueLane::kAhead) << "the next write is in flight";
}

// Errors only a user can fix are errors (counted and alerted on) that wait on the writer's own
// doubling backoff; transient ones retry on the queue's; a success asks to come back only for a
// timed reason (the resync period here).
TEST(LoadBalancerSyncOutcomeTest, UserErrorsAreErrorsOnTheirOwnBackoff) {
  testing::SimulatedClock clock;
  testing::FakeBackendSetApi api;
  InMemoryOwnershipStore store;
  api.AddLoadBalancer(kLb, {"bs"});
  LoadBalancerSync sync(kLb, store, clock, {.drain_period = seconds(0), .resync_period = seconds(300)});
  auto desired = One(Set("bs", {"10.0.0.1"}));
  std::vector<int64_t> waits;
  for (int i = 0; i < 8; ++i) {
    Error unauthorized = MakeError(ErrorKind::kUnauthenticated, "The required information to complete authentication was not provided");
    unauthorized.http_status = 401;
    api.FailNext("GetLoadBalancer", unauthorized);
    kube::SyncOutcome outcome = sync.Sync(desired, api, true).Outcome();
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.reason, kReasonOciUnauthorized);
    ASSERT_EQ(outcome.requeue, kube::Requeue::kAfter);
    waits.push_back(std::chrono::duration_cast<std::chrono::seconds>(outcome.after).count());
    clock.Advance(outcome.after);
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{5, 10, 20, 40, 80, 160, 300, 300}));

  Error unavailable = MakeError(ErrorKind::kUnavailable, "Service Unavailable");
  unavailable.http_status = 503;
  api.FailNext("GetLoadBalancer", unavailable);
  kube::SyncOutcome transient = sync.Sync(desired, api, true).Outcome();
  EXPECT_FALSE(transient.ok());
  EXPECT_EQ(transient.reason, kReasonOciError);
  EXPECT_EQ(transient.requeue, kube::Requeue::kRateLimited);

  api.auto_complete = true;
  kube::SyncOutcome submitted = sync.Sync(desired, api, true).Outcome();
  EXPECT_TRUE(submitted.ok());
  EXPECT_EQ(submitted.requeue, kube::Requeue::kAfter);  // the work request's first poll
  EXPECT_EQ(submitted.lane, kube::QueueLane::kAhead) << "a write in flight runs before keys that start new work";
  clock.Advance(submitted.after);
  kube::SyncOutcome converged = sync.Sync(desired, api, true).Outcome();
  EXPECT_TRUE(converged.ok());
  EXPECT_EQ(converged.after, seconds(300));
  EXPECT_EQ(converged.lane, kube::QueueLane::kNormal) << "a resync starts new work";

  // Success reset the streak: the next user error waits 5 s again.
  Error unauthorized = MakeError(ErrorKind::kForbidden, "NotAuthorizedOrNotFound");
  unauthorized.http_status = 403;
  clock.Advance(seconds(300));
  api.FailNext("GetLoadBalancer", unauthorized);
  kube::SyncOutcome again = sync.Sync(desired, api, true).Outcome();
  EXPECT_EQ(again.after, seconds(5));
}

}  // namespace
}  // namespace ccm::cloud::registrar
