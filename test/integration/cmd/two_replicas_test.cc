// Two replicas of the built binary, as separate processes, on the real control plane and the
// simulator: exactly one leads; SIGKILL of the leader hands over within the lease duration;
// no backend is lost or registered twice at any moment.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <thread>

#include "test/integration/cmd/replica_process.h"

namespace ccm::itest {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.replicas";

using TwoReplicasTest = ReplicaProcessTest;

TEST_F(TwoReplicasTest, ExactlyOneLeadsAndSigkillHandsOverWithNothingLost) {
  SeedLoadBalancer(kLb, {"http"});
  for (int i = 1; i <= 3; ++i) CreateNode(ns_ + "-n" + std::to_string(i), "10.20.0." + std::to_string(i));
  PrepareConfig();
  pid_t a = StartReplica();
  pid_t b = StartReplica();
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  CreateRegistrar(ns_ + "-web", std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
  std::vector<std::string> three = {"10.20.0.1:30080", "10.20.0.2:30080", "10.20.0.3:30080"};
  ASSERT_TRUE(BackendsEventually(kLb, "http", three)) << Slurp(logs_[0]) << Slurp(logs_[1]);
  ASSERT_EQ(Leading(0) + Leading(1), 1) << "exactly one replica leads";
  size_t leader = Leading(0) == 1 ? 0 : 1;
  pid_t leader_pid = leader == 0 ? a : b;
  pid_t follower_pid = leader == 0 ? b : a;
  std::string old_holder = Holder();
  ASSERT_FALSE(old_holder.empty());

  // Watch the backend set continuously from here on: no registered node may ever vanish.
  std::atomic<bool> stop{false};
  std::atomic<int> violations{0};
  std::string violation;
  std::thread watcher([&] {
    while (!stop) {
      auto now = Backends(kLb, "http");
      std::set<std::string> seen(now.begin(), now.end());
      bool dup = seen.size() != now.size();
      bool lost = false;
      for (const auto& b : three) lost = lost || !seen.contains(b);
      if ((dup || lost) && violations++ == 0) {
        for (const auto& n : now) violation += n + " ";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });

  Signal(leader_pid, SIGKILL);
  auto killed_at = std::chrono::steady_clock::now();
  CreateNode(ns_ + "-n4", "10.20.0.4");  // a change only the new leader can apply
  ASSERT_TRUE(Eventually([&] { return !Holder().empty() && Holder() != old_holder; }, std::chrono::seconds(20)));
  auto took = std::chrono::steady_clock::now() - killed_at;
  // Lease duration (4 s) plus one retry period and scheduling slack.
  EXPECT_LT(took, std::chrono::milliseconds(4000 + 500 + 1500))
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
  std::vector<std::string> four = three;
  four.push_back("10.20.0.4:30080");
  EXPECT_TRUE(BackendsEventually(kLb, "http", four));
  EXPECT_EQ(Leading(1 - leader), 1);
  stop = true;
  watcher.join();
  EXPECT_EQ(violations.load(), 0) << "backend set lost or duplicated a backend: " << violation;
  EXPECT_EQ(sim_->service().counters().Count("CreateBackend", 409), 0);

  // The new leader's HTTPS endpoints: healthy, ready, and its metrics show the work it did.
  size_t survivor = 1 - leader;
  auto healthz = Fetch(survivor, "/healthz");
  ASSERT_TRUE(healthz) << healthz.error().ToString();
  EXPECT_EQ(healthz->status, 200) << healthz->body;
  ASSERT_TRUE(Eventually([&] {
    auto r = Fetch(survivor, "/readyz");
    return r && r->status == 200;
  }));
  auto metrics = Fetch(survivor, "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("oci_lb_registrar_leader 1"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("oci_lb_registrar_oci_requests_total{operation=\"GetBackendSet\",code=\"200\"}"),
            std::string::npos);
  // The backend lands in OCI before the controller's next poll notices the work request
  // finished and records the latency: wait for that poll.
  EXPECT_TRUE(Eventually([&] {
    auto m = Fetch(survivor, "/metrics");
    return m && m->body.find("oci_lb_registrar_node_registration_latency_seconds_count 1") != std::string::npos;
  })) << "n4 registered by the new leader";
  EXPECT_NE(metrics->body.find("process_resident_memory_bytes"), std::string::npos);

  // SIGTERM: the survivor releases the lease and exits 0.
  int status = Signal(follower_pid, SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Slurp(logs_[1 - leader]);
  EXPECT_EQ(Holder(), "");
}

}  // namespace
}  // namespace ccm::itest
