// End-to-end environment for the registrar: a real kube-apiserver (shared per binary), the OCI
// simulator in process, and the registrar wired exactly as the binary wires it (informers,
// ConfigMap ownership store, event recorder, OCI client stacks from a cloud-config).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "pkg/base/json.h"
#include "pkg/cloud/config/cloud_config.h"
#include "pkg/cloud/oci_apis.h"
#include "pkg/cloud/registrar/registrar_controller.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/client/token_source.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/informer/informer.h"
#include "pkg/oci/auth/rsa_key.h"
#include "test/envtest/controller_identity.h"
#include "test/envtest/shared_control_plane.h"
#include "test/ocisim/simulator.h"
#include "test/support/in_process_registrar.h"
#include "test/support/test_pki.h"

namespace ccm::itest {

inline std::string ReadSource(const std::string& rel) {
  const char* root = std::getenv("CCM_SOURCE_DIR");
  std::ifstream f(std::string(root ? root : ".") + "/" + rel);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Polls `pred` every 50 ms until true or `timeout`.
inline bool Eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

class RegistrarE2E : public ::testing::Test {
 protected:
  static constexpr const char* kTenancy = "ocid1.tenancy.oc1..itest";
  static constexpr const char* kUser = "ocid1.user.oc1..itest";
  static constexpr const char* kCompartment = "ocid1.compartment.oc1..itest";
  // Where the Deployment runs it; the shipped Role grants ConfigMaps and Secrets only here.
  static constexpr const char* kControllerNamespace = "kube-system";

  void SetUp() override {
    plane_ = &envtest::SharedControlPlane();
    // The controller runs as its ServiceAccount under the shipped manifests (which also
    // install the CRD); the admin token is only for this fixture's own setup.
    auto identity = envtest::InstallControllerIdentity(*plane_);
    ASSERT_TRUE(identity) << identity.error().ToString();
    identity_ = *identity;
    forbidden_before_ = plane_->ForbiddenRequests(identity_.user).size();
    // Each test gets its own namespace for ownership records and Services.
    static int counter = 0;
    ns_ = "e2e-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    ASSERT_TRUE(Api("POST", "/api/v1/namespaces", R"({"metadata":{"name":")" + ns_ + R"("}})", 201));

    sim_ = std::make_unique<ocisim::Simulator>(ocisim::SimulatorOptions{.work_request_latency = std::chrono::milliseconds(100)});
    ASSERT_TRUE(sim_->Start());
    auto key = testing::GenerateRsaKey();
    ASSERT_TRUE(key);
    auto rsa = oci::RsaPrivateKey::FromPem(key->key_pem, "", "test key");
    ASSERT_TRUE(rsa);
    fingerprint_ = rsa->Fingerprint();
    key_pem_ = key->key_pem;
    ASSERT_TRUE(sim_->service().verifier().AddKey(std::string(kTenancy) + "/" + kUser + "/" + fingerprint_, key->cert_pem));

    kube::RestConfig rc;
    rc.host = plane_->url();
    rc.tls.ca_pem = plane_->ca_pem();
    rc.token_source = std::make_shared<kube::StaticTokenSource>(identity_.token);
    rc.qps = 200;
    rc.burst = 400;
    client_ = kube::HttpRestClient::Create(rc, Clock::Real());
  }

  void TearDown() override {
    registrar_.reset();
    apis_.reset();
    // Leave nothing that another test could trip on: LBRegistrars are cluster-scoped.
    for (const auto& name : registrars_created_) {
      Api("PATCH", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/" + name, R"({"metadata":{"finalizers":null}})", 0,
          "application/merge-patch+json");
      Api("DELETE", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/" + name, "", 0);
    }
    for (const auto& name : nodes_created_) Api("DELETE", "/api/v1/nodes/" + name, "", 0);
    // Ownership records live in the controller's namespace, shared by the tests of a binary.
    Api("DELETE", "/api/v1/namespaces/" + std::string(kControllerNamespace) +
                      "/configmaps?labelSelector=app.kubernetes.io%2Fmanaged-by%3Doci-lb-registrar-ccm",
        "", 0);
    if (sim_) sim_->Stop();
    // A request the shipped RBAC refuses is a bug in the code or in the manifests.
    auto forbidden = plane_->ForbiddenRequests(identity_.user);
    for (size_t i = forbidden_before_; i < forbidden.size(); ++i) ADD_FAILURE() << "403 to the controller: " << forbidden[i];
  }

  cloud::CloudConfig Config(std::chrono::seconds drain = std::chrono::seconds(0)) {
    cloud::CloudConfig c;
    c.auth = {.region = "us-phoenix-1", .tenancy = kTenancy, .user = kUser, .private_key_pem = key_pem_,
              .fingerprint = fingerprint_};
    c.compartment = kCompartment;
    c.endpoints = {.load_balancer = sim_->url(), .network_load_balancer = sim_->url(), .compute = sim_->url()};
    c.extra_ca_pem = sim_->ca_pem();
    c.rate_limits = {.read_qps = 0, .read_burst = 1, .write_qps = 0, .write_burst = 1};
    c.registrar.drain_period = drain;
    return c;
  }

  void StartRegistrar(cloud::registrar::RegistrarOptions options = {}, std::chrono::seconds drain = std::chrono::seconds(0)) {
    if (!apis_) {
      auto apis = cloud::OciApis::Create(Config(drain), Clock::Real());
      ASSERT_TRUE(apis) << apis.error().ToString();
      apis_ = std::move(*apis);
    }
    options.controller_namespace = kControllerNamespace;
    // As a deployment allows its own compartment; tests of the allow-list pass their own.
    if (options.allowed_load_balancers.empty() && options.allowed_compartments.empty()) {
      options.allowed_compartments = {kCompartment};
    }
    options.sync.drain_period = drain;
    options.sync.first_poll = std::chrono::milliseconds(50);
    options.sync.max_poll = std::chrono::milliseconds(200);
    registrar_ = std::make_unique<testing::InProcessRegistrar>(*client_, *apis_, options);
    ASSERT_TRUE(Eventually([&] { return registrar_->Synced(); }));
  }
  void StopRegistrar() { registrar_.reset(); }

  // Kubernetes API helpers. `want` 0 accepts any status.
  bool Api(const std::string& method, const std::string& path, const std::string& body, int want,
           const std::string& content_type = "application/json") {
    auto r = plane_->Request(method, path, body, content_type);
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": " << r.error().ToString();
      return false;
    }
    last_body_ = r->body;
    if (want != 0 && r->status != want) {
      ADD_FAILURE() << method << " " << path << " -> " << r->status << ": " << r->body;
      return false;
    }
    return true;
  }

  void CreateNode(const std::string& name, const std::string& ip, const std::string& labels = "{}",
                  const std::string& ready = "True") {
    ASSERT_TRUE(Api("POST", "/api/v1/nodes",
                    R"({"metadata":{"name":")" + name + R"(","labels":)" + labels +
                        R"(},"spec":{"providerID":"oci://ocid1.instance.oc1.phx.)" + name + R"("}})",
                    201));
    nodes_created_.push_back(name);
    SetNodeStatus(name, ip, ready);
  }
  void SetNodeStatus(const std::string& name, const std::string& ip, const std::string& ready) {
    ASSERT_TRUE(Api("PATCH", "/api/v1/nodes/" + name + "/status",
                    R"({"status":{"addresses":[{"type":"InternalIP","address":")" + ip +
                        R"("},{"type":"Hostname","address":")" + name +
                        R"("}],"conditions":[{"type":"Ready","status":")" + ready +
                        R"(","reason":"KubeletReady","message":"ok","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"}]}})",
                    200, "application/merge-patch+json"));
  }
  void LabelNode(const std::string& name, const std::string& labels_json) {
    ASSERT_TRUE(Api("PATCH", "/api/v1/nodes/" + name, R"({"metadata":{"labels":)" + labels_json + "}}", 200,
                    "application/merge-patch+json"));
  }
  void DeleteNode(const std::string& name) { ASSERT_TRUE(Api("DELETE", "/api/v1/nodes/" + name, "", 200)); }

  void CreateRegistrar(const std::string& name, const std::string& spec_json) {
    ASSERT_TRUE(Api("POST", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars",
                    R"({"apiVersion":"nodes.peppy-ratio.dev/v1alpha1","kind":"LBRegistrar","metadata":{"name":")" +
                        name + R"("},"spec":)" + spec_json + "}",
                    201));
    registrars_created_.push_back(name);
  }
  std::string RegistrarJson(const std::string& name) {
    Api("GET", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/" + name, "", 0);
    return last_body_;
  }
  // status.conditions[type].<field> of an LBRegistrar, or "".
  std::string ConditionField(const std::string& name, const std::string& type, const char* field) {
    auto doc = json::Parse(RegistrarJson(name), "lbregistrar");
    if (!doc) return "";
    const json::Value* status = json::Find(*doc, "status");
    const json::Value* conds = status ? json::Find(*status, "conditions") : nullptr;
    if (conds == nullptr || !conds->IsArray()) return "";
    for (const auto& c : conds->GetArray()) {
      if (json::String(c, "type", "").value_or("") == type) return json::String(c, field, "").value_or("");
    }
    return "";
  }
  std::string ConditionReason(const std::string& name, const std::string& type) {
    return ConditionField(name, type, "reason");
  }

  // Seeds a classic LB or NLB with backend sets (and their other settings).
  void SeedLoadBalancer(const std::string& id, const std::vector<std::string>& sets, const std::string& backends_json = "[]") {
    bool nlb = id.starts_with("ocid1.networkloadbalancer.");
    std::string s = std::string(R"({")") + (nlb ? "networkLoadBalancers" : "loadBalancers") + R"(":[{"id":")" + id +
                    R"(","compartmentId":"ocid1.compartment.oc1..itest","ipAddresses":[{"ipAddress":"203.0.113.7","isPublic":true}],"backendSets":{)";
    for (size_t i = 0; i < sets.size(); ++i) {
      if (i > 0) s += ",";
      s += "\"" + sets[i] + R"(":{"policy":")" + (nlb ? "FIVE_TUPLE" : "ROUND_ROBIN") +
           R"(","healthChecker":{"protocol":"HTTP","port":10256,"urlPath":"/healthz","returnCode":200,"retries":3,"intervalInMillis":10000,"timeoutInMillis":3000},)"
           R"("sessionPersistenceConfiguration":null,"backends":)" + backends_json + "}";
    }
    s += "}}]}";
    ASSERT_TRUE(sim_->service().MergeState(s)) << s;
  }

  // Backend names of a set, sorted; "(drain)" marks draining ones.
  std::vector<std::string> Backends(const std::string& lb, const std::string& set) {
    bool nlb = lb.starts_with("ocid1.networkloadbalancer.");
    auto body = sim_->service().BackendSetJson(nlb ? ocisim::LbKind::kNetwork : ocisim::LbKind::kClassic, lb, set);
    std::vector<std::string> out;
    if (!body) return {"<error: " + body.error().ToString() + ">"};
    auto doc = json::Parse(*body, "set");
    if (!doc) return {"<bad json>"};
    for (const auto& b : (*doc)["backends"].GetArray()) {
      std::string name = json::String(b, "name", "").value_or("");
      bool drain = json::Bool(b, nlb ? "isDrain" : "drain", "").value_or(false);
      out.push_back(name + (drain ? "(drain)" : ""));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string BackendSetJson(const std::string& lb, const std::string& set) {
    bool nlb = lb.starts_with("ocid1.networkloadbalancer.");
    return sim_->service().BackendSetJson(nlb ? ocisim::LbKind::kNetwork : ocisim::LbKind::kClassic, lb, set).value_or("");
  }
  bool BackendsEventually(const std::string& lb, const std::string& set, std::vector<std::string> want,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::sort(want.begin(), want.end());
    bool ok = Eventually([&] { return Backends(lb, set) == want; }, timeout);
    if (!ok) {
      std::string got;
      for (const auto& b : Backends(lb, set)) got += b + " ";
      ADD_FAILURE() << lb << "/" << set << " holds: " << got;
    }
    return ok;
  }
  // Every OCI call the simulator answered so far.
  int64_t OciCalls() {
    auto& c = sim_->service().counters();
    int64_t n = 0;
    for (const char* op : {"GetLoadBalancer", "GetNetworkLoadBalancer", "GetBackendSet", "GetWorkRequest",
                           "UpdateBackendSet", "CreateBackend", "UpdateBackend", "DeleteBackend"}) {
      n += c.Count(op);
    }
    return n;
  }
  // Waits until the controller has made no OCI call for `quiet`.
  void WaitQuiet(std::chrono::milliseconds quiet = std::chrono::milliseconds(1500)) {
    int64_t last = OciCalls();
    auto since = std::chrono::steady_clock::now();
    auto deadline = since + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      int64_t now = OciCalls();
      if (now != last) {
        last = now;
        since = std::chrono::steady_clock::now();
      } else if (std::chrono::steady_clock::now() - since >= quiet) {
        return;
      }
    }
    ADD_FAILURE() << "the controller never went quiet";
  }
  int64_t Writes() {
    auto& c = sim_->service().counters();
    int64_t n = 0;
    for (const char* op : {"UpdateBackendSet", "CreateBackend", "UpdateBackend", "DeleteBackend"}) n += c.Count(op);
    return n;
  }

  envtest::ControlPlane* plane_ = nullptr;
  envtest::ControllerIdentity identity_;
  size_t forbidden_before_ = 0;
  std::string ns_;
  std::unique_ptr<ocisim::Simulator> sim_;
  std::string fingerprint_, key_pem_, last_body_;
  std::unique_ptr<kube::HttpRestClient> client_;
  std::unique_ptr<cloud::OciApis> apis_;
  std::unique_ptr<testing::InProcessRegistrar> registrar_;
  std::vector<std::string> registrars_created_, nodes_created_;
};

}  // namespace ccm::itest
