// The built binary SIGKILLed while its write is in flight (the simulator has accepted the work
// request and it is IN_PROGRESS), then restarted: the backend set converges, no node gets two
// backends, nothing that should stay is ever removed (sampled every 50 ms), the restarted
// controller writes nothing once nothing is left to do, and a backend the killed writer added
// stays the controller's own (deleting its node removes it).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <iostream>

#include "test/integration/cmd/replica_process.h"

namespace ccm::itest {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.crash";
// Registered by hand before the controller ever ran: it must survive everything.
constexpr char kHandAdded[] = "10.99.0.1:30080";

std::string BackendOf(int node) { return "10.20.0." + std::to_string(node) + ":30080"; }

class CrashRecoveryTest : public ReplicaProcessTest {
 protected:
  std::string Node(int i) { return ns_ + "-n" + std::to_string(i); }

  // The hand-added backend plus nodes 1..nodes, registered by one running controller.
  void StartConverged(int nodes) {
    SeedLoadBalancer(kLb, {"http"}, R"([{"ipAddress":"10.99.0.1","port":30080}])");
    for (int i = 1; i <= nodes; ++i) CreateNode(Node(i), "10.20.0." + std::to_string(i));
    PrepareConfig();
    pid_ = StartController();
    ASSERT_GT(pid_, 0);
    CreateRegistrar(ns_ + "-web", std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
    std::vector<std::string> want = {kHandAdded};
    for (int i = 1; i <= nodes; ++i) want.push_back(BackendOf(i));
    ASSERT_TRUE(BackendsEventually(kLb, "http", want)) << AllLogs();
    WaitQuiet();
  }
  // One replica, as a single-replica Deployment restarts it: no lease to wait out.
  pid_t StartController() { return StartReplica({"--leader-elect=false"}); }

  // The id of the work request the controller just submitted, once the simulator reports it
  // IN_PROGRESS.
  std::string WaitForWriteInProgress() {
    std::string id;
    bool ok = Eventually([&] {
      auto [wr, state] = InFlight(kLb);
      id = wr;
      return state == "IN_PROGRESS";
    }, std::chrono::seconds(20));
    EXPECT_TRUE(ok) << "no write reached IN_PROGRESS\n" << AllLogs();
    return ok ? id : "";
  }

  // Restarts the controller and waits until it has looked at OCI and gone quiet.
  void RestartAndSettle() {
    int64_t calls = OciCalls();
    auto started = std::chrono::steady_clock::now();
    pid_ = StartController();
    ASSERT_GT(pid_, 0);
    ASSERT_TRUE(Eventually([&] { return OciCalls() > calls; }, std::chrono::seconds(20))) << AllLogs();
    std::cout << "[measure] restarted controller's first OCI call after " << MillisSince(started) << " ms\n";
  }

  std::vector<std::string> Expect(std::initializer_list<int> nodes) {
    std::vector<std::string> out = {kHandAdded};
    for (int n : nodes) out.push_back(BackendOf(n));
    std::sort(out.begin(), out.end());  // as Backends() lists them
    return out;
  }
  // The controller's ownership ConfigMaps, as one string.
  std::string OwnershipRecords() {
    Api("GET", "/api/v1/namespaces/" + std::string(kControllerNamespace) + "/configmaps", "", 200);
    return last_body_;
  }

  pid_t pid_ = -1;
};

TEST_F(CrashRecoveryTest, KilledWhileAddingThenRestartedAfterTheWriteLanded) {
  StartConverged(2);
  sim_->service().SetWorkRequestLatency(std::chrono::seconds(4));
  BackendSetWatcher watcher([&] { return Backends(kLb, "http"); }, {kHandAdded, BackendOf(1), BackendOf(2)},
                            {BackendOf(3)});
  int64_t accepted = AcceptedWrites();
  CreateNode(Node(3), "10.20.0.3");
  std::string wr = WaitForWriteInProgress();
  ASSERT_FALSE(wr.empty());
  EXPECT_EQ(AcceptedWrites(), accepted + 1);
  Signal(pid_, SIGKILL);
  ASSERT_TRUE(Eventually([&] { return WorkRequestState(wr) == "SUCCEEDED"; }, std::chrono::seconds(10)));
  ASSERT_EQ(Backends(kLb, "http"), Expect({1, 2, 3})) << "the killed writer's work request landed";

  int64_t writes = Writes();
  RestartAndSettle();
  WaitQuiet();
  EXPECT_TRUE(BackendsEventually(kLb, "http", Expect({1, 2, 3})));
  EXPECT_EQ(Writes(), writes) << "nothing was left to do, yet the restarted controller wrote\n"
                              << sim_->service().counters().Json();

  // The backend the killed writer added is still the controller's own.
  sim_->service().SetWorkRequestLatency(std::chrono::milliseconds(300));
  watcher.Release(BackendOf(3));
  DeleteNode(Node(3));
  EXPECT_TRUE(BackendsEventually(kLb, "http", Expect({1, 2}))) << AllLogs();
  watcher.Stop();
  EXPECT_GT(watcher.samples(), 20);
  EXPECT_EQ(watcher.violations(), 0) << watcher.first_violation();
}

TEST_F(CrashRecoveryTest, KilledWhileAddingThenRestartedWhileTheWriteIsStillInFlight) {
  StartConverged(2);
  sim_->service().SetWorkRequestLatency(std::chrono::seconds(8));
  BackendSetWatcher watcher([&] { return Backends(kLb, "http"); }, {kHandAdded, BackendOf(1), BackendOf(2)},
                            {BackendOf(3)});
  CreateNode(Node(3), "10.20.0.3");
  std::string wr = WaitForWriteInProgress();
  ASSERT_FALSE(wr.empty());
  Signal(pid_, SIGKILL);
  int64_t accepted = AcceptedWrites();
  RestartAndSettle();
  EXPECT_NE(WorkRequestState(wr), "SUCCEEDED") << "the restart should meet the write still in flight";
  EXPECT_TRUE(BackendsEventually(kLb, "http", Expect({1, 2, 3}))) << AllLogs();
  EXPECT_EQ(WorkRequestState(wr), "SUCCEEDED");
  WaitQuiet();
  EXPECT_EQ(AcceptedWrites(), accepted) << "the killed writer's work request already adds the backend\n"
                                        << sim_->service().counters().Json();
  int64_t writes = Writes();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(Writes(), writes) << "a converged controller wrote";

  sim_->service().SetWorkRequestLatency(std::chrono::milliseconds(300));
  watcher.Release(BackendOf(3));
  DeleteNode(Node(3));
  EXPECT_TRUE(BackendsEventually(kLb, "http", Expect({1, 2}))) << AllLogs();
  watcher.Stop();
  EXPECT_EQ(watcher.violations(), 0) << watcher.first_violation();
}

TEST_F(CrashRecoveryTest, KilledWhileRemovingThenRestarted) {
  StartConverged(3);
  sim_->service().SetWorkRequestLatency(std::chrono::seconds(6));
  BackendSetWatcher watcher([&] { return Backends(kLb, "http"); }, {kHandAdded, BackendOf(1), BackendOf(2)});
  DeleteNode(Node(3));
  std::string wr = WaitForWriteInProgress();
  ASSERT_FALSE(wr.empty());
  Signal(pid_, SIGKILL);
  int64_t accepted = AcceptedWrites();
  RestartAndSettle();
  EXPECT_TRUE(BackendsEventually(kLb, "http", Expect({1, 2}))) << AllLogs();
  WaitQuiet();
  EXPECT_EQ(AcceptedWrites(), accepted) << sim_->service().counters().Json();
  EXPECT_EQ(OwnershipRecords().find("10.20.0.3"), std::string::npos)
      << "the removed backend is still recorded as ours: " << OwnershipRecords();
  EXPECT_NE(OwnershipRecords().find("10.20.0.1"), std::string::npos) << OwnershipRecords();
  watcher.Stop();
  EXPECT_EQ(watcher.violations(), 0) << watcher.first_violation();
}

// The node leaves while the controller is down and its backend is still being added: after
// the restart the work request lands, and the backend it adds must still be known as ours.
TEST_F(CrashRecoveryTest, NodeDeletedWhileDownAndItsAddStillInFlight) {
  StartConverged(2);
  sim_->service().SetWorkRequestLatency(std::chrono::seconds(8));
  BackendSetWatcher watcher([&] { return Backends(kLb, "http"); }, {kHandAdded, BackendOf(1), BackendOf(2)});
  CreateNode(Node(3), "10.20.0.3");
  std::string wr = WaitForWriteInProgress();
  ASSERT_FALSE(wr.empty());
  Signal(pid_, SIGKILL);
  sim_->service().SetWorkRequestLatency(std::chrono::milliseconds(300));  // the restarted writer's own writes
  DeleteNode(Node(3));
  RestartAndSettle();
  EXPECT_NE(WorkRequestState(wr), "SUCCEEDED") << "the restart should meet the write still in flight";
  ASSERT_TRUE(Eventually([&] { return WorkRequestState(wr) == "SUCCEEDED"; }, std::chrono::seconds(15)));
  EXPECT_TRUE(BackendsEventually(kLb, "http", Expect({1, 2}))) << "the late add leaked\n" << AllLogs();
  WaitQuiet();
  EXPECT_EQ(OwnershipRecords().find("10.20.0.3"), std::string::npos) << OwnershipRecords();
  watcher.Stop();
  EXPECT_EQ(watcher.violations(), 0) << watcher.first_violation();
}

}  // namespace
}  // namespace ccm::itest
