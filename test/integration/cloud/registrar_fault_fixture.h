// The registrar under a fault, on the real API server and the OCI simulator: a load balancer
// seeded with a backend the controller did not add, two registered nodes, and a watcher that
// samples the backend set every 50 ms for the whole test and records any backend that must
// stay but vanished. Helpers audit the simulator's work requests so a test can show that
// every write was applied exactly once.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "test/integration/cloud/registrar_env.h"

namespace ccm::itest {

class RegistrarFaultFixture : public RegistrarE2E {
 protected:
  static constexpr const char* kLb = "ocid1.loadbalancer.oc1.phx.outage";
  static constexpr const char* kPreExisting = "192.168.0.9:30080";  // added by someone else
  using Seconds = std::chrono::duration<double>;

  std::string N(const std::string& s) { return ns_ + "-" + s; }
  static std::string B(int i) { return "10.30.0." + std::to_string(i) + ":30080"; }
  static std::string Ip(int i) { return "10.30.0." + std::to_string(i); }

  // Builds the OCI clients from the test cloud-config after `tweak`; call before registering.
  void UseConfig(const std::function<void(cloud::CloudConfig&)>& tweak) {
    cloud::CloudConfig c = Config();
    tweak(c);
    auto apis = cloud::OciApis::Create(c, Clock::Real());
    ASSERT_TRUE(apis) << apis.error().ToString();
    apis_ = std::move(*apis);
  }

  // Seeds the load balancer, registers n1 and n2 (through `client`, default the admin client)
  // and starts watching that they and the pre-existing backend never leave.
  void RegisterTwoNodes(kube::RestClient* client = nullptr) {
    SeedLoadBalancer(kLb, {"http"}, R"([{"ipAddress":"192.168.0.9","port":30080}])");
    CreateNode(N("n1"), Ip(1));
    CreateNode(N("n2"), Ip(2));
    if (client == nullptr) {
      StartRegistrar();
    } else {
      ASSERT_NO_FATAL_FAILURE(StartRegistrarOn(*client));
    }
    CreateRegistrar(N("web"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
    ASSERT_TRUE(BackendsEventually(kLb, "http", {B(1), B(2), kPreExisting}));
    {
      std::lock_guard lock(mu_);
      must_stay_ = {B(1), B(2), kPreExisting};
    }
    watcher_ = std::thread([this] { Watch(); });
  }

  // A backend the test removes on purpose, or one that joined and must stay from now on.
  void Release(const std::string& backend) {
    std::lock_guard lock(mu_);
    must_stay_.erase(backend);
  }
  void MustStay(const std::string& backend) {
    std::lock_guard lock(mu_);
    must_stay_.insert(backend);
  }

  void TearDown() override {
    stop_ = true;
    if (watcher_.joinable()) watcher_.join();
    {
      std::lock_guard lock(mu_);
      std::string lost;
      for (const auto& b : lost_) lost += b + " ";
      EXPECT_TRUE(lost_.empty()) << "backends that should have stayed disappeared during the fault: " << lost;
      std::cout << "[ measure ] backends lost: " << lost_.size() << ", samples: " << samples_ << std::endl;
    }
    RegistrarE2E::TearDown();
  }

  void StartRegistrarOn(kube::RestClient& client) {
    if (!apis_) {
      auto apis = cloud::OciApis::Create(Config(), Clock::Real());
      ASSERT_TRUE(apis) << apis.error().ToString();
      apis_ = std::move(*apis);
    }
    cloud::registrar::RegistrarOptions options;
    options.controller_namespace = kControllerNamespace;
    options.allowed_compartments = {kCompartment};
    options.sync.drain_period = std::chrono::seconds(0);
    options.sync.first_poll = std::chrono::milliseconds(50);
    options.sync.max_poll = std::chrono::milliseconds(200);
    registrar_ = std::make_unique<testing::InProcessRegistrar>(client, *apis_, options);
    ASSERT_TRUE(Eventually([&] { return registrar_->Synced(); }));
  }

  // Load-balancer calls the simulator answered with `status` (0: dropped; kAnyStatus: all).
  int64_t LbCalls(int status = ocisim::CallCounters::kAnyStatus) {
    int64_t n = 0;
    for (const char* op : {"GetLoadBalancer", "GetBackendSet", "GetWorkRequest", "ListBackends", "UpdateBackendSet",
                           "CreateBackend", "UpdateBackend", "DeleteBackend"}) {
      n += sim_->service().counters().Count(op, status, "loadbalancer");
    }
    return n;
  }

  // Waits for the set to equal `want`; returns how long that took (or fails the test).
  Seconds ConvergeTimed(std::vector<std::string> want, std::chrono::seconds timeout) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(BackendsEventually(kLb, "http", std::move(want), timeout));
    return std::chrono::steady_clock::now() - start;
  }

  struct WriteAudit {
    int succeeded = 0;
    int failed = 0;
    int unchanged = 0;  // succeeded but changed nothing: a write applied a second time
    std::map<std::string, int> created;  // CreateBackend work requests that landed, by backend
    std::string detail;
  };
  WriteAudit AuditWrites() {
    WriteAudit a;
    auto& store = sim_->service().store();
    MutexLock lock(store.mu);
    store.SettleLocked();
    for (const auto& [id, wr] : store.work_requests) {
      if (wr.final_state.empty()) continue;
      a.detail += wr.type + "(" + wr.resource_name + ")=" + wr.final_state + (wr.changed ? "" : "/unchanged") +
                  (wr.error_message.empty() ? "" : ":" + wr.error_message) + " ";
      if (wr.final_state == "FAILED") {
        ++a.failed;
        continue;
      }
      ++a.succeeded;
      if (!wr.changed) ++a.unchanged;
      if (wr.type == "CreateBackend") ++a.created[wr.resource_name];
    }
    return a;
  }
  // Every write the controller made landed once: none failed (a duplicate CreateBackend or a
  // DeleteBackend of a gone backend fails), none was a no-op (a replayed UpdateBackendSet),
  // and no backend was created twice.
  void ExpectEveryWriteAppliedOnce() {
    WriteAudit a = AuditWrites();
    EXPECT_GT(a.succeeded, 0);
    EXPECT_EQ(a.failed, 0) << a.detail;
    EXPECT_EQ(a.unchanged, 0) << a.detail;
    for (const auto& [backend, n] : a.created) EXPECT_EQ(n, 1) << backend << " created " << n << " times: " << a.detail;
    std::cout << "[ measure ] work requests: " << a.succeeded << " succeeded, " << a.failed << " failed, "
              << a.unchanged << " no-op" << std::endl;
  }

  // The reason was on the Degraded condition now, or recorded as a Warning event (the
  // controller records one each time the condition changes).
  bool SawReason(const std::string& registrar, const std::string& reason) {
    if (ConditionReason(registrar, "Degraded") == reason) return true;
    auto r = plane_->Request("GET", "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + registrar);
    if (!r || r->status != 200) return false;
    auto doc = json::Parse(r->body, "events");
    if (!doc || !doc->HasMember("items")) return false;
    for (const auto& e : (*doc)["items"].GetArray()) {
      if (json::String(e, "reason", "").value_or("") == reason) return true;
    }
    return false;
  }

  void SleepFor(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

 private:
  void Watch() {
    while (!stop_) {
      auto now = Backends(kLb, "http");
      if (now.empty() || now[0].front() != '<') {  // an empty set counts: everything vanished
        std::lock_guard lock(mu_);
        ++samples_;
        for (const auto& must : must_stay_) {
          if (std::find(now.begin(), now.end(), must) == now.end()) lost_.insert(must);
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::thread watcher_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::set<std::string> must_stay_, lost_;
  int64_t samples_ = 0;
};

}  // namespace ccm::itest
