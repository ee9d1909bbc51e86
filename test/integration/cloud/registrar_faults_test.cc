// The registrar under OCI faults (real API server, simulator faults): each test ends with the
// backend set equal to its desired state, and no backend that should stay ever disappears.
#include <atomic>
#include <iostream>

#include "test/integration/cloud/registrar_env.h"

namespace ccm::itest {
namespace {

using ocisim::FaultKind;
using ocisim::FaultSpec;
constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.faults";

class RegistrarFaultsTest : public RegistrarE2E {
 protected:
  std::string N(const std::string& s) { return ns_ + "-" + s; }

  // Registers n1 and n2, then watches that they never leave while a fault plays out.
  void RegisterTwoNodes() {
    SeedLoadBalancer(kLb, {"http"}, R"([{"ipAddress":"192.168.0.9","port":30080}])");
    CreateNode(N("n1"), "10.30.0.1");
    CreateNode(N("n2"), "10.30.0.2");
    StartRegistrar();
    CreateRegistrar(N("web"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
    ASSERT_TRUE(BackendsEventually(kLb, "http", {"10.30.0.1:30080", "10.30.0.2:30080", "192.168.0.9:30080"}));
    watcher_ = std::thread([this] {
      while (!stop_) {
        auto now = Backends(kLb, "http");
        for (const char* must : {"10.30.0.1:30080", "10.30.0.2:30080", "192.168.0.9:30080"}) {
          if (std::find(now.begin(), now.end(), must) == now.end() && !now.empty() && now[0].front() != '<') {
            lost_ = true;
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  void TearDown() override {
    stop_ = true;
    if (watcher_.joinable()) watcher_.join();
    EXPECT_FALSE(lost_) << "a backend that should stay disappeared during the fault";
    RegistrarE2E::TearDown();
  }
  std::vector<std::string> WithN3() { return {"10.30.0.1:30080", "10.30.0.2:30080", "10.30.0.3:30080", "192.168.0.9:30080"}; }

  std::thread watcher_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> lost_{false};
};

TEST_F(RegistrarFaultsTest, ThrottlingWithRetryAfterIsWaitedOutAndConverges) {
  RegisterTwoNodes();
  sim_->service().faults().Add(FaultSpec{.operation = "*", .service = "loadbalancer", .kind = FaultKind::kThrottle,
                                         .rate = 1.0, .count = 12, .retry_after = std::chrono::seconds(1)});
  CreateNode(N("n3"), "10.30.0.3");
  ASSERT_TRUE(BackendsEventually(kLb, "http", WithN3(), std::chrono::seconds(60)));
  int64_t throttled = 0;
  for (const char* op : {"GetLoadBalancer", "GetBackendSet", "CreateBackend", "UpdateBackendSet", "GetWorkRequest"}) {
    throttled += sim_->service().counters().Count(op, 429);
  }
  EXPECT_EQ(throttled, 12) << "every injected 429 was met and waited out";
}

TEST_F(RegistrarFaultsTest, ServerErrorBurstsAreRetried) {
  RegisterTwoNodes();
  sim_->service().faults().Add(FaultSpec{.operation = "*", .service = "loadbalancer", .kind = FaultKind::kError,
                                         .rate = 0.5, .count = 20, .status = 503});
  CreateNode(N("n3"), "10.30.0.3");
  ASSERT_TRUE(BackendsEventually(kLb, "http", WithN3(), std::chrono::seconds(60)));
}

TEST_F(RegistrarFaultsTest, FailedWorkRequestsAreReportedAndRetried) {
  RegisterTwoNodes();
  sim_->service().faults().Add(FaultSpec{.operation = "CreateBackend", .kind = FaultKind::kFailWorkRequest,
                                         .rate = 1.0, .count = 2, .message = "backend set is busy"});
  CreateNode(N("n3"), "10.30.0.3");
  EXPECT_TRUE(Eventually([&] { return ConditionReason(N("web"), "Degraded") == "WorkRequestFailed"; }))
      << RegistrarJson(N("web"));
  ASSERT_TRUE(BackendsEventually(kLb, "http", WithN3(), std::chrono::seconds(60)));
  EXPECT_TRUE(Eventually([&] { return ConditionReason(N("web"), "Ready") == "BackendsRegistered"; }));
}

TEST_F(RegistrarFaultsTest, OciDownForAWhileThenBack) {
  RegisterTwoNodes();
  sim_->service().faults().Add(FaultSpec{.operation = "*", .service = "loadbalancer", .kind = FaultKind::kDown});
  CreateNode(N("n3"), "10.30.0.3");
  DeleteNode(N("n2"));  // a removal queued while OCI is unreachable must wait, not be lost
  std::this_thread::sleep_for(std::chrono::seconds(8));
  EXPECT_EQ(Backends(kLb, "http").size(), 3u);
  sim_->service().faults().Clear();
  stop_ = true;  // n2 leaves on purpose from here
  watcher_.join();
  ASSERT_TRUE(BackendsEventually(kLb, "http", {"10.30.0.1:30080", "10.30.0.3:30080", "192.168.0.9:30080"},
                                 std::chrono::seconds(90)));
}

// The backoff of errors only a user can fix is pinned exactly, on simulated time, by
// test/pkg/cloud/registrar (registrar_controller_test, load_balancer_sync_test); here the real
// signer against the simulator: a skewed clock is named in the condition and recovery follows.
TEST_F(RegistrarFaultsTest, ClockSkewGivesAClearConditionAndRecovers) {
  RegisterTwoNodes();
  sim_->service().SetClockOffset(std::chrono::seconds(600));  // our requests look 10 minutes off
  CreateNode(N("n3"), "10.30.0.3");
  EXPECT_TRUE(Eventually([&] { return ConditionReason(N("web"), "Degraded") == "OCIUnauthorized"; }))
      << RegistrarJson(N("web"));
  sim_->service().SetClockOffset(std::chrono::seconds(0));
  ASSERT_TRUE(BackendsEventually(kLb, "http", WithN3(), std::chrono::seconds(120)));
}

}  // namespace
}  // namespace ccm::itest
