// Leader election against a real kube-apiserver: two processes' worth of electors (separate
// HTTP clients) on one Lease never lead at once, and the follower takes over within the
// lease duration when the leader stops renewing, and at once when it releases.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pkg/base/json.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/leaderelection/leader_elector.h"
#include "pkg/kube/leaderelection/lease_lock.h"
#include "test/envtest/shared_control_plane.h"

namespace ccm::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;

std::unique_ptr<RestClient> NewClient() {
  auto& plane = envtest::SharedControlPlane();
  RestConfig config;
  config.host = plane.url();
  config.tls.ca_pem = plane.ca_pem();
  config.token_source = std::make_shared<StaticTokenSource>(plane.admin_token());
  config.qps = 200;
  config.burst = 400;
  return HttpRestClient::Create(std::move(config), Clock::Real());
}

LeaderElectionConfig ShortConfig(const std::string& lease, const std::string& identity, bool release) {
  LeaderElectionConfig c;
  c.lease_namespace = "kube-system";
  c.lease_name = lease;
  c.identity = identity;
  c.lease_duration = seconds(3);
  c.renew_deadline = seconds(2);
  c.retry_period = milliseconds(500);
  c.release_on_cancel = release;
  return c;
}

// One elector with its own HTTP client, running on its own thread.
struct Candidate {
  Candidate(const std::string& lease, const std::string& identity, bool release) : client(NewClient()) {
    auto created = LeaderElector::Create(
        *client, ShortConfig(lease, identity, release),
        {.on_started_leading = [this] { started_at = Steady::now(), ++started; },
         .on_stopped_leading = [this] { ++stopped; }},
        Clock::Real());
    EXPECT_TRUE(created) << created.error().ToString();
    elector = std::move(*created);
    runner = std::thread([this] { elector->Run(); });
  }
  ~Candidate() { StopAndJoin(); }
  void StopAndJoin() {
    elector->Stop();
    if (runner.joinable()) runner.join();
  }

  std::unique_ptr<RestClient> client;
  std::unique_ptr<LeaderElector> elector;
  std::atomic<int> started{0}, stopped{0};
  Steady::time_point started_at{};
  std::thread runner;
};

LeaderElectionRecord ServerRecord(const std::string& lease) {
  auto got = envtest::SharedControlPlane().Request(
      "GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/" + lease);
  EXPECT_TRUE(got);
  EXPECT_EQ(got->status, 200) << got->body;
  auto doc = json::Parse(got->body, "lease");
  EXPECT_TRUE(doc);
  auto record = RecordFromLease(*doc);
  EXPECT_TRUE(record) << record.error().ToString();
  return *record;
}

// Samples both candidates every 5 ms until `until` returns true or `limit` passes; counts
// samples where both claim leadership.
template <typename Until>
int SampleNeverBoth(Candidate& a, Candidate& b, Steady::duration limit, Until until) {
  int both = 0;
  auto end = Steady::now() + limit;
  while (Steady::now() < end && !until()) {
    if (a.elector->IsLeader() && b.elector->IsLeader()) ++both;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return both;
}

TEST(LeaderElectionIntegrationTest, FollowerTakesOverWithinLeaseDurationWhenLeaderStopsRenewing) {
  const std::string lease = "le-crash";
  auto a = std::make_unique<Candidate>(lease, "a", /*release=*/false);
  auto start = Steady::now();
  while (a->started.load() == 0 && Steady::now() - start < seconds(20)) std::this_thread::sleep_for(milliseconds(5));
  ASSERT_EQ(a->started.load(), 1) << "first candidate never acquired the lease";
  auto b = std::make_unique<Candidate>(lease, "b", /*release=*/false);

  // ~10 s of both running: a keeps the lease, b never leads alongside it.
  int both = SampleNeverBoth(*a, *b, seconds(10), [] { return false; });
  EXPECT_EQ(both, 0);
  EXPECT_EQ(b->started.load(), 0);
  EXPECT_EQ(ServerRecord(lease).holder_identity, "a");

  // a stops renewing without releasing (as if it hung).
  auto stopped_at = Steady::now();
  a->StopAndJoin();
  EXPECT_EQ(a->stopped.load(), 1);
  EXPECT_EQ(ServerRecord(lease).holder_identity, "a") << "no release was configured";
  both += SampleNeverBoth(*a, *b, seconds(10), [&] { return b->started.load() == 1; });
  EXPECT_EQ(both, 0);
  ASSERT_EQ(b->started.load(), 1) << "follower never took over";
  auto takeover = std::chrono::duration_cast<milliseconds>(b->started_at - stopped_at);
  std::cout << "takeover after the leader stopped renewing: " << takeover.count() << " ms" << std::endl;
  // a's last renewal was at most one retry period before it stopped; b must wait until the
  // lease (3 s) has gone unrenewed on its own clock, then acquire within one jittered retry.
  EXPECT_GE(takeover, milliseconds(3000 - 500 - 300));
  EXPECT_LE(takeover, milliseconds(3000 + 1100 + 700));
  auto record = ServerRecord(lease);
  EXPECT_EQ(record.holder_identity, "b");
  EXPECT_EQ(record.lease_transitions, 1);
}

TEST(LeaderElectionIntegrationTest, FollowerTakesOverAtOnceAfterCleanRelease) {
  const std::string lease = "le-release";
  auto a = std::make_unique<Candidate>(lease, "a", /*release=*/true);
  auto start = Steady::now();
  while (a->started.load() == 0 && Steady::now() - start < seconds(20)) std::this_thread::sleep_for(milliseconds(5));
  ASSERT_EQ(a->started.load(), 1);
  auto b = std::make_unique<Candidate>(lease, "b", /*release=*/true);
  EXPECT_EQ(SampleNeverBoth(*a, *b, seconds(3), [] { return false; }), 0);

  auto stopped_at = Steady::now();
  a->StopAndJoin();
  auto released = ServerRecord(lease);
  if (b->started.load() == 0) {
    EXPECT_EQ(released.holder_identity, "");
    EXPECT_EQ(released.lease_duration_seconds, 1);
  }
  EXPECT_EQ(SampleNeverBoth(*a, *b, seconds(5), [&] { return b->started.load() == 1; }), 0);
  ASSERT_EQ(b->started.load(), 1);
  auto takeover = std::chrono::duration_cast<milliseconds>(b->started_at - stopped_at);
  std::cout << "takeover after a clean release: " << takeover.count() << " ms" << std::endl;
  // Free at once: within one jittered retry period (0.5 s * (1 + 1.2)), not a lease duration.
  EXPECT_LE(takeover, milliseconds(1100 + 500));
  EXPECT_EQ(ServerRecord(lease).holder_identity, "b");

  b->StopAndJoin();
  EXPECT_EQ(ServerRecord(lease).holder_identity, "");
}

}  // namespace
}  // namespace ccm::kube
