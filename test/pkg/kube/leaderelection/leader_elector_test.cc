#include "pkg/kube/leaderelection/leader_elector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pkg/kube/meta_time.h"
#include "test/mocks/fake_rest_client.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeRestClient;
using testing::SimulatedClock;

const char* kPath = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/ccm";

// Forwards to a shared fake API; `broken` makes this client's every call fail, as a
// partitioned or hung process would.
class PartitionableClient final : public RestClient {
 public:
  explicit PartitionableClient(RestClient& inner) : inner_(inner) {}
  std::atomic<bool> broken{false};

  Result<std::string> Get(const std::string& p) override { return Cut() ? Down() : inner_.Get(p); }
  Result<std::string> List(const std::string& p, const ListOptions& o,
                           const std::function<Status(const json::Document&)>& f) override {
    return Cut() ? Down() : inner_.List(p, o, f);
  }
  Result<std::string> Create(const std::string& p, const std::string& b) override {
    return Cut() ? Down() : inner_.Create(p, b);
  }
  Result<std::string> Update(const std::string& p, const std::string& b) override {
    return Cut() ? Down() : inner_.Update(p, b);
  }
  Result<std::string> UpdateStatus(const std::string& p, const std::string& b) override {
    return Cut() ? Down() : inner_.UpdateStatus(p, b);
  }
  Result<std::string> Patch(const std::string& p, PatchType t, const std::string& b, bool s) override {
    return Cut() ? Down() : inner_.Patch(p, t, b, s);
  }
  Status Delete(const std::string& p, const Preconditions& pre) override {
    if (Cut()) return Fail(ErrorKind::kUnavailable, "partitioned");
    return inner_.Delete(p, pre);
  }
  Status Watch(const std::string& p, const WatchOptions& o, const std::function<bool(const WatchEvent&)>& f,
               const std::atomic<bool>* c) override {
    if (Cut()) return Fail(ErrorKind::kUnavailable, "partitioned");
    return inner_.Watch(p, o, f, c);
  }

 private:
  bool Cut() const { return broken.load(); }
  static std::unexpected<Error> Down() { return Fail(ErrorKind::kUnavailable, "partitioned"); }
  RestClient& inner_;
};

LeaderElectionConfig Config(const std::string& identity) {
  LeaderElectionConfig c;
  c.lease_name = "ccm";
  c.identity = identity;
  c.jitter_factor = 0;
  return c;
}

struct Recorder {
  std::atomic<int> started{0}, stopped{0};
  std::atomic<int64_t> started_at_ms{-1}, stopped_at_ms{-1};
  std::mutex mu;
  std::vector<std::string> leaders;

  LeaderCallbacks Callbacks(const Clock& clock) {
    return {
        .on_started_leading =
            [this, &clock] {
              started_at_ms = std::chrono::duration_cast<milliseconds>(clock.Now().time_since_epoch()).count();
              ++started;
            },
        .on_stopped_leading =
            [this, &clock] {
              stopped_at_ms = std::chrono::duration_cast<milliseconds>(clock.Now().time_since_epoch()).count();
              ++stopped;
            },
        .on_new_leader =
            [this](const std::string& id) {
              std::lock_guard lock(mu);
              leaders.push_back(id);
            },
    };
  }
};

std::unique_ptr<LeaderElector> NewElector(RestClient& client, const Clock& clock, Recorder& rec,
                                          LeaderElectionConfig config) {
  auto elector = LeaderElector::Create(client, std::move(config), rec.Callbacks(clock), clock);
  EXPECT_TRUE(elector) << elector.error().ToString();
  return std::move(*elector);
}

LeaderElectionRecord StoredRecord(FakeRestClient& fake) {
  auto doc = json::Parse(*fake.Object(kPath), "lease");
  return RecordFromLease(*doc).value();
}

TEST(LeaderElectionConfigTest, FollowsClientGoRules) {
  EXPECT_TRUE(ValidateLeaderElectionConfig(Config("a")));
  auto c = Config("a");
  c.lease_duration = seconds(10);
  EXPECT_FALSE(ValidateLeaderElectionConfig(c)) << "lease must exceed renew deadline";
  c = Config("a");
  c.jitter_factor = 1.2;
  c.renew_deadline = milliseconds(2400);
  EXPECT_FALSE(ValidateLeaderElectionConfig(c)) << "renew deadline must exceed 1.2 x retry";
  c.renew_deadline = milliseconds(2500);
  EXPECT_TRUE(ValidateLeaderElectionConfig(c));
  c = Config("a");
  c.lease_duration = milliseconds(15500);
  EXPECT_FALSE(ValidateLeaderElectionConfig(c)) << "leaseDurationSeconds is whole seconds";
  EXPECT_FALSE(ValidateLeaderElectionConfig(Config("")));
  c = Config("a");
  c.lease_name = "";
  auto err = ValidateLeaderElectionConfig(c);
  ASSERT_FALSE(err);
  EXPECT_NE(err.error().message.find("--leader-elect-resource-name"), std::string::npos);
}

class LeaderElectorTest : public ::testing::Test {
 protected:
  SimulatedClock clock_;
  FakeRestClient fake_{clock_};
  Recorder rec_a_, rec_b_;
};

TEST_F(LeaderElectorTest, AcquiresByCreatingTheLease) {
  clock_.SetWall(std::chrono::system_clock::from_time_t(1767323045) + std::chrono::microseconds(123456));
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  EXPECT_FALSE(a->IsLeader());
  ASSERT_TRUE(a->TryAcquireOrRenew());
  EXPECT_TRUE(a->IsLeader());
  EXPECT_EQ(a->GetLeader(), "a");
  auto stored = fake_.Object(kPath);
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->find(R"("holderIdentity":"a")"), std::string::npos) << *stored;
  EXPECT_NE(stored->find(R"("leaseDurationSeconds":15)"), std::string::npos) << *stored;
  EXPECT_NE(stored->find(R"("acquireTime":"2026-01-02T03:04:05.123456Z")"), std::string::npos) << *stored;
  EXPECT_NE(stored->find(R"("renewTime":"2026-01-02T03:04:05.123456Z")"), std::string::npos) << *stored;
  EXPECT_EQ(StoredRecord(fake_).lease_transitions, 0);
}

TEST_F(LeaderElectorTest, RenewKeepsAcquireTimeAndAdvancesRenewTime) {
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  ASSERT_TRUE(a->TryAcquireOrRenew());
  auto first = StoredRecord(fake_);
  clock_.Advance(seconds(2));
  ASSERT_TRUE(a->TryAcquireOrRenew());
  auto second = StoredRecord(fake_);
  EXPECT_EQ(second.acquire_time, first.acquire_time);
  EXPECT_EQ(*second.renew_time - *first.renew_time, seconds(2));
  EXPECT_EQ(second.lease_transitions, 0);
  EXPECT_EQ(fake_.CountRequests("UPDATE", kPath), 1);
}

TEST_F(LeaderElectorTest, RenewingLeaderKeepsFollowerOutAndNeverBothLead) {
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  auto b = NewElector(fake_, clock_, rec_b_, Config("b"));
  ASSERT_TRUE(a->TryAcquireOrRenew());
  for (int i = 0; i < 60; ++i) {
    clock_.Advance(seconds(2));
    EXPECT_TRUE(a->TryAcquireOrRenew());
    EXPECT_FALSE(b->TryAcquireOrRenew());
    EXPECT_TRUE(a->IsLeader());
    EXPECT_FALSE(b->IsLeader());
    EXPECT_EQ(b->GetLeader(), "a");
  }
  EXPECT_EQ(StoredRecord(fake_).holder_identity, "a");
}

// The holder's clock is far off; the follower must measure expiry on its own clock only.
void TakeoverOnLocalClock(Clock::Duration holder_skew) {
  SimulatedClock holder_clock, follower_clock;
  holder_clock.SetWall(follower_clock.WallNow() + std::chrono::duration_cast<Clock::WallTime::duration>(holder_skew));
  FakeRestClient fake(follower_clock);
  Recorder ra, rb;
  auto a = NewElector(fake, holder_clock, ra, Config("a"));
  auto b = NewElector(fake, follower_clock, rb, Config("b"));
  auto advance = [&](Clock::Duration d) {
    holder_clock.Advance(d);
    follower_clock.Advance(d);
  };
  ASSERT_TRUE(a->TryAcquireOrRenew());
  advance(seconds(5));
  ASSERT_FALSE(b->TryAcquireOrRenew());  // b first sees this record now
  // a stops renewing. 15 s after b saw the record change it is expired, not before.
  advance(milliseconds(14900));
  EXPECT_FALSE(b->TryAcquireOrRenew());
  EXPECT_FALSE(b->IsLeader());
  advance(milliseconds(200));
  EXPECT_TRUE(b->TryAcquireOrRenew());
  EXPECT_TRUE(b->IsLeader());
  auto stored = StoredRecord(fake);
  EXPECT_EQ(stored.holder_identity, "b");
  EXPECT_EQ(stored.lease_transitions, 1);
  // The old holder learns it lost.
  EXPECT_FALSE(a->TryAcquireOrRenew());
  EXPECT_FALSE(a->IsLeader());
  EXPECT_EQ(a->GetLeader(), "b");
}

TEST(LeaderElectorSkewTest, TakeoverAfterExpiryOnLocalClockWhenHolderClockIsBehind) {
  TakeoverOnLocalClock(-std::chrono::hours(3));
}

TEST(LeaderElectorSkewTest, TakeoverAfterExpiryOnLocalClockWhenHolderClockIsAhead) {
  TakeoverOnLocalClock(std::chrono::hours(3));
}

TEST_F(LeaderElectorTest, ObservationRestartsWhenTheRecordChanges) {
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  auto b = NewElector(fake_, clock_, rec_b_, Config("b"));
  ASSERT_TRUE(a->TryAcquireOrRenew());
  ASSERT_FALSE(b->TryAcquireOrRenew());
  clock_.Advance(seconds(10));
  ASSERT_TRUE(a->TryAcquireOrRenew());  // a renews late but in time
  clock_.Advance(seconds(6));           // 16 s after b's first look, 6 s after the renewal
  EXPECT_FALSE(b->TryAcquireOrRenew()) << "b saw the renewal and must restart its 15 s";
  clock_.Advance(seconds(15));
  EXPECT_TRUE(b->TryAcquireOrRenew());
}

TEST_F(LeaderElectorTest, ConcurrentTakeoverConflictLeavesOneWinner) {
  ASSERT_TRUE(fake_.Seed(kPath, R"({"spec":{"holderIdentity":"gone","leaseDurationSeconds":15}})"));
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  auto b = NewElector(fake_, clock_, rec_b_, Config("b"));
  ASSERT_FALSE(a->TryAcquireOrRenew());
  ASSERT_FALSE(b->TryAcquireOrRenew());
  clock_.Advance(seconds(16));
  // Both read the expired lease; a's PUT lands between b's read and b's PUT.
  bool raced = false;
  fake_.SetReactor([&](const testing::FakeRequest& r) -> std::optional<Error> {
    if (r.method == "UPDATE" && r.body.find(R"("holderIdentity":"b")") != std::string::npos && !raced) {
      raced = true;
      EXPECT_TRUE(a->TryAcquireOrRenew());
    }
    return std::nullopt;
  });
  EXPECT_FALSE(b->TryAcquireOrRenew()) << "b's PUT carried a stale resourceVersion: 409";
  EXPECT_TRUE(raced);
  EXPECT_TRUE(a->IsLeader());
  EXPECT_FALSE(b->IsLeader());
  EXPECT_EQ(StoredRecord(fake_).holder_identity, "a");
  fake_.SetReactor(nullptr);
  EXPECT_FALSE(b->TryAcquireOrRenew());
  EXPECT_EQ(b->GetLeader(), "a");
}

TEST_F(LeaderElectorTest, ConcurrentCreateLeavesOneWinner) {
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  auto b = NewElector(fake_, clock_, rec_b_, Config("b"));
  bool raced = false;
  fake_.SetReactor([&](const testing::FakeRequest& r) -> std::optional<Error> {
    if (r.method == "CREATE" && r.body.find(R"("holderIdentity":"b")") != std::string::npos && !raced) {
      raced = true;
      EXPECT_TRUE(a->TryAcquireOrRenew());
    }
    return std::nullopt;
  });
  EXPECT_FALSE(b->TryAcquireOrRenew());
  EXPECT_TRUE(a->IsLeader());
  EXPECT_FALSE(b->IsLeader());
}

TEST_F(LeaderElectorTest, LeaderWhoseRenewalConflictsRereadsAndStepsDown) {
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  ASSERT_TRUE(a->TryAcquireOrRenew());
  // Someone (e.g. an operator) hands the lease to c behind a's back.
  LeaseLock other(fake_, "kube-system", "ccm");
  ASSERT_TRUE(other.Get());
  ASSERT_TRUE(other.Update({.holder_identity = "c", .lease_duration_seconds = 15}));
  clock_.Advance(seconds(2));
  EXPECT_FALSE(a->TryAcquireOrRenew());
  EXPECT_FALSE(a->IsLeader());
  EXPECT_EQ(a->GetLeader(), "c");
}

TEST_F(LeaderElectorTest, ReleaseFreesTheLeaseForImmediateTakeover) {
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  auto b = NewElector(fake_, clock_, rec_b_, Config("b"));
  ASSERT_TRUE(a->TryAcquireOrRenew());
  ASSERT_FALSE(b->TryAcquireOrRenew());
  clock_.Advance(seconds(1));
  ASSERT_TRUE(a->Release());
  EXPECT_FALSE(a->IsLeader());
  auto released = StoredRecord(fake_);
  EXPECT_EQ(released.holder_identity, "");
  EXPECT_EQ(released.lease_duration_seconds, 1);
  EXPECT_EQ(released.renew_time, clock_.WallNow());
  EXPECT_EQ(released.lease_transitions, 0);
  EXPECT_TRUE(b->TryAcquireOrRenew()) << "a released lease is free at once";
  EXPECT_EQ(StoredRecord(fake_).lease_transitions, 1);
  EXPECT_TRUE(a->Release()) << "releasing a lease we do not hold is a no-op";
  EXPECT_EQ(StoredRecord(fake_).holder_identity, "b");
}

TEST_F(LeaderElectorTest, HealthCheckFailsWhenLeaderRenewalIsOverdue) {
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  EXPECT_TRUE(a->Check(seconds(20))) << "not leading is healthy";
  ASSERT_TRUE(a->TryAcquireOrRenew());
  clock_.Advance(seconds(35));
  EXPECT_TRUE(a->Check(seconds(20)));
  clock_.Advance(milliseconds(1));
  auto err = a->Check(seconds(20));
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(err.error().message.find("kube-system/ccm"), std::string::npos);
  ASSERT_TRUE(a->TryAcquireOrRenew());
  EXPECT_TRUE(a->Check(seconds(20)));
}

// --- The Run() loop, on threads, with simulated time stepped by the test. ---

template <typename Pred>
bool WaitFor(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<milliseconds>(clock.Now().time_since_epoch()).count();
}

// Advances in small steps, yielding so the elector threads keep up with simulated time. With
// `alive`, each step first waits (up to 2 s real time) until that many elector threads have
// finished their turn and parked: under a sanitizer on a busy machine a thread could otherwise
// lag several steps behind and act at a later simulated time.
template <typename Check>
void Step(SimulatedClock& clock, Clock::Duration total, Check check, const std::atomic<int>* alive = nullptr) {
  for (Clock::Duration done{}; done < total; done += milliseconds(100)) {
    if (alive != nullptr) {
      auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (!clock.Parked(alive->load()) && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
    }
    clock.Advance(milliseconds(100));
    std::this_thread::sleep_for(milliseconds(1));
    check();
  }
}

TEST_F(LeaderElectorTest, RunLeadsUntilRenewalsFailForTheRenewDeadline) {
  PartitionableClient client(fake_);
  auto a = NewElector(client, clock_, rec_a_, Config("a"));
  std::thread runner([&] { a->Run(); });
  ASSERT_TRUE(WaitFor([&] { return rec_a_.started.load() == 1; }));
  EXPECT_TRUE(a->IsLeader());
  Step(clock_, seconds(10), [] {});
  EXPECT_EQ(rec_a_.stopped.load(), 0);
  EXPECT_GE(fake_.CountRequests("UPDATE", kPath), 4) << "renews every retry period";

  int64_t cut_at = NowMs(clock_);
  client.broken = true;
  Step(clock_, seconds(16), [] {});
  ASSERT_TRUE(WaitFor([&] { return rec_a_.stopped.load() == 1; }));
  runner.join();
  int64_t lost_after = rec_a_.stopped_at_ms.load() - cut_at;
  // Last success at most one retry period before the cut; lost once renew_deadline passes
  // without success, never earlier.
  EXPECT_GE(lost_after, 10000 - 2000);
  EXPECT_LE(lost_after, 12000 + 1500);
  EXPECT_FALSE(a->IsLeader());
  EXPECT_EQ(rec_a_.started.load(), 1);
}

TEST_F(LeaderElectorTest, TwoRunningElectorsNeverLeadAtOnceAndFollowerTakesOver) {
  PartitionableClient client_a(fake_), client_b(fake_);
  auto a = NewElector(client_a, clock_, rec_a_, Config("a"));
  auto b = NewElector(client_b, clock_, rec_b_, Config("b"));
  std::atomic<int> alive{2};
  std::thread run_a([&] { a->Run(); --alive; });
  ASSERT_TRUE(WaitFor([&] { return rec_a_.started.load() == 1; }));
  std::thread run_b([&] { b->Run(); --alive; });
  int both = 0;
  auto never_both = [&] { both += a->IsLeader() && b->IsLeader(); };
  Step(clock_, seconds(30), never_both, &alive);
  EXPECT_EQ(rec_b_.started.load(), 0);

  int64_t cut_at = NowMs(clock_);
  client_a.broken = true;  // a hangs: no renewals, no release
  Step(clock_, seconds(25), never_both, &alive);
  EXPECT_EQ(both, 0);
  ASSERT_EQ(rec_b_.started.load(), 1) << "follower never took over";
  int64_t b_led_at = rec_b_.started_at_ms.load();
  // b last saw a change at most one retry period before the cut; it takes over when the lease
  // has not changed for 15 s on its clock (+ one retry period of polling).
  EXPECT_GE(b_led_at - cut_at, 15000 - 2000);
  EXPECT_LE(b_led_at - cut_at, 15000 + 2000 + 1000);
  EXPECT_EQ(rec_a_.stopped.load(), 1);
  EXPECT_TRUE(b->IsLeader());
  {
    std::lock_guard lock(rec_b_.mu);
    EXPECT_EQ(rec_b_.leaders, (std::vector<std::string>{"a", "b"}));
  }
  b->Stop();
  run_b.join();
  run_a.join();
  EXPECT_EQ(rec_b_.stopped.load(), 1);
  EXPECT_EQ(StoredRecord(fake_).holder_identity, "") << "b released on Stop()";
}

TEST_F(LeaderElectorTest, StopReleasesAndCallsOnStoppedLeadingOnlyAfterLeading) {
  auto a = NewElector(fake_, clock_, rec_a_, Config("a"));
  std::thread runner([&] { a->Run(); });
  ASSERT_TRUE(WaitFor([&] { return rec_a_.started.load() == 1; }));
  a->Stop();
  runner.join();
  EXPECT_EQ(rec_a_.stopped.load(), 1);
  EXPECT_EQ(StoredRecord(fake_).holder_identity, "");

  // b never leads (a fresh holder keeps the lease): Stop() ends its campaign silently.
  ASSERT_TRUE(fake_.Seed(kPath, R"({"spec":{"holderIdentity":"c","leaseDurationSeconds":15}})"));
  auto b = NewElector(fake_, clock_, rec_b_, Config("b"));
  std::thread campaigner([&] { b->Run(); });
  ASSERT_TRUE(WaitFor([&] { return fake_.CountRequests("GET", kPath) >= 1; }));
  b->Stop();
  campaigner.join();
  EXPECT_EQ(rec_b_.started.load(), 0);
  EXPECT_EQ(rec_b_.stopped.load(), 0);
  EXPECT_EQ(StoredRecord(fake_).holder_identity, "c");
}

TEST_F(LeaderElectorTest, WithoutReleaseOnCancelTheLeaseIsLeftToExpire) {
  auto config = Config("a");
  config.release_on_cancel = false;
  auto a = NewElector(fake_, clock_, rec_a_, config);
  std::thread runner([&] { a->Run(); });
  ASSERT_TRUE(WaitFor([&] { return rec_a_.started.load() == 1; }));
  a->Stop();
  runner.join();
  EXPECT_EQ(rec_a_.stopped.load(), 1);
  EXPECT_EQ(StoredRecord(fake_).holder_identity, "a");
}

}  // namespace
}  // namespace ccm::kube
