// Registrar batching under a node-join burst, end to end: a real kube-apiserver + etcd, the
// OCI simulator in process with 2 s work requests, 2 load balancers (classic + network) with
// 10 backend sets each, one LBRegistrar per set, and the registrar wired as the binary wires
// it (production SyncSettings except drain 0 s, 4 workers, default OCI rate limits).
//
//   CCM_SOURCE_DIR=$PWD ENVTEST_ASSETS=$(bash test/envtest/build.sh) build/bench/registrar_burst_bench
//
// Phases (each timed from the first API change until every backend set in the simulator
// equals the desired state, polled every 100 ms): registrars created with no node; 1,000
// nodes join; 1,000 heartbeats (must cause no OCI call); 100 nodes leave.
// Exits non-zero when a phase does not converge or a heartbeat reaches OCI.
// glog lines go to stderr; the table goes to stdout.
#include <glog/logging.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"
#include "pkg/cloud/config/cloud_config.h"
#include "pkg/cloud/oci_apis.h"
#include "pkg/cloud/registrar/registrar_controller.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/client/token_source.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/informer/informer.h"
#include "pkg/kube/informer/projections.h"
#include "pkg/oci/auth/rsa_key.h"
#include "test/envtest/control_plane.h"
#include "test/bench/support/bench_util.h"
#include "test/ocisim/simulator.h"
#include "test/support/in_process_registrar.h"
#include "test/support/test_pki.h"

namespace ccm::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kTenancy[] = "ocid1.tenancy.oc1..bench";
constexpr char kUser[] = "ocid1.user.oc1..bench";
constexpr char kCompartment[] = "ocid1.compartment.oc1..bench";
constexpr char kNamespace[] = "ccm-bench";
constexpr char kClassicLb[] = "ocid1.loadbalancer.oc1.phx.bench";
constexpr char kNetworkLb[] = "ocid1.networkloadbalancer.oc1.phx.bench";
constexpr int kSetsPerLb = 10;
constexpr int kNodes = 1000;
constexpr int kLeaving = 100;
constexpr int kLoaderThreads = 16;
constexpr milliseconds kWorkRequestLatency{2000};
constexpr seconds kConvergeTimeout{300};
constexpr char kRegistrarPath[] = "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars";

struct BackendSetRef {
  std::string lb;
  std::string name;
  int node_port = 0;
};

std::vector<BackendSetRef> AllSets() {
  std::vector<BackendSetRef> sets;
  int port = 30000;
  for (const char* lb : {kClassicLb, kNetworkLb}) {
    for (int i = 0; i < kSetsPerLb; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "set-%02d", i);
      sets.push_back({lb, name, port++});
    }
  }
  return sets;
}

std::string NodeName(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "bench-%04d", i);
  return buf;
}
// Data only: nothing ever connects to these addresses.
std::string NodeIp(int i) { return "10.20." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1); }

// Sync runs and work requests per load balancer, as the binary's metrics would see them.
class CountingObserver final : public cloud::registrar::RegistrarObserver, public kube::ReconcileObserver {
 public:
  struct WorkRequest {
    double completed_at;  // seconds since the phase started
    double took;
    std::string result;
  };
  void OnReconcile(const std::string&, const std::string& key, const kube::SyncOutcome&, Clock::Duration took) override {
    if (!key.starts_with("lb/")) return;
    std::string lb_id = key.substr(3);
    std::lock_guard<std::mutex> lock(mu_);
    ++syncs_[lb_id];
    sync_seconds_[lb_id] += std::chrono::duration<double>(took).count();
  }
  void OnWorkRequest(const std::string& lb_id, const std::string& result, Clock::Duration took) override {
    std::lock_guard<std::mutex> lock(mu_);
    work_requests_[lb_id].push_back(
        {SecondsSince(phase_start_), std::chrono::duration<double>(took).count(), result});
  }
  void StartPhase() {
    std::lock_guard<std::mutex> lock(mu_);
    phase_start_ = SteadyClock::now();
    syncs_.clear();
    sync_seconds_.clear();
    work_requests_.clear();
  }
  int Syncs(const std::string& lb) {
    std::lock_guard<std::mutex> lock(mu_);
    return syncs_[lb];
  }
  double SyncSeconds(const std::string& lb) {
    std::lock_guard<std::mutex> lock(mu_);
    return sync_seconds_[lb];
  }
  std::vector<WorkRequest> WorkRequests(const std::string& lb) {
    std::lock_guard<std::mutex> lock(mu_);
    return work_requests_[lb];
  }

 private:
  std::mutex mu_;
  SteadyClock::time_point phase_start_ = SteadyClock::now();
  std::map<std::string, int> syncs_;
  std::map<std::string, double> sync_seconds_;  // time spent inside sync runs
  std::map<std::string, std::vector<WorkRequest>> work_requests_;
};

// Classic backends are named ip:port; network load balancer backends target the instance
// (from the node's providerID) and are named instance-ocid:port.
std::vector<std::string> Desired(const std::vector<int>& nodes, const BackendSetRef& set) {
  const std::string suffix = ":" + std::to_string(set.node_port);
  std::vector<std::string> names;
  names.reserve(nodes.size());
  for (int i : nodes) {
    names.push_back((IsNetworkLoadBalancer(set.lb) ? "ocid1.instance.oc1.phx." + NodeName(i) : NodeIp(i)) + suffix);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool AllConverged(ocisim::Simulator& sim, const std::vector<BackendSetRef>& sets, const std::vector<int>& nodes) {
  for (const auto& set : sets) {
    if (BackendNames(sim, set.lb, set.name) != Desired(nodes, set)) return false;
  }
  return true;
}

// Seconds from `t0` until every set equals the desired state, polling every 100 ms.
double WaitConverged(ocisim::Simulator& sim, const std::vector<BackendSetRef>& sets, const std::vector<int>& nodes,
                     SteadyClock::time_point t0, const std::string& phase) {
  auto deadline = t0 + kConvergeTimeout;
  while (SteadyClock::now() < deadline) {
    auto poll = SteadyClock::now();
    if (AllConverged(sim, sets, nodes)) return std::chrono::duration<double>(poll - t0).count();
    std::this_thread::sleep_until(poll + milliseconds(100));
  }
  std::string detail;
  for (const auto& set : sets) {
    auto have = BackendNames(sim, set.lb, set.name);
    auto want = Desired(nodes, set);
    if (have == want) continue;
    detail += " " + set.lb + "/" + set.name + " holds " + std::to_string(have.size()) + " (first " +
              (have.empty() ? "-" : have.front()) + "), wants " + std::to_string(want.size()) + " (first " +
              (want.empty() ? "-" : want.front()) + ");";
  }
  Die(phase + ": backend sets did not converge within " + std::to_string(kConvergeTimeout.count()) + " s:" + detail);
}

std::string ReadyCondition(const std::string& heartbeat) {
  return R"({"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status",)"
         R"("lastHeartbeatTime":")" + heartbeat + R"(","lastTransitionTime":"2026-01-01T00:00:00Z"})";
}

Status CreateNode(kube::RestClient& client, int i) {
  const std::string name = NodeName(i);
  RETURN_IF_ERROR(client.Create("/api/v1/nodes", R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name +
                                                     R"(","labels":{"kubernetes.io/hostname":")" + name +
                                                     R"("}},"spec":{"providerID":"oci://ocid1.instance.oc1.phx.)" +
                                                     name + R"("}})"));
  RETURN_IF_ERROR(client.Patch("/api/v1/nodes/" + name + "/status", kube::PatchType::kMerge,
                               R"({"status":{"addresses":[{"type":"InternalIP","address":")" + NodeIp(i) +
                                   R"("},{"type":"Hostname","address":")" + name + R"("}],"conditions":[)" +
                                   ReadyCondition("2026-01-01T00:00:00Z") + "]}}",
                               /*status_subresource=*/false));
  return {};
}

struct PhaseRow {
  std::string phase;
  double wall = 0;   // seconds to convergence
  double floor = 0;  // seconds; 0 = none
  int64_t min_writes = 0;
  OciCounts counts;
  int syncs_classic = 0;
  int syncs_network = 0;
  std::string verdict;
};

void PrintTimeline(CountingObserver& observer, const std::string& lb) {
  std::printf("  %s work requests (completed at s / took s):", IsNetworkLoadBalancer(lb) ? "NLB" : "LB ");
  for (const auto& wr : observer.WorkRequests(lb)) {
    std::printf(" %s/%s%s", Fixed(wr.completed_at).c_str(), Fixed(wr.took).c_str(),
                wr.result == "SUCCEEDED" ? "" : ("(" + wr.result + ")").c_str());
  }
  std::printf("\n    %d sync runs, %s s inside them\n", observer.Syncs(lb), Fixed(observer.SyncSeconds(lb), 2).c_str());
}

int Run() {
  std::printf("registrar_burst_bench: %d nodes, 2 load balancers x %d backend sets, work-request latency %lld ms\n",
              kNodes, kSetsPerLb, static_cast<long long>(kWorkRequestLatency.count()));
  std::printf("command: CCM_SOURCE_DIR=$PWD ENVTEST_ASSETS=$(bash test/envtest/build.sh) "
              "build/bench/registrar_burst_bench\n\n");
  std::fflush(stdout);

  envtest::ControlPlane plane;
  if (auto st = plane.Start(); !st) Die("control plane: " + st.error().ToString());
  if (auto r = plane.Kubectl({"apply", "-f", "-"}, ReadSource("deploy/kubernetes/crd-lbregistrar.yaml")); !r)
    Die("CRD: " + r.error().ToString() + " (is CCM_SOURCE_DIR the source tree?)");
  if (auto r = plane.Kubectl({"wait", "--for=condition=Established", "--timeout=60s",
                              "crd/lbregistrars.nodes.peppy-ratio.dev"});
      !r)
    Die("CRD not established: " + r.error().ToString());

  ocisim::Simulator sim({.work_request_latency = kWorkRequestLatency});
  if (auto st = sim.Start(); !st) Die("simulator: " + st.error().ToString());
  auto key = testing::GenerateRsaKey();
  if (!key) Die("key: " + key.error().ToString());
  auto rsa = oci::RsaPrivateKey::FromPem(key->key_pem, "", "bench key");
  if (!rsa) Die("key: " + rsa.error().ToString());
  const std::string fingerprint = rsa->Fingerprint();
  if (auto st = sim.service().verifier().AddKey(std::string(kTenancy) + "/" + kUser + "/" + fingerprint, key->cert_pem);
      !st)
    Die("simulator key: " + st.error().ToString());

  const std::vector<BackendSetRef> sets = AllSets();
  for (const char* lb : {kClassicLb, kNetworkLb}) {
    bool nlb = IsNetworkLoadBalancer(lb);
    std::string s = std::string(R"({")") + (nlb ? "networkLoadBalancers" : "loadBalancers") + R"(":[{"id":")" + lb +
                    R"(","compartmentId":")" + kCompartment +
                    R"(","ipAddresses":[{"ipAddress":"203.0.113.7","isPublic":true}],"backendSets":{)";
    bool first = true;
    for (const auto& set : sets) {
      if (set.lb != lb) continue;
      if (!first) s += ",";
      first = false;
      s += "\"" + set.name + R"(":{"policy":")" + (nlb ? "FIVE_TUPLE" : "ROUND_ROBIN") +
           R"(","healthChecker":{"protocol":"HTTP","port":10256,"urlPath":"/healthz","returnCode":200,"retries":3,"intervalInMillis":10000,"timeoutInMillis":3000},)"
           R"("sessionPersistenceConfiguration":null,"backends":[]})";
    }
    s += "}}]}";
    if (auto st = sim.service().MergeState(s); !st) Die("seeding " + std::string(lb) + ": " + st.error().ToString());
  }

  auto rest_config = [&](double qps, int burst) {
    kube::RestConfig rc;
    rc.host = plane.url();
    rc.tls.ca_pem = plane.ca_pem();
    rc.token_source = std::make_shared<kube::StaticTokenSource>(plane.admin_token());
    rc.qps = qps;
    rc.burst = burst;
    return rc;
  };
  // The registrar's own client as in the e2e environment; the load generator has its own.
  auto registrar_client = kube::HttpRestClient::Create(rest_config(200, 400), Clock::Real());
  auto loader = kube::HttpRestClient::Create(rest_config(1000, 1000), Clock::Real());
  if (auto r = loader->Create("/api/v1/namespaces", std::string(R"({"metadata":{"name":")") + kNamespace + "\"}}"); !r)
    Die("namespace: " + r.error().ToString());

  cloud::CloudConfig config;
  config.auth = {.region = "us-phoenix-1", .tenancy = kTenancy, .user = kUser, .private_key_pem = key->key_pem,
                 .fingerprint = fingerprint};
  config.compartment = kCompartment;
  config.endpoints = {.load_balancer = sim.url(), .network_load_balancer = sim.url(), .compute = sim.url()};
  config.extra_ca_pem = sim.ca_pem();
  config.registrar.drain_period = seconds(0);
  auto apis = cloud::OciApis::Create(config, Clock::Real());
  if (!apis) Die("OCI clients: " + apis.error().ToString());

  cloud::registrar::RegistrarOptions options;  // workers = 4, the --concurrent-service-syncs default
  options.controller_namespace = kNamespace;
  options.allowed_compartments = {kCompartment};  // its LBRegistrars carry no apiKey
  options.sync.drain_period = seconds(0);  // every other SyncSettings field keeps its production default
  CountingObserver observer;
  options.reconcile_observer = &observer;
  auto registrar = std::make_unique<testing::InProcessRegistrar>(*registrar_client, **apis, options, &observer);
  {
    auto deadline = SteadyClock::now() + seconds(60);
    while (!registrar->Synced()) {
      if (SteadyClock::now() > deadline) Die("registrar caches never synced");
      std::this_thread::sleep_for(milliseconds(50));
    }
  }

  std::vector<PhaseRow> rows;
  std::vector<int> nodes;  // indexes of the nodes that exist
  auto finish = [&](PhaseRow row, const OciCounts& before) {
    WaitOciQuiet(sim);
    row.counts = TakeOciCounts(sim) - before;
    row.syncs_classic = observer.Syncs(kClassicLb);
    row.syncs_network = observer.Syncs(kNetworkLb);
    return row;
  };

  // 1. Registrars with no node: nothing to write. Timed until every LBRegistrar has a status.
  {
    OciCounts before = TakeOciCounts(sim);
    observer.StartPhase();
    auto t0 = SteadyClock::now();
    for (const auto& set : sets) {
      std::string name = (IsNetworkLoadBalancer(set.lb) ? "nlb-" : "lb-") + set.name;
      auto r = loader->Create(kRegistrarPath,
                              R"({"apiVersion":"nodes.peppy-ratio.dev/v1alpha1","kind":"LBRegistrar","metadata":{"name":")" +
                                  name + R"("},"spec":{"loadBalancerId":")" + set.lb + R"(","backendSetName":")" +
                                  set.name + R"(","nodePort":)" + std::to_string(set.node_port) + "}}");
      if (!r) Die("LBRegistrar " + name + ": " + r.error().ToString());
    }
    double wall = 0;
    for (;;) {
      int reported = 0;
      auto listed = loader->List(kRegistrarPath, {}, [&](const json::Document& page) -> Status {
        for (const auto& item : page["items"].GetArray()) {
          const json::Value* status = json::Find(item, "status");
          if (status != nullptr && !json::String(*status, "phase", "").value_or("").empty()) ++reported;
        }
        return {};
      });
      if (!listed) Die("listing LBRegistrars: " + listed.error().ToString());
      if (reported == static_cast<int>(sets.size()) && AllConverged(sim, sets, nodes)) {
        wall = SecondsSince(t0);
        break;
      }
      if (SecondsSince(t0) > kConvergeTimeout.count()) Die("initial: LBRegistrars never reported a status");
      std::this_thread::sleep_for(milliseconds(100));
    }
    PhaseRow row = finish({.phase = "1 initial (20 LBRegistrars, 0 nodes)", .wall = wall}, before);
    row.verdict = row.counts.writes() == 0 ? "met (0 writes)" : "MISSED (writes with no node)";
    rows.push_back(row);
  }

  // 2. Burst: 1,000 nodes join as fast as the API server takes them.
  double creation_seconds = 0;
  {
    OciCounts before = TakeOciCounts(sim);
    observer.StartPhase();
    auto t0 = SteadyClock::now();
    ParallelFor(0, kNodes, kLoaderThreads, [&](int i) { return CreateNode(*loader, i); });
    creation_seconds = SecondsSince(t0);
    for (int i = 0; i < kNodes; ++i) nodes.push_back(i);
    double wall = WaitConverged(sim, sets, nodes, t0, "burst");
    double floor = std::chrono::duration<double>(kWorkRequestLatency).count() * kSetsPerLb;
    PhaseRow row = finish({.phase = "2 burst (+1,000 nodes)", .wall = wall, .floor = floor,
                           .min_writes = static_cast<int64_t>(sets.size())},
                          before);
    bool writes_ok = row.counts.writes() <= 2 * row.min_writes;
    bool time_ok = wall <= 1.5 * floor;
    row.verdict = std::string(writes_ok ? "writes met" : "writes MISSED") + ", time " +
                  (time_ok ? "near floor" : "far from floor");
    rows.push_back(row);
    PrintTimeline(observer, kClassicLb);
    PrintTimeline(observer, kNetworkLb);
  }

  // 3. Heartbeats: status-only updates must not reach OCI.
  {
    WaitOciQuiet(sim);
    OciCounts before = TakeOciCounts(sim);
    observer.StartPhase();
    auto t0 = SteadyClock::now();
    ParallelFor(0, kNodes, kLoaderThreads, [&](int i) -> Status {
      RETURN_IF_ERROR(loader->Patch("/api/v1/nodes/" + NodeName(i) + "/status", kube::PatchType::kMerge,
                                    R"({"status":{"conditions":[)" + ReadyCondition("2026-01-01T00:05:00Z") + "]}}",
                                    false));
      return {};
    });
    double wall = SecondsSince(t0);
    std::this_thread::sleep_for(seconds(5));  // let the informer deliver every MODIFIED event
    PhaseRow row = finish({.phase = "3 heartbeats (1,000 status patches)", .wall = wall}, before);
    row.verdict = row.counts.calls == 0 ? "met (0 OCI calls)" : "MISSED (heartbeats reached OCI)";
    rows.push_back(row);
  }

  // 4. Leave: 100 nodes are deleted; drain 0 s removes them directly.
  {
    OciCounts before = TakeOciCounts(sim);
    observer.StartPhase();
    auto t0 = SteadyClock::now();
    ParallelFor(kNodes - kLeaving, kNodes, kLoaderThreads, [&](int i) { return loader->Delete("/api/v1/nodes/" + NodeName(i)); });
    nodes.resize(kNodes - kLeaving);
    double wall = WaitConverged(sim, sets, nodes, t0, "leave");
    double floor = std::chrono::duration<double>(kWorkRequestLatency).count() * kSetsPerLb;
    PhaseRow row = finish({.phase = "4 leave (-100 nodes)", .wall = wall, .floor = floor,
                           .min_writes = static_cast<int64_t>(sets.size())},
                          before);
    row.verdict = std::string(row.counts.writes() <= 2 * row.min_writes ? "writes met" : "writes MISSED") +
                  ", time " + (wall <= 1.5 * floor ? "near floor" : "far from floor");
    rows.push_back(row);
    PrintTimeline(observer, kClassicLb);
    PrintTimeline(observer, kNetworkLb);
  }

  std::printf("\nnode creation (create + status patch, %d threads): %s s for %d nodes\n\n", kLoaderThreads,
              Fixed(creation_seconds).c_str(), kNodes);
  std::printf("| Phase | Wall time (s) | Floor (s) | Ratio | Writes LB / NLB / total (min) | 409s | OCI calls | Sync runs LB / NLB | Result |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& r : rows) {
    std::printf("| %s | %s | %s | %s | %lld / %lld / %lld (%s) | %lld | %lld | %d / %d | %s |\n", r.phase.c_str(),
                Fixed(r.wall).c_str(), r.floor > 0 ? Fixed(r.floor).c_str() : "-",
                r.floor > 0 ? Fixed(r.wall / r.floor, 2).c_str() : "-", static_cast<long long>(r.counts.writes_classic),
                static_cast<long long>(r.counts.writes_network), static_cast<long long>(r.counts.writes()),
                r.min_writes > 0 ? std::to_string(r.min_writes).c_str() : "0", static_cast<long long>(r.counts.conflicts),
                static_cast<long long>(r.counts.calls), r.syncs_classic, r.syncs_network, r.verdict.c_str());
  }
  std::fflush(stdout);

  int rc = rows[2].counts.calls == 0 ? 0 : 1;
  registrar.reset();
  sim.Stop();
  plane.Stop();
  return rc;
}

}  // namespace
}  // namespace ccm::bench

int main(int /*argc*/, char** argv) {
  google::InitGoogleLogging(argv[0]);
  FLAGS_logtostderr = true;
  return ccm::bench::Run();
}
