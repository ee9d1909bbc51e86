// The built controller binary run as real processes against the shared control plane and the
// in-process OCI simulator of RegistrarE2E: config files, spawning, killing, the lease holder,
// and a watcher that samples a backend set every 50 ms for lost or duplicated backends.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pkg/base/curl_transport.h"
#include "pkg/base/json.h"
#include "test/envtest/control_plane.h"
#include "test/integration/cloud/registrar_env.h"
#include "test/support/test_pki.h"

namespace ccm::itest {

inline std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline int64_t MillisSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

class ReplicaProcessTest : public RegistrarE2E {
 protected:
  // The one Lease the shipped Role lets the controller renew.
  static constexpr const char* kLease = "cloud-controller-manager";
  static constexpr const char* kLeasePath = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cloud-controller-manager";
  void TearDown() override {
    for (pid_t pid : pids_) {
      if (pid <= 0 || reaped_.contains(pid)) continue;
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    // The next test's replicas start from no Lease rather than wait out a killed holder's
    // (when the delete fails they wait it out: slower, not wrong).
    if (auto deleted = plane_->Request("DELETE", kLeasePath); !deleted) {
      std::cerr << "deleting the leader lease: " << deleted.error().ToString() << "\n";
    }
    RegistrarE2E::TearDown();
  }

  static std::string Binary() {
    const char* dir = std::getenv("CCM_BINARY_DIR");
    return std::string(dir ? dir : "build") + "/bin/oci-lb-registrar-ccm";
  }
  static void WriteFile(const std::string& path, const std::string& data) {
    std::ofstream f(path, std::ios::trunc);
    f << data;
  }

  // A fresh directory with the API key, the simulator's CA, a serving certificate and the
  // cloud-config every replica reads.
  void PrepareConfig(const std::string& drain_period = "0s") {
    char tmpl[] = "/tmp/ccm-replicas-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    WriteFile(dir_ + "/key.pem", key_pem_);
    auto ca = testing::GenerateCa("replicas-ca");
    ASSERT_TRUE(ca);
    auto serving = testing::IssueCertificate(*ca, {.common_name = "ccm", .ip_addresses = {"127.0.0.1"}});
    ASSERT_TRUE(serving);
    serving_ca_ = ca->cert_pem;
    WriteFile(dir_ + "/serving.crt", serving->cert_pem);
    WriteFile(dir_ + "/serving.key", serving->key_pem);
    WriteFile(dir_ + "/ca.pem", sim_->ca_pem());
    WriteFile(dir_ + "/cloud-provider.yaml",
              "auth:\n  region: us-phoenix-1\n  tenancy: " + std::string(kTenancy) + "\n  user: " + kUser +
                  "\n  key_file: " + dir_ + "/key.pem\n  fingerprint: " + fingerprint_ +
                  "\ncompartment: " + kCompartment + "\nendpoints:\n  loadBalancer: " + sim_->url() +
                  "\n  networkLoadBalancer: " + sim_->url() + "\n  compute: " + sim_->url() + "\ncaBundleFile: " +
                  dir_ + "/ca.pem\nregistrar:\n  allowedCompartments: [" + kCompartment + "]\n  drainPeriod: " +
                  drain_period + "\n");
  }

  // Starts one more replica (its index is the number started before it) with short leases.
  pid_t StartReplica(const std::vector<std::string>& extra_flags = {}) {
    std::string log = dir_ + "/replica-" + std::to_string(logs_.size()) + ".log";
    ports_.push_back(envtest::FreePort().value_or(0));
    // As the shipped Deployment runs it: its ServiceAccount, kube-system, the default Lease.
    std::vector<std::string> argv = {Binary(), "--kubeconfig=" + identity_.kubeconfig_path,
                                     "--cloud-config=" + dir_ + "/cloud-provider.yaml", "--controllers=service",
                                     "--bind-address=127.0.0.1", "--secure-port=" + std::to_string(ports_.back()),
                                     "--tls-cert-file=" + dir_ + "/serving.crt",
                                     "--tls-private-key-file=" + dir_ + "/serving.key", "--registrar-namespace=" + std::string(kControllerNamespace),
                                     "--leader-elect-resource-name=" + std::string(kLease),
                                     "--leader-elect-lease-duration=4s", "--leader-elect-renew-deadline=3s",
                                     "--leader-elect-retry-period=500ms"};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    auto pid = envtest::SpawnChild(argv, log);
    EXPECT_TRUE(pid) << pid.error().ToString();
    logs_.push_back(log);
    pids_.push_back(pid ? *pid : -1);
    return pids_.back();
  }

  // Sends `sig` and reaps the process; returns its wait status.
  int Signal(pid_t pid, int sig) {
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    reaped_.insert(pid);
    return status;
  }

  std::string Holder() {
    auto r = plane_->Request("GET", std::string(kLeasePath));
    if (!r || r->status != 200) return "";
    auto doc = json::Parse(r->body, "lease");
    if (!doc) return "";
    return json::String((*doc)["spec"], "holderIdentity", "").value_or("");
  }
  // Times replica `index` started its controllers (it leads from then on).
  int Leading(size_t index) {
    std::string log = Slurp(logs_[index]);
    int n = 0;
    for (size_t pos = 0; (pos = log.find("controllers started", pos)) != std::string::npos; ++pos) ++n;
    return n;
  }
  Result<HttpResponse> Fetch(size_t replica, const std::string& path) {
    CurlTransport t({.tls = {.ca_pem = serving_ca_}});
    return t.Send({.url = "https://127.0.0.1:" + std::to_string(ports_[replica]) + path});
  }
  std::string AllLogs() {
    std::string out;
    for (const auto& l : logs_) out += "==== " + l + "\n" + Slurp(l);
    return out;
  }

  // Writes the simulator accepted (classic load balancers answer 204).
  int64_t AcceptedWrites() {
    auto& c = sim_->service().counters();
    int64_t n = 0;
    for (const char* op : {"UpdateBackendSet", "CreateBackend", "UpdateBackend", "DeleteBackend"}) n += c.Count(op, 204);
    return n;
  }
  // The pending work request on `lb` and its state (ACCEPTED / IN_PROGRESS), or {"", ""}.
  std::pair<std::string, std::string> InFlight(const std::string& lb) {
    auto& store = sim_->service().store();
    MutexLock lock(store.mu);
    store.SettleLocked();
    const ocisim::WorkRequest* wr = store.InFlightLocked(lb);
    if (wr == nullptr) return {"", ""};
    return {wr->id, store.StateOfLocked(*wr)};
  }
  // SUCCEEDED / FAILED once `id` finished, else its current state.
  std::string WorkRequestState(const std::string& id) {
    auto& store = sim_->service().store();
    MutexLock lock(store.mu);
    store.SettleLocked();
    auto it = store.work_requests.find(id);
    return it == store.work_requests.end() ? "" : store.StateOfLocked(it->second);
  }

  std::string dir_;
  std::vector<std::string> logs_;
  std::vector<int> ports_;
  std::vector<pid_t> pids_;
  std::set<pid_t> reaped_;
  std::string serving_ca_;
};

// Samples a backend set every 50 ms on its own thread and records every sample in which a
// node has two backends (same IP), a backend that must stay is missing or draining, or a
// "sticky" backend that was once seen has gone.
class BackendSetWatcher {
 public:
  using Sampler = std::function<std::vector<std::string>()>;
  BackendSetWatcher(Sampler sample, std::set<std::string> must_stay, std::set<std::string> sticky = {})
      : sample_(std::move(sample)), must_stay_(std::move(must_stay)), sticky_(std::move(sticky)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~BackendSetWatcher() { Stop(); }

  // A backend that leaves on purpose is no longer required.
  void Release(const std::string& backend) {
    std::lock_guard lock(mu_);
    must_stay_.erase(backend);
    sticky_.erase(backend);
    seen_sticky_.erase(backend);
  }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int violations() const { return violations_; }
  int samples() const { return samples_; }
  int duplicates() const { return duplicates_; }
  int lost() const { return lost_; }
  std::string first_violation() {
    std::lock_guard lock(mu_);
    return first_violation_;
  }

 private:
  void Run() {
    while (!stop_) {
      auto now = sample_();
      Check(now);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  void Check(const std::vector<std::string>& now) {
    std::lock_guard lock(mu_);
    ++samples_;
    std::set<std::string> present;
    std::map<std::string, int> per_ip;
    for (const auto& b : now) {
      present.insert(b);  // a draining backend reads "name(drain)": not present for service
      ++per_ip[b.substr(0, b.find(':'))];
    }
    std::string why;
    for (const auto& [ip, n] : per_ip) {
      if (n > 1) why += "duplicate " + ip + "; ";
    }
    if (!why.empty()) ++duplicates_;
    bool lost = false;
    for (const auto& b : must_stay_) {
      if (!present.contains(b)) why += "lost " + b + "; ", lost = true;
    }
    for (const auto& b : sticky_) {
      if (present.contains(b)) seen_sticky_.insert(b);
      else if (seen_sticky_.contains(b)) why += "lost (after it was registered) " + b + "; ", lost = true;
    }
    if (lost) ++lost_;
    if (!why.empty() && violations_++ == 0) {
      first_violation_ = why + " set:";
      for (const auto& b : now) first_violation_ += " " + b;
    }
  }

  Sampler sample_;
  std::mutex mu_;
  std::set<std::string> must_stay_, sticky_, seen_sticky_;
  std::atomic<bool> stop_{false};
  std::atomic<int> violations_{0}, samples_{0}, duplicates_{0}, lost_{0};
  std::string first_violation_;
  std::thread thread_;
};

}  // namespace ccm::itest
