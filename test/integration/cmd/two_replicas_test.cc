// Two replicas of the built binary, as separate processes, on the real control plane and the
// simulator: exactly one leads; SIGKILL of the leader hands over within the lease duration;
// no backend is lost or registered twice at any moment.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pkg/base/base64.h"
#include "pkg/base/curl_transport.h"
#include "test/envtest/control_plane.h"
#include "test/integration/cloud/registrar_env.h"

namespace ccm::itest {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.replicas";

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class TwoReplicasTest : public RegistrarE2E {
 protected:
  std::string Binary() {
    const char* dir = std::getenv("CCM_BINARY_DIR");
    return std::string(dir ? dir : "build") + "/bin/oci-lb-registrar-ccm";
  }
  void WriteFile(const std::string& path, const std::string& data) {
    std::ofstream f(path, std::ios::trunc);
    f << data;
  }
  pid_t StartReplica(const std::string& dir, int index) {
    std::string log = dir + "/replica-" + std::to_string(index) + ".log";
    ports_.push_back(envtest::FreePort().value_or(0));
    auto pid = envtest::SpawnChild({Binary(), "--kubeconfig=" + plane_->kubeconfig_path(),
                                    "--cloud-config=" + dir + "/cloud-provider.yaml", "--controllers=service",
                                    "--bind-address=127.0.0.1", "--secure-port=" + std::to_string(ports_.back()),
                                    "--tls-cert-file=" + dir + "/serving.crt", "--tls-private-key-file=" + dir + "/serving.key",
                                    "--registrar-namespace=" + ns_,
                                    "--leader-elect-resource-name=replicas-" + ns_,
                                    "--leader-elect-lease-duration=4s", "--leader-elect-renew-deadline=3s",
                                    "--leader-elect-retry-period=500ms"},
                                   log);
    EXPECT_TRUE(pid) << pid.error().ToString();
    logs_.push_back(log);
    return pid ? *pid : -1;
  }
  std::string Holder() {
    auto r = plane_->Request("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/replicas-" + ns_);
    if (!r || r->status != 200) return "";
    auto doc = json::Parse(r->body, "lease");
    if (!doc) return "";
    return json::String((*doc)["spec"], "holderIdentity", "").value_or("");
  }
  int Leading(size_t index) {  // times this replica started controllers
    std::string log = Slurp(logs_[index]);
    int n = 0;
    for (size_t pos = 0; (pos = log.find("controllers started", pos)) != std::string::npos; ++pos) ++n;
    return n;
  }
  Result<HttpResponse> Fetch(size_t replica, const std::string& path) {
    CurlTransport t({.tls = {.ca_pem = serving_ca_}});
    return t.Send({.url = "https://127.0.0.1:" + std::to_string(ports_[replica]) + path});
  }
  std::vector<std::string> logs_;
  std::vector<int> ports_;
  std::string serving_ca_;
};

TEST_F(TwoReplicasTest, ExactlyOneLeadsAndSigkillHandsOverWithNothingLost) {
  SeedLoadBalancer(kLb, {"http"});
  for (int i = 1; i <= 3; ++i) CreateNode(ns_ + "-n" + std::to_string(i), "10.20.0." + std::to_string(i));
  char tmpl[] = "/tmp/ccm-replicas-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  WriteFile(dir + "/key.pem", key_pem_);
  auto ca = testing::GenerateCa("replicas-ca");
  ASSERT_TRUE(ca);
  auto serving = testing::IssueCertificate(*ca, {.common_name = "ccm", .ip_addresses = {"127.0.0.1"}});
  ASSERT_TRUE(serving);
  serving_ca_ = ca->cert_pem;
  WriteFile(dir + "/serving.crt", serving->cert_pem);
  WriteFile(dir + "/serving.key", serving->key_pem);
  WriteFile(dir + "/ca.pem", sim_->ca_pem());
  WriteFile(dir + "/cloud-provider.yaml",
            "auth:\n  region: us-phoenix-1\n  tenancy: " + std::string(kTenancy) + "\n  user: " + kUser +
                "\n  key_file: " + dir + "/key.pem\n  fingerprint: " + fingerprint_ +
                "\ncompartment: ocid1.compartment.oc1..itest\nendpoints:\n  loadBalancer: " + sim_->url() +
                "\n  networkLoadBalancer: " + sim_->url() + "\n  compute: " + sim_->url() + "\ncaBundleFile: " + dir +
                "/ca.pem\nregistrar:\n  drainPeriod: 0s\n");
  pid_t a = StartReplica(dir, 0);
  pid_t b = StartReplica(dir, 1);
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

  kill(leader_pid, SIGKILL);
  int status = 0;
  waitpid(leader_pid, &status, 0);
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
  EXPECT_NE(metrics->body.find("oci_lb_registrar_node_registration_latency_seconds_count 1"), std::string::npos)
      << "n4 registered by the new leader";
  EXPECT_NE(metrics->body.find("process_resident_memory_bytes"), std::string::npos);

  // SIGTERM: the survivor releases the lease and exits 0.
  kill(follower_pid, SIGTERM);
  waitpid(follower_pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Slurp(logs_[1 - leader]);
  EXPECT_EQ(Holder(), "");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ccm::itest
