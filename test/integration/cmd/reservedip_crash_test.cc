// The built binary running the ReservedIP controller (--controllers=...,reservedip) as its
// ServiceAccount, SIGKILLed while its CreatePublicIp is in flight (the simulator holds the
// request, then creates the IP after the process is gone, so no status ever names it), then
// restarted: the resource gets that same public IP, and OCI holds exactly one.
#include <gtest/gtest.h>
#include <signal.h>

#include "test/integration/cmd/replica_process.h"

namespace ccm::itest {
namespace {

class ReservedIPCrashTest : public ReplicaProcessTest {
 protected:
  void TearDown() override {
    for (const auto& pid : pids_) {
      if (pid > 0 && !reaped_.contains(pid)) Signal(pid, SIGKILL);
    }
    Api("PATCH", Path(), R"({"metadata":{"finalizers":null}})", 0, "application/merge-patch+json");
    Api("DELETE", Path(), "", 0);
    ReplicaProcessTest::TearDown();
  }
  std::string Path() {
    return "/apis/oci.k8s.logmein.com/v1alpha1/namespaces/" + ns_ + "/reservedips/rip";
  }
  std::string Field(const char* section, const char* field) {
    Api("GET", Path(), "", 0);
    auto doc = json::Parse(last_body_, "rip");
    if (!doc || !doc->IsObject()) return "";
    const json::Value* s = json::Find(*doc, section);
    return s == nullptr ? "" : json::String(*s, field, "").value_or("");
  }
  // Public IPs in the simulator that are not TERMINATED.
  std::vector<std::string> LiveIps() {
    auto doc = json::Parse(sim_->service().StateJson(), "state");
    std::vector<std::string> out;
    for (const auto& ip : (*doc)["publicIps"].GetArray()) {
      if (json::String(ip, "lifecycleState", "").value_or("") != "TERMINATED") {
        out.push_back(json::String(ip, "id", "").value_or(""));
      }
    }
    return out;
  }
};

TEST_F(ReservedIPCrashTest, KilledWhileCreatingThenRestartedMakesExactlyOnePublicIp) {
  PrepareConfig();
  sim_->service().faults().Add(ocisim::FaultSpec{.operation = "CreatePublicIp",
                                                 .kind = ocisim::FaultKind::kLatency,
                                                 .count = 1,
                                                 .latency = std::chrono::milliseconds(2000)});
  const std::vector<std::string> flags = {"--controllers=service,reservedip",
                                          "--leader-elect=false"};
  pid_t first = StartReplica(flags);
  ASSERT_GT(first, 0);
  ASSERT_TRUE(Api(
      "POST", "/apis/oci.k8s.logmein.com/v1alpha1/namespaces/" + ns_ + "/reservedips",
      R"({"apiVersion":"oci.k8s.logmein.com/v1alpha1","kind":"ReservedIP","metadata":{"name":"rip"},"spec":{"tags":{"owner":"team"}}})",
      201));
  // The finalizer lands just before the create; the create then waits 2 s in the simulator.
  ASSERT_TRUE(Eventually(
      [&] {
        Api("GET", Path(), "", 0);
        return last_body_.find("oci.k8s.logmein.com/reservedip-release") != std::string::npos;
      },
      std::chrono::seconds(30)))
      << AllLogs();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  Signal(first, SIGKILL);
  // The simulator finishes the held create after the process died: an IP nobody recorded.
  ASSERT_TRUE(
      Eventually([&] { return sim_->service().counters().Count("CreatePublicIp", 200) == 1; }));
  ASSERT_EQ(LiveIps().size(), 1u);
  const std::string orphan = LiveIps()[0];
  EXPECT_EQ(Field("status", "publicIpId"), "");  // the crash window was hit

  pid_t second = StartReplica(flags);
  ASSERT_GT(second, 0);
  ASSERT_TRUE(
      Eventually([&] { return Field("status", "state") == "allocated"; }, std::chrono::seconds(60)))
      << last_body_ << AllLogs();
  EXPECT_EQ(Field("status", "publicIpId"), orphan);
  EXPECT_EQ(LiveIps(), std::vector<std::string>{orphan});
  EXPECT_EQ(sim_->service().counters().Count("CreatePublicIp", 200), 1);
}

}  // namespace
}  // namespace ccm::itest
