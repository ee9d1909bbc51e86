// The registrar when the Kubernetes side fails: the API server restarts under it, and etcd is
// compacted past its watches (410 Gone, relist). Either way it must end with the backend set
// equal to the cluster, remove nothing because of the outage or the relist, and leave alone
// the backend it did not add. This binary restarts its own (per-binary) API server.
#include <iostream>

#include "test/integration/cloud/pausable_rest_client.h"
#include "test/integration/cloud/registrar_fault_fixture.h"

namespace ccm::itest {
namespace {

constexpr char kNodes[] = "/api/v1/nodes";

class RegistrarApiServerFaultsTest : public RegistrarFaultFixture {
 protected:
  // The registrar's client: a member, so it outlives the registrar (stopped in TearDown).
  PausableRestClient& Pausable() {
    if (!pausable_) pausable_ = std::make_unique<PausableRestClient>(*client_);
    return *pausable_;
  }
  std::unique_ptr<PausableRestClient> pausable_;
};

TEST_F(RegistrarApiServerFaultsTest, ApiServerRestartRemovesNothingAndTheWatchResumes) {
  PausableRestClient& counting = Pausable();  // never paused here: counts LISTs and 410s
  RegisterTwoNodes(&counting);
  WaitQuiet();
  const int64_t writes_before = Writes();

  plane_->StopApiServer();
  SleepFor(std::chrono::seconds(6));  // the registrar's watches fail and back off meanwhile
  EXPECT_EQ(Writes(), writes_before) << "no OCI write is warranted while the API server is down";
  auto restart_began = std::chrono::steady_clock::now();
  ASSERT_TRUE(plane_->StartApiServer());
  Seconds restart_took = std::chrono::steady_clock::now() - restart_began;

  // A change made right after the restart arrives through the resumed watch (or a relist).
  CreateNode(N("n3"), Ip(3));
  Seconds first_change = ConvergeTimed({B(1), B(2), B(3), kPreExisting}, std::chrono::seconds(60));
  MustStay(B(3));

  Release(B(2));
  DeleteNode(N("n2"));
  CreateNode(N("n4"), Ip(4));
  Seconds join_leave = ConvergeTimed({B(1), B(3), B(4), kPreExisting}, std::chrono::seconds(30));
  MustStay(B(4));
  WaitQuiet();
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B(1), B(3), B(4), kPreExisting}));
  ExpectEveryWriteAppliedOnce();
  std::cout << "[ measure ] API server restart " << restart_took.count() << " s; first change after it converged in "
            << first_change.count() << " s; join+leave in " << join_leave.count() << " s; node LISTs "
            << counting.lists(kNodes) << ", node 410s " << counting.gone(kNodes) << std::endl;
}

TEST_F(RegistrarApiServerFaultsTest, GoneAfterCompactionRelistsRemovesWhatVanishedAndTouchesNothingElse) {
  PausableRestClient& pausable = Pausable();
  RegisterTwoNodes(&pausable);
  CreateNode(N("n3"), Ip(3));
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B(1), B(2), B(3), kPreExisting}));
  MustStay(B(3));
  WaitQuiet();
  const int lists_before = pausable.lists(kNodes);

  // Blind the registrar, then change the cluster behind its back.
  pausable.Pause(true);
  ASSERT_TRUE(Eventually([&] { return pausable.refused(kNodes) > 0; })) << "the node watch was never cut";
  Release(B(2));
  DeleteNode(N("n2"));
  CreateNode(N("n4"), Ip(4));
  // Move the revision well past the registrar's and compact it away; a restarted API server's
  // watch cache starts at the compacted revision, so the registrar's resourceVersion is too old.
  const std::string cms = "/api/v1/namespaces/" + ns_ + "/configmaps";
  ASSERT_TRUE(Api("POST", cms, R"({"metadata":{"name":"churn"},"data":{"v":"0"}})", 201));
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(Api("PATCH", cms + "/churn", R"({"data":{"v":")" + std::to_string(i) + R"("}})", 200,
                    "application/merge-patch+json"));
  }
  ASSERT_TRUE(plane_->CompactEtcd());
  plane_->StopApiServer();
  ASSERT_TRUE(plane_->StartApiServer());
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B(1), B(2), B(3), kPreExisting}))
      << "the registrar acted on something while it could not see the cluster";

  pausable.Pause(false);
  Seconds took = ConvergeTimed({B(1), B(3), B(4), kPreExisting}, std::chrono::seconds(60));
  MustStay(B(4));
  EXPECT_GE(pausable.gone(kNodes), 1) << "the node watch was expected to answer 410 Gone";
  EXPECT_GT(pausable.lists(kNodes), lists_before) << "no relist of nodes after the 410";
  WaitQuiet();
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B(1), B(3), B(4), kPreExisting}));
  ExpectEveryWriteAppliedOnce();
  std::cout << "[ measure ] after 410: node 410s " << pausable.gone(kNodes) << ", node relists "
            << pausable.lists(kNodes) - lists_before << ", converged " << took.count() << " s after unpausing"
            << std::endl;
}

}  // namespace
}  // namespace ccm::itest
