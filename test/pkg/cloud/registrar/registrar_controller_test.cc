#include "pkg/cloud/registrar/registrar_controller.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "pkg/cloud/registrar/registrar_reasons.h"
#include "test/mocks/collecting_event_recorder.h"
#include "test/mocks/fake_backend_set_api.h"
#include "test/mocks/fake_rest_client.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::cloud::registrar {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.aaaacontroller";
constexpr char kCompartment[] = "ocid1.compartment.oc1..lbs";
const std::string kRegistrars = "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/";

class FakeResolver final : public BackendSetApiResolver {
 public:
  explicit FakeResolver(oci::BackendSetApi& api) : api_(api) {}
  Result<oci::BackendSetApi*> For(const std::string&, const ApiKeyMaterial*) override { return &api_; }

 private:
  oci::BackendSetApi& api_;
};

class RecordingObserver final : public kube::ReconcileObserver {
 public:
  void OnReconcile(const std::string&, const std::string& key, const kube::SyncOutcome& outcome,
                   Clock::Duration) override {
    std::lock_guard lock(mu);
    runs.emplace_back(key, outcome.ok() ? "ok" : outcome.reason);
  }
  std::vector<std::pair<std::string, std::string>> Runs() {
    std::lock_guard lock(mu);
    return runs;
  }
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> runs;
};

Error HttpError(ErrorKind kind, int status, const std::string& code) {
  Error e = MakeError(kind, code);
  e.http_status = status;
  e.code = code;
  return e;
}

std::string NodeJson(const std::string& name, const std::string& ip) {
  return R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name +
         R"("},"spec":{"providerID":"oci://ocid1.instance.oc1.phx.)" + name +
         R"("},"status":{"addresses":[{"type":"InternalIP","address":")" + ip +
         R"("}],"conditions":[{"type":"Ready","status":"True"}]}})";
}

std::string RegistrarJson(const std::string& name, const std::string& lb, const std::string& extra) {
  return R"({"apiVersion":"nodes.peppy-ratio.dev/v1alpha1","kind":"LBRegistrar","metadata":{"name":")" + name +
         R"("},"spec":{"loadBalancerId":")" + lb + R"(")" + extra + "}}";
}

// Polls real time for informer threads (the API fake delivers watch events asynchronously).
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return done();
}

class RegistrarControllerTest : public ::testing::Test {
 protected:
  RegistrarControllerTest() {
    api.AddLoadBalancer(kLb, {"bs"});
    api.SetCompartment(kLb, kCompartment);
  }
  ~RegistrarControllerTest() override {
    if (controller) controller->Stop();
    registrars.Stop();
    slices.Stop();
    services.Stop();
    nodes.Stop();
  }

  void Start(RegistrarOptions options = {}) {
    options.controller_namespace = "kube-system";
    options.sync.drain_period = seconds(0);
    if (options.allowed_compartments.empty()) options.allowed_compartments = {kCompartment};
    controller = std::make_unique<RegistrarController>(kube, RegistrarInformers{nodes, services, slices, registrars},
                                                       resolver, store, events, clock, options);
    controller->RegisterHandlers();
    nodes.Start();
    services.Start();
    slices.Start();
    registrars.Start();
    ASSERT_TRUE(Eventually([&] { return controller->CachesSynced(); }));
  }

  // Waits until the controller's handler has seen the resource (the informer's store has it a
  // moment before): the handler queues its key last. Drains the queue on the way.
  bool Handled(const std::string& source) {
    const std::string want = RegistrarController::SourceKey(source);
    return Eventually([&] {
      while (controller->queue().Len() > 0) {
        auto key = controller->queue().Get();
        if (!key) return false;
        controller->queue().Forget(*key);
        controller->queue().Done(*key);
        if (*key == want) return true;
      }
      return false;
    });
  }

  // One run of the load balancer's key; then waits until the caches saw the run's own writes
  // (the finalizer), as the next run would find them.
  kube::SyncOutcome Run(const std::string& lb = kLb) {
    kube::SyncOutcome outcome = controller->Sync(RegistrarController::LoadBalancerKey(lb));
    EXPECT_TRUE(Eventually([&] { return controller->QueuedStatusWrites() == 0; }));
    EXPECT_TRUE(Eventually([&] {
      for (const auto& r : registrars.store().List()) {
        auto stored = kube.Object(kRegistrars + r->name);
        if (!stored) continue;
        auto doc = json::Parse(*stored, "stored");
        if (std::string((*doc)["metadata"]["resourceVersion"].GetString()) != r->resource_version) return false;
      }
      return true;
    }));
    return outcome;
  }

  // Runs the load balancer as the queue would until it asks only for the resync.
  kube::SyncOutcome Converge(const std::string& lb = kLb) {
    kube::SyncOutcome outcome;
    for (int i = 0; i < 20; ++i) {
      outcome = Run(lb);
      if (!outcome.ok() || outcome.after >= seconds(300)) return outcome;
      api.CompleteAll();
      clock.Advance(outcome.after);
    }
    return outcome;
  }

  json::Document Object(const std::string& path) {
    auto text = kube.Object(path);
    return std::move(*json::Parse(text.value_or("{}"), "object"));
  }

  std::string Condition(const std::string& registrar, const std::string& type, const std::string& field) {
    json::Document doc = Object(kRegistrars + registrar);
    const json::Value* conditions = json::Find(doc, "status") ? json::Find(doc["status"], "conditions") : nullptr;
    if (conditions == nullptr || !conditions->IsArray()) return "";
    for (const auto& c : conditions->GetArray()) {
      if (c["type"].GetString() == type) return c[field.c_str()].GetString();
    }
    return "";
  }

  std::vector<std::string> Finalizers(const std::string& path) {
    json::Document doc = Object(path);
    std::vector<std::string> out;
    if (const json::Value* f = json::Find(doc["metadata"], "finalizers"); f != nullptr && f->IsArray()) {
      for (const auto& x : f->GetArray()) out.emplace_back(x.GetString());
    }
    return out;
  }

  void SeedNodes() {
    ASSERT_TRUE(kube.Seed("/api/v1/nodes/n1", NodeJson("n1", "10.0.0.1")));
    ASSERT_TRUE(kube.Seed("/api/v1/nodes/n2", NodeJson("n2", "10.0.0.2")));
  }

  // Hands out and finishes every queued key, so the next Add is observable.
  void DrainQueue() {
    while (controller->queue().Len() > 0) {
      auto key = controller->queue().Get();
      controller->queue().Done(*key);
    }
  }

  testing::SimulatedClock clock;
  testing::FakeRestClient kube{clock};
  kube::Informer<kube::Node> nodes{kube, {.name = "nodes", .path = "/api/v1/nodes"}, kube::ProjectNode, Clock::Real()};
  kube::Informer<kube::Service> services{kube, {.name = "services", .path = "/api/v1/services"}, kube::ProjectService, Clock::Real()};
  kube::Informer<kube::EndpointSlice> slices{
      kube, {.name = "slices", .path = "/apis/discovery.k8s.io/v1/endpointslices"}, kube::ProjectEndpointSlice, Clock::Real()};
  kube::Informer<LBRegistrarObject> registrars{
      kube, {.name = "lbregistrars", .path = "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars"}, ProjectLBRegistrar, Clock::Real()};
  testing::FakeBackendSetApi api;
  FakeResolver resolver{api};
  InMemoryOwnershipStore store;
  testing::CollectingRecorder events;
  std::unique_ptr<RegistrarController> controller;
};

// One outcome per kind of failure: its reason is the condition the resource shows, errors only
// a user can fix are errors on the slow backoff, transient ones on the queue's.
TEST_F(RegistrarControllerTest, OutcomePerErrorKind) {
  struct Case {
    std::string name;
    std::string lb;
    std::string spec;
    std::function<void(testing::FakeBackendSetApi&)> fault;
    std::string reason;
    kube::Requeue requeue;
  };
  const std::string other = std::string(kLb) + "x";
  const std::string gone = std::string(kLb) + "gone";
  api.AddLoadBalancer(other, {"bs"});
  api.SetCompartment(other, kCompartment);
  const std::string port = R"(,"backendSetName":"bs","nodePort":30080)";
  const std::vector<Case> cases = {
      {"unauthorized", kLb, port,
       [](auto& a) { a.FailNext("GetLoadBalancer", HttpError(ErrorKind::kUnauthenticated, 401, "NotAuthenticated")); },
       kReasonOciUnauthorized, kube::Requeue::kAfter},
      {"load balancer gone", gone, port, nullptr, kReasonLoadBalancerNotFound, kube::Requeue::kAfter},
      {"backend set missing", other, R"(,"backendSetName":"nosuch","nodePort":30080)", nullptr,
       kReasonBackendSetNotFound, kube::Requeue::kAfter},
      {"throttled", kLb, port,
       [](auto& a) { a.FailNext("GetBackendSet", HttpError(ErrorKind::kTooManyRequests, 429, "TooManyRequests")); },
       kReasonOciThrottled, kube::Requeue::kRateLimited},
      {"server error", kLb, port,
       [](auto& a) { a.FailNext("GetBackendSet", HttpError(ErrorKind::kUnavailable, 503, "ServiceUnavailable")); },
       kReasonOciError, kube::Requeue::kRateLimited},
      {"secret missing", other,
       port + R"(,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0",)"
              R"("tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"nokey","key":"k"}}})",
       nullptr, kReasonSecretNotFound, kube::Requeue::kRateLimited},
  };
  SeedNodes();
  Start({.allowed_load_balancers = {gone}});
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    // A fresh resource per case (the others are gone), so each case starts its own backoff.
    std::string name = "r" + std::to_string(&c - cases.data());
    ASSERT_TRUE(kube.Create("/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars", RegistrarJson(name, c.lb, c.spec)));
    ASSERT_TRUE(Handled("LBRegistrar/" + name));
    if (c.fault) c.fault(api);
    kube::SyncOutcome outcome = Run(c.lb);
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.reason, c.reason);
    EXPECT_EQ(outcome.requeue, c.requeue);
    if (c.requeue == kube::Requeue::kAfter) {
      EXPECT_EQ(outcome.after, seconds(5));
    }
    EXPECT_EQ(Condition(name, "Ready", "status"), "False");
    EXPECT_EQ(Condition(name, "Ready", "reason"), c.reason);
    EXPECT_EQ(api.writes(), 0);
    ASSERT_TRUE(kube.Delete(kRegistrars + name));
    // Its finalizer goes once the run finds nothing of it recorded.
    for (int i = 0; i < 5 && kube.Object(kRegistrars + name); ++i) {
      ASSERT_TRUE(Eventually([&] { auto r = registrars.store().Get(name); return !r || !r->deletion_timestamp.empty(); }));
      (void)Run(c.lb);
      (void)controller->Sync(RegistrarController::SourceKey("LBRegistrar/" + name));
    }
    EXPECT_FALSE(kube.Object(kRegistrars + name).has_value());
  }
}

// The backoff of an error only a user can fix, exactly: 5 s doubling, capped at 5 minutes.
TEST_F(RegistrarControllerTest, UserErrorBackoffIsExact) {
  SeedNodes();
  ASSERT_TRUE(kube.Seed(kRegistrars + "r", RegistrarJson("r", kLb, R"(,"backendSetName":"bs","nodePort":30080)")));
  Start();
  std::vector<int64_t> waits;
  for (int i = 0; i < 9; ++i) {
    api.FailNext("GetLoadBalancer", HttpError(ErrorKind::kForbidden, 403, "NotAuthorizedOrNotFound"));
    kube::SyncOutcome outcome = Run();
    ASSERT_EQ(outcome.requeue, kube::Requeue::kAfter)
        << outcome.reason << ": " << (outcome.ok() ? "" : outcome.status.error().ToString());
    waits.push_back(std::chrono::duration_cast<seconds>(outcome.after).count());
    clock.Advance(outcome.after);
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{5, 10, 20, 40, 80, 160, 300, 300, 300}));
  EXPECT_EQ(api.calls("GetLoadBalancer"), 9);  // one call per run: no retry storm inside a run
  EXPECT_EQ(Converge().after, seconds(300));
  EXPECT_EQ(api.Backends(kLb, "bs").size(), 2u);
}

// The driver counts an error only a user can fix as an error, with its reason: the alert on
// failing reconciles fires for a broken policy, not only for outages.
TEST_F(RegistrarControllerTest, WorkersReportUserErrorsAsErrors) {
  SeedNodes();
  ASSERT_TRUE(kube.Seed(kRegistrars + "r", RegistrarJson("r", kLb, R"(,"backendSetName":"bs","nodePort":30080)")));
  RecordingObserver observer;
  api.FailNext("GetLoadBalancer", HttpError(ErrorKind::kUnauthenticated, 401, "NotAuthenticated"));
  Start({.reconcile_observer = &observer});
  controller->Start();
  std::string lb_key = RegistrarController::LoadBalancerKey(kLb);
  ASSERT_TRUE(Eventually([&] {
    for (const auto& [key, result] : observer.Runs()) {
      if (key == lb_key) return true;
    }
    return false;
  }));
  controller->Stop();
  for (const auto& [key, result] : observer.Runs()) {
    if (key == lb_key) {
      EXPECT_EQ(result, kReasonOciUnauthorized);
      break;
    }
  }
}

TEST_F(RegistrarControllerTest, FinalizerComesFirstAndGoesLast) {
  SeedNodes();
  ASSERT_TRUE(kube.Seed(kRegistrars + "r", RegistrarJson("r", kLb, R"(,"backendSetName":"bs","nodePort":30080)")));
  Start();
  kube::SyncOutcome submitted = Run();
  EXPECT_TRUE(submitted.ok());
  // The finalizer was added before the write that registered anything.
  EXPECT_EQ(Finalizers(kRegistrars + "r"), std::vector<std::string>{kFinalizer});
  EXPECT_EQ(api.writes(), 1);
  EXPECT_EQ(Converge().after, seconds(300));
  EXPECT_EQ(api.Backends(kLb, "bs").size(), 2u);
  EXPECT_EQ(Condition("r", "Ready", "status"), "True");
  EXPECT_EQ(Condition("r", "Ready", "message"), "2 backend(s) registered");

  ASSERT_TRUE(kube.Delete(kRegistrars + "r"));
  ASSERT_TRUE(Eventually([&] { return !registrars.store().Get("r")->deletion_timestamp.empty(); }));
  // Drained, then removed; the finalizer stays while any backend is recorded as ours.
  kube::SyncOutcome outcome;
  for (int i = 0; i < 20 && kube.Object(kRegistrars + "r"); ++i) {
    if (!api.Backends(kLb, "bs").empty()) {
      EXPECT_EQ(Finalizers(kRegistrars + "r"), std::vector<std::string>{kFinalizer});
    }
    outcome = Run();
    api.CompleteAll();
    clock.Advance(std::max<Clock::Duration>(outcome.after, milliseconds(1)));
  }
  EXPECT_FALSE(kube.Object(kRegistrars + "r").has_value());
  EXPECT_TRUE(api.Backends(kLb, "bs").empty());
  EXPECT_EQ(events.Count(kEventDeregistered), 1);
}

// Runs that poll a write in flight join the queue's ahead lane: after a restart, the writes of
// the one load balancer that changed do not wait behind every other load balancer's re-reads.
TEST_F(RegistrarControllerTest, RunsWithAWriteInFlightGoAhead) {
  SeedNodes();
  ASSERT_TRUE(kube.Seed(kRegistrars + "r", RegistrarJson("r", kLb, R"(,"backendSetName":"bs","nodePort":30080)")));
  Start();
  kube::SyncOutcome submitted = Run();
  ASSERT_TRUE(submitted.ok());
  ASSERT_EQ(api.writes(), 1);
  EXPECT_EQ(submitted.requeue, kube::Requeue::kAfter);
  EXPECT_EQ(submitted.lane, kube::QueueLane::kAhead);
  kube::SyncOutcome early = Run();  // as an event would, before the poll is due
  EXPECT_EQ(early.lane, kube::QueueLane::kAhead);
  EXPECT_LE(early.after, submitted.after);
  kube::SyncOutcome converged = Converge();
  EXPECT_EQ(converged.after, seconds(300));
  EXPECT_EQ(converged.lane, kube::QueueLane::kNormal) << "the resync is new work";
}

TEST_F(RegistrarControllerTest, KeyLessRegistrarMayOnlyTargetAllowedLoadBalancers) {
  SeedNodes();
  ASSERT_TRUE(kube.Seed(kRegistrars + "r", RegistrarJson("r", kLb, R"(,"backendSetName":"bs","nodePort":30080)")));
  Start({.allowed_compartments = {"ocid1.compartment.oc1..other"}});
  kube::SyncOutcome outcome = Run();
  EXPECT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.reason, kReasonLoadBalancerNotAllowed);
  EXPECT_EQ(api.writes(), 0);
  EXPECT_EQ(Condition("r", "Ready", "reason"), kReasonLoadBalancerNotAllowed);
  EXPECT_NE(Condition("r", "Ready", "message").find("allowedCompartments"), std::string::npos);
  EXPECT_EQ(api.calls("GetLoadBalancer"), 1);  // the compartment is read once, by the writer
  (void)Run();
  EXPECT_EQ(api.calls("GetLoadBalancer"), 1);
}

// The projection keeps no status, so a status write (the controller's own, or anyone's) is
// not an update that queues the resource or its load balancer again.
TEST_F(RegistrarControllerTest, StatusWriteCausesNoSync) {
  SeedNodes();
  ASSERT_TRUE(kube.Seed(kRegistrars + "r", RegistrarJson("r", kLb, R"(,"backendSetName":"bs","nodePort":30080)")));
  Start();
  EXPECT_EQ(Converge().after, seconds(300));
  auto cached_rv = [&] { return registrars.store().Get("r")->resource_version; };
  auto server_rv = [&] { return std::string(Object(kRegistrars + "r")["metadata"]["resourceVersion"].GetString()); };
  ASSERT_TRUE(Eventually([&] { return cached_rv() == server_rv(); }));
  DrainQueue();
  ASSERT_TRUE(kube.Patch(kRegistrars + "r", kube::PatchType::kMerge,
                         R"({"status":{"phase":"REGISTERING","observedGeneration":7}})", true));
  ASSERT_TRUE(Eventually([&] { return cached_rv() == server_rv(); }));
  EXPECT_EQ(controller->queue().Len(), 0u);
  // A spec change still is an update.
  ASSERT_TRUE(kube.Patch(kRegistrars + "r", kube::PatchType::kMerge, R"({"spec":{"weight":3}})"));
  ASSERT_TRUE(Eventually([&] { return controller->queue().Len() > 0; }));
}

// A failed write of a Service's ingress brings the load balancer back within 5 s, not at the
// next resync.
TEST_F(RegistrarControllerTest, IngressIsRetriedSoonWhenItsPatchFails) {
  SeedNodes();
  const std::string svc_path = "/api/v1/namespaces/default/services/web";
  ASSERT_TRUE(kube.Seed(svc_path,
                        R"({"apiVersion":"v1","kind":"Service","metadata":{"namespace":"default","name":"web"},)"
                        R"("spec":{"type":"LoadBalancer","ports":[{"name":"http","port":80,"nodePort":30080}]}})"));
  ASSERT_TRUE(kube.Seed(kRegistrars + "r", RegistrarJson("r", kLb,
                                                         R"(,"backendSetName":"bs","services":[{"name":"web","namespace":"default","port":80}])")));
  bool fail = true;
  kube.SetReactor([&](const testing::FakeRequest& r) -> std::optional<Error> {
    if (fail && r.method == "PATCH" && r.path.starts_with(svc_path)) return HttpError(ErrorKind::kUnavailable, 500, "InternalError");
    return std::nullopt;
  });
  Start();
  kube::SyncOutcome outcome = Converge();
  EXPECT_EQ(api.Backends(kLb, "bs").size(), 2u);
  EXPECT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.requeue, kube::Requeue::kAfter);
  EXPECT_LE(outcome.after, seconds(5));
  fail = false;
  clock.Advance(outcome.after);
  outcome = Run();
  EXPECT_EQ(outcome.after, seconds(300));  // back to the resync
  json::Document svc = Object(svc_path);
  EXPECT_EQ(std::string(svc["status"]["loadBalancer"]["ingress"][0]["ip"].GetString()), "203.0.113.10");
}

}  // namespace
}  // namespace ccm::cloud::registrar
