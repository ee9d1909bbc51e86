// Long OCI outages (the durations are the scenario's): a minute of 429 with retry-after, and
// two minutes of OCI unreachable, while a node joins and another leaves. The registrar must
// pace its attempts (no retry storm), remove nothing wrongly, and converge soon after the
// outage ends. Its own binary, so it runs beside the shorter fault tests.
#include <iostream>

#include "test/integration/cloud/registrar_fault_fixture.h"

namespace ccm::itest {
namespace {

using ocisim::FaultKind;
using ocisim::FaultSpec;
using std::chrono::seconds;

class RegistrarOutageTest : public RegistrarFaultFixture {
 protected:
  void SleepUntil(std::chrono::steady_clock::time_point t) { std::this_thread::sleep_until(t); }
};

TEST_F(RegistrarOutageTest, ThrottledForAMinuteHonoursRetryAfterAndConvergesAfter) {
  constexpr seconds kRetryAfter{5};
  constexpr seconds kOutage{60};
  RegisterTwoNodes();
  WaitQuiet();
  sim_->service().counters().Reset();
  sim_->service().faults().Add(FaultSpec{.operation = "*", .service = "loadbalancer", .kind = FaultKind::kThrottle,
                                         .rate = 1.0, .count = -1, .retry_after = kRetryAfter});
  auto began = std::chrono::steady_clock::now();
  CreateNode(N("n3"), Ip(3));
  Release(B(2));
  DeleteNode(N("n2"));
  SleepUntil(began + kOutage);
  const int64_t calls = LbCalls();
  const int64_t throttled = LbCalls(429);
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B(1), B(2), kPreExisting}))
      << "every call was refused: nothing can have changed";
  sim_->service().faults().Clear();

  Seconds took = ConvergeTimed({B(1), B(3), kPreExisting}, seconds(60));
  MustStay(B(3));
  EXPECT_EQ(throttled, calls) << sim_->service().counters().Json();
  EXPECT_GE(calls, 4) << "the controller stopped trying during the throttling";
  // One call per retry-after is the pace OCI asked for; twice that is the most we allow.
  EXPECT_LE(calls, 2 * (kOutage / kRetryAfter)) << "retry storm: " << sim_->service().counters().Json();
  EXPECT_LE(took, seconds(30)) << "took " << took.count() << " s to converge after the throttling ended";
  WaitQuiet();
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B(1), B(3), kPreExisting}));
  ExpectEveryWriteAppliedOnce();
  std::cout << "[ measure ] 60 s of 429 (retry-after 5 s): " << calls << " calls, converged " << took.count()
            << " s after it ended" << std::endl;
}

TEST_F(RegistrarOutageTest, OciDownForTwoMinutesBacksOffBoundedAndConvergesSoonAfter) {
  constexpr seconds kOutage{120};
  RegisterTwoNodes();
  WaitQuiet();
  sim_->service().counters().Reset();
  sim_->service().faults().Add(FaultSpec{.operation = "*", .service = "loadbalancer", .kind = FaultKind::kDown});
  auto began = std::chrono::steady_clock::now();
  CreateNode(N("n3"), Ip(3));
  Release(B(2));
  DeleteNode(N("n2"));
  // Sample the attempts every 50 ms: the longest quiet stretch is the backoff at its widest.
  int64_t first_minute = -1, seen = 0;
  auto last_attempt = began;
  Seconds widest_gap{0};
  while (std::chrono::steady_clock::now() < began + kOutage) {
    SleepFor(std::chrono::milliseconds(50));
    auto now = std::chrono::steady_clock::now();
    int64_t n = LbCalls(0);
    if (n != seen) {
      widest_gap = std::max<Seconds>(widest_gap, now - last_attempt);
      last_attempt = now;
      seen = n;
    }
    if (first_minute < 0 && now >= began + kOutage / 2) first_minute = n;
  }
  widest_gap = std::max<Seconds>(widest_gap, std::chrono::steady_clock::now() - last_attempt);
  const int64_t attempts = LbCalls(0);
  const int64_t second_minute = attempts - first_minute;
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B(1), B(2), kPreExisting}));
  EXPECT_EQ(LbCalls(), attempts) << "every call was dropped";
  sim_->service().faults().Clear();

  Seconds took = ConvergeTimed({B(1), B(3), kPreExisting}, seconds(120));
  MustStay(B(3));
  EXPECT_GE(second_minute, 1) << "the controller gave up during the outage";
  // Paced: the transport's retries (5 attempts over ~7 s) then a capped wait between runs.
  EXPECT_LE(second_minute, 40) << "attempts in the second minute of the outage";
  // The retry delay is capped (SyncSettings::max_transient_error_backoff, 20 s), so a long
  // outage never leaves the controller asleep long after OCI is back.
  EXPECT_LE(widest_gap, seconds(25)) << "longest stretch without an attempt";
  EXPECT_LE(took, seconds(30)) << "took " << took.count() << " s to converge after OCI came back";
  WaitQuiet();
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B(1), B(3), kPreExisting}));
  ExpectEveryWriteAppliedOnce();
  std::cout << "[ measure ] 120 s of OCI down: " << attempts << " attempts (" << first_minute << " + "
            << second_minute << " per minute), widest gap " << widest_gap.count() << " s, converged " << took.count() << " s after it returned" << std::endl;
}

}  // namespace
}  // namespace ccm::itest
