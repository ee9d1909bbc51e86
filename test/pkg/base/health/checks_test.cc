#include "pkg/base/health/checks.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace ccm::health {
namespace {

TEST(ChecksTest, NoChecksMeansHealthyAndReady) {
  Checks checks;
  EXPECT_TRUE(checks.Health().ok);
  EXPECT_EQ(checks.Health().body, "ok");
  EXPECT_TRUE(checks.Readiness().ok);
  EXPECT_EQ(checks.Readiness().body, "ok");
}

TEST(ChecksTest, FailingHealthCheckIsNamedWithItsMessage) {
  Checks checks;
  bool leading = true;
  checks.AddHealthCheck("leader-election", [&]() -> Status {
    if (leading) return {};
    return Fail(ErrorKind::kUnavailable, "lease not renewed for 20s\nsecond line");
  });
  checks.AddHealthCheck("ping", [] { return Status{}; });
  EXPECT_EQ(checks.Health().body, "ok");
  EXPECT_EQ(checks.Health(/*verbose=*/true).body, "[+]leader-election ok\n[+]ping ok\nhealthz check passed\n");
  leading = false;
  CheckReport r = checks.Health();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.body,
            "[-]leader-election failed: lease not renewed for 20s second line\n[+]ping ok\nhealthz check failed\n");
  checks.AddHealthCheck("leader-election", [] { return Status{}; });
  EXPECT_TRUE(checks.Health().ok) << "adding a name again replaces that check";
  EXPECT_EQ(checks.Health(/*verbose=*/true).body, "[+]leader-election ok\n[+]ping ok\nhealthz check passed\n");
}

TEST(ChecksTest, ReadinessListsWhatIsNotReady) {
  Checks checks;
  bool synced = false;
  checks.AddReadinessCheck("informers-synced", [&] { return synced; });
  checks.AddReadinessCheck("cloud-config", [] { return true; });
  CheckReport r = checks.Readiness();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.body, "[+]cloud-config ok\n[-]informers-synced not ready\nreadyz check failed\n");
  synced = true;
  EXPECT_TRUE(checks.Readiness().ok);
  EXPECT_EQ(checks.Readiness().body, "ok");
  // Readiness does not latch: a check that turns false is reported again.
  synced = false;
  EXPECT_FALSE(checks.Readiness().ok);
}

TEST(ChecksTest, ReplacingAndThrowingChecks) {
  Checks checks;
  checks.AddHealthCheck("x", [] { return Status{}; });
  checks.AddHealthCheck("x", []() -> Status { throw std::runtime_error("boom"); });
  CheckReport r = checks.Health();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.body.find("[-]x failed: check threw: boom"), std::string::npos) << r.body;
  checks.AddReadinessCheck("r", []() -> bool { throw 1; });
  EXPECT_FALSE(checks.Readiness().ok);
}

}  // namespace
}  // namespace ccm::health
