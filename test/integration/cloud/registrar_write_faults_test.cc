// OCI writes that fail or hang: answers slower than the cloud-config's requestTimeout (the
// write lands after the controller gave up on it), and 5xx on half the writes across a burst
// of joins. Every write must be applied exactly once, nothing removed wrongly, and the set
// must converge.
#include <iostream>

#include "test/integration/cloud/registrar_fault_fixture.h"

namespace ccm::itest {
namespace {

using ocisim::FaultKind;
using ocisim::FaultSpec;
using std::chrono::milliseconds;
using std::chrono::seconds;

class RegistrarWriteFaultsTest : public RegistrarFaultFixture {
 protected:
  void SlowDown(const std::string& operation, milliseconds latency) {
    sim_->service().faults().Add(
        FaultSpec{.operation = operation, .service = "loadbalancer", .kind = FaultKind::kLatency, .latency = latency});
  }
};

TEST_F(RegistrarWriteFaultsTest, AnswersSlowerThanRequestTimeoutAreRetriedWithoutWritingTwice) {
  UseConfig([](cloud::CloudConfig& c) { c.request_timeout = seconds(2); });
  RegisterTwoNodes();
  WaitQuiet();
  sim_->service().counters().Reset();

  // Writes answer after 3 s: every attempt times out, yet OCI applies the first one.
  SlowDown("CreateBackend", milliseconds(3000));
  SlowDown("UpdateBackendSet", milliseconds(3000));
  auto began = std::chrono::steady_clock::now();
  CreateNode(N("n3"), Ip(3));
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B(1), B(2), B(3), kPreExisting}, seconds(30)));
  MustStay(B(3));
  EXPECT_TRUE(Eventually([&] { return SawReason(N("web"), "OCITimeout"); }, seconds(60)))
      << "the timed-out write was not reported as OCITimeout: " << RegistrarJson(N("web"));
  Seconds timed_out_after = std::chrono::steady_clock::now() - began;
  sim_->service().faults().Clear();
  EXPECT_TRUE(Eventually([&] { return ConditionReason(N("web"), "Ready") == "BackendsRegistered"; }, seconds(30)))
      << RegistrarJson(N("web"));
  const int64_t write_attempts = sim_->service().counters().Count("CreateBackend") +
                                 sim_->service().counters().Count("UpdateBackendSet");
  EXPECT_GE(write_attempts, 2) << "the timed-out write was never retried";
  EXPECT_EQ(sim_->service().counters().Count("CreateBackend", 409), 0)
      << "a retry carried a new opc-retry-token and collided with the write that had landed";

  // Everything slow for a while: no progress, nothing removed; converges once OCI is fast.
  sim_->service().faults().Add(
      FaultSpec{.operation = "*", .service = "loadbalancer", .kind = FaultKind::kLatency, .latency = milliseconds(3000)});
  CreateNode(N("n4"), Ip(4));
  SleepFor(seconds(8));
  sim_->service().faults().Clear();
  Seconds took = ConvergeTimed({B(1), B(2), B(3), B(4), kPreExisting}, seconds(60));
  MustStay(B(4));
  WaitQuiet();
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B(1), B(2), B(3), B(4), kPreExisting}));
  ExpectEveryWriteAppliedOnce();
  std::cout << "[ measure ] 3 s answers vs 2 s requestTimeout: " << write_attempts << " write attempts, OCITimeout after "
            << timed_out_after.count() << " s; converged " << took.count() << " s after latency returned to normal"
            << std::endl;
}

TEST_F(RegistrarWriteFaultsTest, ServerErrorsOnHalfTheWritesAcrossAJoinBurstApplyEachWriteOnce) {
  RegisterTwoNodes();
  WaitQuiet();
  sim_->service().counters().Reset();
  // Three faults of 20% each: about half of the writes fail with one of 500/502/503.
  for (const char* op : {"UpdateBackendSet", "CreateBackend"}) {
    for (int status : {500, 502, 503}) {
      sim_->service().faults().Add(
          FaultSpec{.operation = op, .service = "loadbalancer", .kind = FaultKind::kError, .rate = 0.2, .status = status});
    }
  }
  std::vector<std::string> want = {B(1), B(2), kPreExisting};
  for (int i = 3; i <= 12; ++i) {
    CreateNode(N("n" + std::to_string(i)), Ip(i));
    want.push_back(B(i));
  }
  Seconds took = ConvergeTimed(want, seconds(90));
  for (int i = 3; i <= 12; ++i) MustStay(B(i));
  int64_t errors = 0, writes = 0;
  for (const char* op : {"UpdateBackendSet", "CreateBackend"}) {
    writes += sim_->service().counters().Count(op);
    for (int status : {500, 502, 503}) errors += sim_->service().counters().Count(op, status);
  }
  EXPECT_GE(errors, 1) << "no 5xx was injected: " << sim_->service().counters().Json();
  WaitQuiet();
  std::sort(want.begin(), want.end());
  EXPECT_EQ(Backends(kLb, "http"), want);
  ExpectEveryWriteAppliedOnce();
  std::cout << "[ measure ] 10 joins under ~50% write 5xx: " << writes << " write calls, " << errors
            << " answered 5xx; converged in " << took.count() << " s" << std::endl;
}

}  // namespace
}  // namespace ccm::itest
