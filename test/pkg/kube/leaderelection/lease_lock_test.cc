#include "pkg/kube/leaderelection/lease_lock.h"

#include <gtest/gtest.h>

#include "test/mocks/fake_rest_client.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

const char* kPath = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/ccm";

TEST(LeaseLockTest, SpecUsesMicrosecondTimestampsAndRoundTrips) {
  LeaderElectionRecord record{
      .holder_identity = "node-a_1",
      .lease_duration_seconds = 15,
      .acquire_time = std::chrono::system_clock::from_time_t(1767323045) + std::chrono::microseconds(123456),
      .renew_time = std::chrono::system_clock::from_time_t(1767323046),
      .lease_transitions = 3,
  };
  std::string spec = LeaseSpecJson(record);
  EXPECT_NE(spec.find(R"("acquireTime":"2026-01-02T03:04:05.123456Z")"), std::string::npos) << spec;
  EXPECT_NE(spec.find(R"("renewTime":"2026-01-02T03:04:06.000000Z")"), std::string::npos) << spec;
  auto doc = json::Parse("{\"spec\":" + spec + "}", "lease");
  auto back = RecordFromLease(*doc);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, record);
}

TEST(LeaseLockTest, EmptySpecIsAFreeLeaseAndBadTimesAreErrors) {
  auto empty = json::Parse(R"({"metadata":{"name":"x"}})", "lease");
  auto record = RecordFromLease(*empty);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->holder_identity, "");
  auto bad = json::Parse(R"({"spec":{"renewTime":"yesterday"}})", "lease");
  auto err = RecordFromLease(*bad);
  ASSERT_FALSE(err);
  EXPECT_NE(err.error().message.find("renewTime"), std::string::npos) << err.error().message;
}

TEST(LeaseLockTest, UpdateCarriesLastReadResourceVersion) {
  testing::SimulatedClock clock;
  testing::FakeRestClient fake(clock);
  LeaseLock lock(fake, "kube-system", "ccm");
  EXPECT_EQ(lock.Get().error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(lock.Create({.holder_identity = "a", .lease_duration_seconds = 15}));
  ASSERT_TRUE(lock.Update({.holder_identity = "a", .lease_duration_seconds = 15, .lease_transitions = 0}));

  // Another writer changes the Lease: our next PUT carries a stale resourceVersion.
  LeaseLock other(fake, "kube-system", "ccm");
  ASSERT_TRUE(other.Get());
  ASSERT_TRUE(other.Update({.holder_identity = "b", .lease_duration_seconds = 15}));
  auto lost = lock.Update({.holder_identity = "a", .lease_duration_seconds = 15});
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().kind, ErrorKind::kConflict);
  ASSERT_TRUE(lock.Get());
  EXPECT_TRUE(lock.Update({.holder_identity = "a", .lease_duration_seconds = 15}));
  EXPECT_NE(fake.Object(kPath)->find(R"("holderIdentity":"a")"), std::string::npos);
}

}  // namespace
}  // namespace ccm::kube
