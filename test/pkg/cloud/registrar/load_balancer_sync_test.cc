#include "pkg/cloud/registrar/load_balancer_sync.h"

#include <gtest/gtest.h>

#include "test/mocks/fake_backend_set_api.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::cloud::registrar {
namespace {

using std::chrono::seconds;
constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.aaaalb";

DesiredBackendSet Set(const std::string& name, std::vector<std::string> ips, int port = 30080) {
  DesiredBackendSet s{.key = {kLb, name}, .sources = {"LBRegistrar/r"}};
  for (const auto& ip : ips) s.backends.push_back({.ip = ip, .port = port, .node_name = "node-" + ip});
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
  testing::SimulatedClock clock;
  testing::FakeBackendSetApi api;
  InMemoryOwnershipStore store;
};

TEST_F(LoadBalancerSyncTest, JoinBurstIsOneWriteAndNeverBlocksOnTheWorkRequest) {
  auto sync = NewSync();
  auto desired = One(Set("bs", {"10.0.0.1", "10.0.0.2", "10.0.0.3"}));
  SyncResult first = sync.Sync(desired, api, true);
  EXPECT_FALSE(first.converged);
  EXPECT_GT(first.requeue_after.count(), 0);
  EXPECT_TRUE(sync.has_pending_write());
  EXPECT_EQ(api.calls("ReplaceBackends"), 1);
  // Intent recorded before the write lands.
  EXPECT_EQ(store.Load(kLb)->at("bs").owned.size(), 3u);

  SyncResult polling = sync.Sync(desired, api, true);
  EXPECT_FALSE(polling.converged);
  EXPECT_EQ(api.writes(), 1);  // no second write while one is in flight

  api.CompleteAll();
  SyncResult done = sync.Sync(desired, api, true);
  EXPECT_TRUE(done.converged) << (done.error ? done.error->ToString() : "");
  EXPECT_EQ(done.changes.size(), 3u);
  std::sort(done.registered_nodes.begin(), done.registered_nodes.end());
  EXPECT_EQ(done.registered_nodes, (std::vector<std::string>{"node-10.0.0.1", "node-10.0.0.2", "node-10.0.0.3"}));
  EXPECT_EQ(done.sets.at("bs").registered, 3);
  EXPECT_EQ(done.ip_addresses, (std::vector<std::string>{"203.0.113.10"}));
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080", "10.0.0.3:30080"}));
}

TEST_F(LoadBalancerSyncTest, NothingIsReadOrWrittenWhenNothingChanged) {
  auto sync = NewSync();
  api.auto_complete = true;
  auto desired = One(Set("bs", {"10.0.0.1"}));
  sync.Sync(desired, api, true);
  sync.Sync(desired, api, true);
  int reads = api.calls("GetBackendSet");
  int writes = api.writes();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(sync.Sync(desired, api, true).converged);
  EXPECT_EQ(api.calls("GetBackendSet"), reads);
  EXPECT_EQ(api.writes(), writes);
  // After the resync period the set is read again (drift correction), still without a write.
  clock.Advance(seconds(301));
  EXPECT_TRUE(sync.Sync(desired, api, true).converged);
  EXPECT_EQ(api.calls("GetBackendSet"), reads + 1);
  EXPECT_EQ(api.writes(), writes);
}

TEST_F(LoadBalancerSyncTest, SingleChangeUsesAPerBackendCall) {
  auto sync = NewSync();
  api.auto_complete = true;
  sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  EXPECT_EQ(api.calls("CreateBackend"), 1);
  EXPECT_EQ(api.calls("ReplaceBackends"), 0);
}

TEST_F(LoadBalancerSyncTest, DriftMadeByHandIsCorrectedOnResync) {
  auto sync = NewSync();
  api.auto_complete = true;
  auto desired = One(Set("bs", {"10.0.0.1", "10.0.0.2"}));
  sync.Sync(desired, api, true);
  sync.Sync(desired, api, true);
  api.SetBackends(kLb, "bs", {B("10.0.0.1")});  // someone deleted one of ours in the console
  clock.Advance(seconds(301));
  sync.Sync(desired, api, true);
  sync.Sync(desired, api, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080"}));
}

TEST_F(LoadBalancerSyncTest, LeaveDrainsThenRemovesAndKeepsHandAddedBackends) {
  auto sync = NewSync(seconds(30));
  api.auto_complete = true;
  api.SetBackends(kLb, "bs", {B("192.168.1.1")});  // hand-added
  sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);
  sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);

  auto shrunk = One(Set("bs", {"10.0.0.1"}));
  SyncResult r = sync.Sync(shrunk, api, true);
  r = sync.Sync(shrunk, api, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")),
            (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080(drain)", "192.168.1.1:30080"}));
  EXPECT_TRUE(r.converged);
  EXPECT_LE(r.requeue_after, seconds(31));  // wakes for the drain deadline, not the resync

  clock.Advance(seconds(31));
  sync.Sync(shrunk, api, true);
  sync.Sync(shrunk, api, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "192.168.1.1:30080"}));
  EXPECT_FALSE(store.Load(kLb)->at("bs").owned.contains("10.0.0.2:30080"));
}

TEST_F(LoadBalancerSyncTest, ConflictAndFailedWorkRequestsAreReportedAndRetried) {
  auto sync = NewSync();
  Error conflict = MakeError(ErrorKind::kIncorrectState, "Invalid State Transition");
  conflict.http_status = 409;
  api.FailNext("CreateBackend", conflict);
  SyncResult r = sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  EXPECT_EQ(r.reason, kReasonOciConflict);
  EXPECT_TRUE(r.rate_limited_retry);

  r = sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  EXPECT_TRUE(sync.has_pending_write());
  api.FailAll("backend set busy");
  r = sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  EXPECT_EQ(r.reason, kReasonWorkRequestFailed);
  EXPECT_NE(r.error->message.find("backend set busy"), std::string::npos) << r.error->message;

  api.auto_complete = true;
  r = sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  r = sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080"}));
}

TEST_F(LoadBalancerSyncTest, AHandEditBetweenReadAndWriteIsNeverOverwritten) {
  api.auto_complete = true;
  api.before_replace = [&] {
    api.before_replace = nullptr;
    api.SetBackends(kLb, "bs", {B("192.168.9.9")});  // added in the console while we planned
  };
  auto desired = One(Set("bs", {"10.0.0.1", "10.0.0.2"}));
  auto sync = NewSync();
  SyncResult refused = sync.Sync(desired, api, true);
  EXPECT_FALSE(refused.error.has_value()) << refused.error->ToString();  // not a user-facing error
  EXPECT_EQ(api.Backends(kLb, "bs").size(), 1u);
  sync.Sync(desired, api, true);
  sync.Sync(desired, api, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")),
            (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080", "192.168.9.9:30080"}));
}

TEST_F(LoadBalancerSyncTest, UnknownLoadBalancerOrBackendSetWritesNothing) {
  LoadBalancerSync missing_lb("ocid1.loadbalancer.oc1.phx.nope", store, clock, {});
  SyncResult r = missing_lb.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  EXPECT_EQ(r.reason, kReasonLoadBalancerNotFound);
  EXPECT_NE(r.error->message.find("policy"), std::string::npos);

  auto sync = NewSync();
  r = sync.Sync(One(Set("typo", {"10.0.0.1"})), api, true);
  EXPECT_EQ(r.reason, kReasonBackendSetNotFound);
  EXPECT_TRUE(r.sets.at("typo").missing);
  EXPECT_EQ(api.writes(), 0);
}

TEST_F(LoadBalancerSyncTest, RestartRemovesANodeDeletedWhileDown) {
  api.auto_complete = true;
  {
    auto sync = NewSync();
    sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);
  }
  // A new process: only the ownership record remembers 10.0.0.2 was ours.
  auto restarted = NewSync();
  api.SetBackends(kLb, "bs", {B("10.0.0.1"), B("10.0.0.2"), B("192.168.1.1")});
  restarted.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "192.168.1.1:30080"}));
}

TEST_F(LoadBalancerSyncTest, UnsyncedCachesNeverRemove) {
  api.auto_complete = true;
  auto sync = NewSync();
  sync.Sync(One(Set("bs", {"10.0.0.1", "10.0.0.2"})), api, true);
  SyncResult r = sync.Sync(One(Set("bs", {})), api, false);
  EXPECT_EQ(Names(api.Backends(kLb, "bs")), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080"}));
  EXPECT_FALSE(r.sets.at("bs").held_reason.empty());
}

TEST_F(LoadBalancerSyncTest, OrphanedSetIsDeregisteredWhenItsSourcesAreGone) {
  api.auto_complete = true;
  auto sync = NewSync();
  sync.Sync(One(Set("bs", {"10.0.0.1"})), api, true);
  DesiredBackendSet orphan{.key = {kLb, "bs"}, .allow_empty = true};  // the LBRegistrar was deleted
  sync.Sync(One(orphan), api, true);
  sync.Sync(One(orphan), api, true);
  EXPECT_TRUE(api.Backends(kLb, "bs").empty());
  EXPECT_FALSE(store.Load(kLb)->contains("bs"));
}

}  // namespace
}  // namespace ccm::cloud::registrar
