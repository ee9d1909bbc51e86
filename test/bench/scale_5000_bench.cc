// The controller at production scale, end to end: the built binary as a process (leader
// election on, production defaults except drainPeriod 0s), a real kube-apiserver + etcd, and
// the OCI simulator with 2 s work requests. 5,000 kubelet-shaped nodes in 10 pools; 10 load
// balancers (5 classic, 5 network), 50 backend sets each; 500 bindings: 300 LBRegistrars and
// 200 annotated NodePort Services, 100 of them filtered by their EndpointSlices.
//
//   make bench ARGS=scale_5000_bench
//   or: CCM_SOURCE_DIR=$PWD CCM_BINARY_DIR=$PWD/build ENVTEST_ASSETS=$(bash test/envtest/build.sh)
//       build/bench/scale_5000_bench
//
// Phases: initial sync; 500 nodes join; 5,000 heartbeats; 500 nodes leave; 100 endpoint
// changes; restart with nothing changed; restart after a node left while the controller was
// down. Each is timed from its first change until every backend set in the simulator equals
// the desired state. Measured per phase: OCI writes against the minimum, the controller's
// CPU seconds and peak RSS (from /proc), and its Kubernetes API requests by verb (from its
// rest_client_requests_total). Exits non-zero when a phase fails to converge; prints every
// target and whether it was met.
#include <glog/logging.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pkg/base/status_macros.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/client/token_source.h"
#include "pkg/oci/auth/rsa_key.h"
#include "test/bench/support/bench_util.h"
#include "test/bench/support/cluster_objects.h"
#include "test/bench/support/controller_process.h"
#include "test/envtest/control_plane.h"
#include "test/ocisim/simulator.h"
#include "test/support/test_pki.h"

namespace ccm::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kTenancy[] = "ocid1.tenancy.oc1..aaaaaaaascalebench";
constexpr char kUser[] = "ocid1.user.oc1..aaaaaaaascalebench";
constexpr char kCompartment[] = "ocid1.compartment.oc1..aaaaaaaascalebench";
constexpr char kNamespace[] = "scale";
constexpr char kControllerNamespace[] = "kube-system";
constexpr char kRegistrarPath[] = "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars";
constexpr int kLoadBalancers = 10;  // 0-4 classic, 5-9 network; load balancer k serves pool k
constexpr int kSetsPerLb = 50;
constexpr int kRegistrarSets = 30;   // sets 0-29: LBRegistrars
constexpr int kFilteredFrom = 40;    // sets 30-39: Services; 40-49: Services filtered by endpoints
constexpr int kNodesPerPool = 500;
constexpr int kNodes = kLoadBalancers * kNodesPerPool;
constexpr int kJoining = 500;
constexpr int kEndpointsPerService = 3;
constexpr int kLoaderThreads = 16;
constexpr milliseconds kWorkRequestLatency{2000};
constexpr seconds kConvergeTimeout{600};

std::string LbId(int k) {
  std::string kind = k < 5 ? "loadbalancer" : "networkloadbalancer";
  return "ocid1." + kind + ".oc1.phx.aaaaaaaa" + std::string(50, 'q') + std::to_string(10 + k);
}
std::string SetName(int j) {
  char b[16];
  std::snprintf(b, sizeof b, "set-%02d", j);
  return b;
}
int NodePort(int k, int j) { return 30000 + k * kSetsPerLb + j; }
std::string Pool(int k) { return "pool-" + std::to_string(k); }
int PoolOf(int node) { return node < kNodes ? node / kNodesPerPool : (node - kNodes) / (kJoining / kLoadBalancers); }
bool Filtered(int j) { return j >= kFilteredFrom; }
std::string ServiceName(int k, int j) { return "svc-" + std::to_string(k) + "-" + SetName(j); }

NodeSpec Node(int i) {
  char name[32], tail[8];
  std::snprintf(name, sizeof name, "scale-%05d", i);
  std::snprintf(tail, sizeof tail, "%05d", i);
  return {.name = name,
          .ip = "10.50." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1),
          .instance_id = "ocid1.instance.oc1.phx.anyhqljt" + std::string(47, 'x') + tail,
          .pool = Pool(PoolOf(i)),
          .index = i};
}

// The cluster as the benchmark made it: which nodes exist and where each filtered Service's
// endpoints run.
struct World {
  std::set<int> nodes;
  std::map<std::pair<int, int>, std::vector<int>> endpoints;  // (k, j) -> node indexes

  std::vector<std::string> Desired(int k, int j) const {
    std::vector<std::string> out;
    auto add = [&](int node) {
      if (!nodes.contains(node) || PoolOf(node) != k) return;
      NodeSpec n = Node(node);
      out.push_back((k >= 5 ? n.instance_id : n.ip) + ":" + std::to_string(NodePort(k, j)));
    };
    if (Filtered(j)) {
      for (int node : endpoints.at({k, j})) add(node);
    } else {
      constexpr int kJoinPerPool = kJoining / kLoadBalancers;
      for (int node = k * kNodesPerPool; node < (k + 1) * kNodesPerPool; ++node) add(node);
      for (int node = kNodes + k * kJoinPerPool; node < kNodes + (k + 1) * kJoinPerPool; ++node) add(node);
    }
    if (j == 0) out.push_back(Foreign(k));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  // A backend someone else registered in set-00 of each load balancer: it must survive.
  static std::string Foreign(int k) { return "192.0.2." + std::to_string(k + 1) + ":" + std::to_string(NodePort(k, 0)); }
};

// Sets (k, j) whose desired state differs between two snapshots.
int ChangedSets(const World& a, const World& b) {
  int n = 0;
  for (int k = 0; k < kLoadBalancers; ++k)
    for (int j = 0; j < kSetsPerLb; ++j) n += a.Desired(k, j) != b.Desired(k, j);
  return n;
}
int MaxChangedSetsPerLb(const World& a, const World& b) {
  int most = 0;
  for (int k = 0; k < kLoadBalancers; ++k) {
    int n = 0;
    for (int j = 0; j < kSetsPerLb; ++j) n += a.Desired(k, j) != b.Desired(k, j);
    most = std::max(most, n);
  }
  return most;
}

using DesiredSets = std::vector<std::vector<std::string>>;  // index k * kSetsPerLb + j

DesiredSets AllDesired(const World& world) {
  DesiredSets out;
  for (int k = 0; k < kLoadBalancers; ++k)
    for (int j = 0; j < kSetsPerLb; ++j) out.push_back(world.Desired(k, j));
  return out;
}

bool Converged(ocisim::Simulator& sim, const DesiredSets& desired, std::string* detail = nullptr) {
  for (int k = 0; k < kLoadBalancers; ++k) {
    for (int j = 0; j < kSetsPerLb; ++j) {
      auto have = BackendNames(sim, LbId(k), SetName(j));
      const auto& want = desired[k * kSetsPerLb + j];
      if (have == want) continue;
      if (detail != nullptr) {
        *detail += " lb" + std::to_string(k) + "/" + SetName(j) + " holds " + std::to_string(have.size()) +
                   ", wants " + std::to_string(want.size()) + ";";
      } else {
        return false;
      }
    }
  }
  return detail == nullptr || detail->empty();
}

double WaitConverged(ocisim::Simulator& sim, const World& world, SteadyClock::time_point t0, const std::string& phase) {
  const DesiredSets desired = AllDesired(world);
  while (SecondsSince(t0) < static_cast<double>(kConvergeTimeout.count())) {
    auto poll = SteadyClock::now();
    if (Converged(sim, desired)) return std::chrono::duration<double>(poll - t0).count();
    std::this_thread::sleep_until(poll + milliseconds(250));
  }
  std::string detail;
  Converged(sim, desired, &detail);
  Die(phase + ": did not converge within " + std::to_string(kConvergeTimeout.count()) + " s:" + detail.substr(0, 2000));
}

struct Row {
  std::string phase;
  double wall = 0;
  double floor = 0;  // 0: none
  int64_t min_writes = 0;
  OciCounts oci;
  double cpu = 0;
  double peak_rss = 0;
  double peak_anon = 0;  // of the peak sample: anonymous and file-backed parts
  double peak_file = 0;
  std::map<std::string, double> kube;  // verb -> requests
  double qps_wait = 0;                 // seconds requests waited for the client-side QPS limit
  double oci_read_wait = 0;            // seconds OCI reads waited for the rateLimiter
  std::string note;
};

// Where KubeRequests() puts the seconds requests spent waiting for the QPS limit.
constexpr char kQpsWaitKey[] = "(qps wait)";
constexpr char kOciReadWaitKey[] = "(oci read wait)";

std::string Verbs(const std::map<std::string, double>& v) {
  std::string s;
  for (const auto& [verb, n] : v) {
    if (n < 0.5) continue;
    if (!s.empty()) s += ", ";
    s += verb + " " + std::to_string(static_cast<long long>(n + 0.5));
  }
  return s.empty() ? "-" : s;
}

class Bench {
 public:
  int Run();

 private:
  void StartControlPlane();
  void SeedSimulator();
  void CreateCluster();
  void WriteControllerFiles();
  std::map<std::string, double> KubeRequests();
  // Snapshot before a phase; Finish() turns the differences into a row.
  void Begin();
  Row Finish(Row row);
  void Print(const std::vector<Row>& rows, double sync_seconds, double first_write_seconds, double hwm);
  std::unique_ptr<kube::HttpRestClient> Client(double qps, int burst);

  envtest::ControlPlane plane_;
  std::unique_ptr<ocisim::Simulator> sim_;
  std::unique_ptr<kube::HttpRestClient> loader_;
  std::unique_ptr<ControllerProcess> controller_;
  std::string dir_;
  std::string key_pem_, fingerprint_, serving_ca_;
  int port_ = 0;
  World world_;
  OciCounts oci_before_;
  ProcessUsage usage_before_;
  std::map<std::string, double> kube_before_;
};

std::unique_ptr<kube::HttpRestClient> Bench::Client(double qps, int burst) {
  kube::RestConfig rc;
  rc.host = plane_.url();
  rc.tls.ca_pem = plane_.ca_pem();
  rc.token_source = std::make_shared<kube::StaticTokenSource>(plane_.admin_token());
  rc.qps = qps;
  rc.burst = burst;
  return kube::HttpRestClient::Create(rc, Clock::Real());
}

void Bench::StartControlPlane() {
  if (auto st = plane_.Start(); !st) Die("control plane: " + st.error().ToString());
  if (auto r = plane_.Kubectl({"apply", "-f", "-"}, ReadSource("deploy/kubernetes/crd-lbregistrar.yaml")); !r)
    Die("CRD: " + r.error().ToString() + " (is CCM_SOURCE_DIR the source tree?)");
  if (auto r = plane_.Kubectl({"wait", "--for=condition=Established", "--timeout=60s",
                               "crd/lbregistrars.nodes.peppy-ratio.dev"});
      !r)
    Die("CRD not established: " + r.error().ToString());
  loader_ = Client(2000, 2000);
  if (auto r = loader_->Create("/api/v1/namespaces", std::string(R"({"metadata":{"name":")") + kNamespace + "\"}}"); !r)
    Die("namespace: " + r.error().ToString());
}

void Bench::SeedSimulator() {
  sim_ = std::make_unique<ocisim::Simulator>(ocisim::SimulatorOptions{.work_request_latency = kWorkRequestLatency});
  if (auto st = sim_->Start(); !st) Die("simulator: " + st.error().ToString());
  auto key = testing::GenerateRsaKey();
  if (!key) Die("key: " + key.error().ToString());
  auto rsa = oci::RsaPrivateKey::FromPem(key->key_pem, "", "bench key");
  if (!rsa) Die("key: " + rsa.error().ToString());
  key_pem_ = key->key_pem;
  fingerprint_ = rsa->Fingerprint();
  if (auto st = sim_->service().verifier().AddKey(std::string(kTenancy) + "/" + kUser + "/" + fingerprint_, key->cert_pem);
      !st)
    Die("simulator key: " + st.error().ToString());
  for (int k = 0; k < kLoadBalancers; ++k) {
    bool nlb = k >= 5;
    std::string s = std::string(R"({")") + (nlb ? "networkLoadBalancers" : "loadBalancers") + R"(":[{"id":")" + LbId(k) +
                    R"(","compartmentId":")" + kCompartment + R"(","ipAddresses":[{"ipAddress":"203.0.113.)" +
                    std::to_string(10 + k) + R"(","isPublic":true}],"backendSets":{)";
    for (int j = 0; j < kSetsPerLb; ++j) {
      if (j > 0) s += ",";
      std::string foreign;
      if (j == 0) {
        foreign = R"({"ipAddress":"192.0.2.)" + std::to_string(k + 1) + R"(","port":)" + std::to_string(NodePort(k, 0)) +
                  R"(,"weight":1})";
      }
      s += "\"" + SetName(j) + R"(":{"policy":")" + (nlb ? "FIVE_TUPLE" : "ROUND_ROBIN") +
           R"(","healthChecker":{"protocol":"HTTP","port":10256,"urlPath":"/healthz","returnCode":200,"retries":3,)"
           R"("intervalInMillis":10000,"timeoutInMillis":3000},"sessionPersistenceConfiguration":null,"backends":[)" +
           foreign + "]}";
    }
    s += "}}]}";
    if (auto st = sim_->service().MergeState(s); !st) Die("seeding " + LbId(k) + ": " + st.error().ToString());
  }
}

void Bench::CreateCluster() {
  auto t0 = SteadyClock::now();
  ParallelFor(0, kNodes, kLoaderThreads, [&](int i) -> Status {
    NodeSpec n = Node(i);
    RETURN_IF_ERROR(loader_->Create("/api/v1/nodes", NodeCreateBody(n)));
    RETURN_IF_ERROR(loader_->Patch("/api/v1/nodes/" + n.name + "/status", kube::PatchType::kMerge,
                                   NodeStatusPatch(n, "2026-11-22T06:00:00Z"), false));
    return {};
  });
  for (int i = 0; i < kNodes; ++i) world_.nodes.insert(i);
  std::printf("created %d nodes in %s s\n", kNodes, Fixed(SecondsSince(t0)).c_str());

  const std::string ns = kNamespace;
  ParallelFor(0, kLoadBalancers * kSetsPerLb, kLoaderThreads, [&](int b) -> Status {
    int k = b / kSetsPerLb, j = b % kSetsPerLb;
    if (j < kRegistrarSets) {
      std::string name = "lbr-" + std::to_string(k) + "-" + SetName(j);
      RETURN_IF_ERROR(
          loader_->Create(kRegistrarPath, LBRegistrarBody(name, LbId(k), SetName(j), NodePort(k, j), Pool(k))));
      return {};
    }
    ServiceSpec svc{.ns = ns, .name = ServiceName(k, j), .lb_id = LbId(k), .backend_set = SetName(j),
                    .node_selector = "pool=" + Pool(k), .node_port = NodePort(k, j),
                    .local_traffic = Filtered(j) && j < 45, .filter_annotation = j >= 45};
    RETURN_IF_ERROR(loader_->Create("/api/v1/namespaces/" + ns + "/services", ServiceBody(svc)));
    return {};
  });
  for (int k = 0; k < kLoadBalancers; ++k) {
    for (int j = kFilteredFrom; j < kSetsPerLb; ++j) {
      std::vector<int>& eps = world_.endpoints[{k, j}];
      for (int e = 0; e < kEndpointsPerService; ++e) eps.push_back(k * kNodesPerPool + (j * 37 + e * 101) % kNodesPerPool);
      std::vector<std::string> names;
      for (int node : eps) names.push_back(Node(node).name);
      auto r = loader_->Create("/apis/discovery.k8s.io/v1/namespaces/" + ns + "/endpointslices",
                               EndpointSliceBody(ns, ServiceName(k, j), names));
      if (!r) Die("EndpointSlice: " + r.error().ToString());
    }
  }
  std::printf("created %d LBRegistrars, %d Services, %d EndpointSlices\n", kLoadBalancers * kRegistrarSets,
              kLoadBalancers * (kSetsPerLb - kRegistrarSets), kLoadBalancers * (kSetsPerLb - kFilteredFrom));
}

void Bench::WriteControllerFiles() {
  char tmpl[] = "/tmp/ccm-scale-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp");
  dir_ = tmpl;
  auto write = [&](const std::string& name, const std::string& data) {
    std::ofstream f(dir_ + "/" + name, std::ios::trunc);
    f << data;
    if (!f) Die("cannot write " + dir_ + "/" + name);
  };
  auto ca = testing::GenerateCa("scale-bench-ca");
  if (!ca) Die("CA: " + ca.error().ToString());
  auto serving = testing::IssueCertificate(*ca, {.common_name = "ccm", .ip_addresses = {"127.0.0.1"}});
  if (!serving) Die("serving certificate: " + serving.error().ToString());
  serving_ca_ = ca->cert_pem;
  write("serving.crt", serving->cert_pem);
  write("serving.key", serving->key_pem);
  write("key.pem", key_pem_);
  write("sim-ca.pem", sim_->ca_pem());
  std::string allowed;
  for (int k = 0; k < kLoadBalancers; ++k) allowed += "    - " + LbId(k) + "\n";
  write("cloud-provider.yaml", "auth:\n  region: us-phoenix-1\n  tenancy: " + std::string(kTenancy) + "\n  user: " +
                                   kUser + "\n  key_file: " + dir_ + "/key.pem\n  fingerprint: " + fingerprint_ +
                                   "\ncompartment: " + kCompartment + "\nendpoints:\n  loadBalancer: " + sim_->url() +
                                   "\n  networkLoadBalancer: " + sim_->url() + "\n  compute: " + sim_->url() +
                                   "\ncaBundleFile: " + dir_ + "/sim-ca.pem\nregistrar:\n  drainPeriod: 0s\n"
                                   "  allowedLoadBalancers:\n" + allowed);
  auto port = envtest::FreePort();
  if (!port) Die("port: " + port.error().ToString());
  port_ = *port;
  const char* bin_dir = std::getenv("CCM_BINARY_DIR");
  controller_ = std::make_unique<ControllerProcess>(ControllerProcessOptions{
      .binary = std::string(bin_dir ? bin_dir : "build") + "/bin/oci-lb-registrar-ccm",
      .args = {"--kubeconfig=" + plane_.kubeconfig_path(), "--cloud-config=" + dir_ + "/cloud-provider.yaml",
               "--controllers=service", "--bind-address=127.0.0.1", "--secure-port=" + std::to_string(port_),
               "--tls-cert-file=" + dir_ + "/serving.crt", "--tls-private-key-file=" + dir_ + "/serving.key",
               std::string("--registrar-namespace=") + kControllerNamespace},
      .dir = dir_,
      .metrics_port = port_,
      .serving_ca_pem = serving_ca_});
}

std::map<std::string, double> Bench::KubeRequests() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto m = controller_->ScrapeCounter("rest_client_requests_total", "verb");
    auto wait = controller_->ScrapeCounter("rest_client_rate_limiter_duration_seconds_sum", "");
    auto oci_wait = controller_->ScrapeCounter("oci_lb_registrar_oci_rate_limiter_duration_seconds_sum", "bucket");
    if (m && wait && oci_wait) {
      (*m)[kQpsWaitKey] = (*wait)[""];
      (*m)[kOciReadWaitKey] = (*oci_wait)["read"];
      return *m;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  Die("cannot scrape the controller's /metrics (log: " + controller_->log_path() + ")");
}

void Bench::Begin() {
  oci_before_ = TakeOciCounts(*sim_);
  usage_before_ = controller_->Usage();
  kube_before_ = controller_->running() ? KubeRequests() : std::map<std::string, double>{};
  controller_->ResetPeak();
}

Row Bench::Finish(Row row) {
  WaitOciQuiet(*sim_, milliseconds(3000));
  row.oci = TakeOciCounts(*sim_) - oci_before_;
  row.cpu = controller_->Usage().cpu_seconds - usage_before_.cpu_seconds;
  ProcessUsage peak = controller_->SampledPeak();
  row.peak_rss = peak.rss_mb;
  row.peak_anon = peak.anon_mb;
  row.peak_file = peak.file_mb;
  auto now = KubeRequests();
  for (auto& [verb, n] : now) {
    if (verb == kQpsWaitKey) {
      row.qps_wait = n - (kube_before_.contains(verb) ? kube_before_[verb] : 0);
      continue;
    }
    if (verb == kOciReadWaitKey) {
      row.oci_read_wait = n - (kube_before_.contains(verb) ? kube_before_[verb] : 0);
      continue;
    }
    row.kube[verb] = n - (kube_before_.contains(verb) ? kube_before_[verb] : 0);
  }
  return row;
}

void Bench::Print(const std::vector<Row>& rows, double sync_seconds, double first_write_seconds, double hwm) {
  std::printf("\n| Phase | Converged (s) | Floor (s) | Ratio | OCI writes (min) | Ratio | OCI calls | 409s | CPU (s) | "
              "Peak RSS (MB) | anon + file | API requests by verb | QPS wait (s) | OCI read wait (s) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& r : rows) {
    std::printf("| %s | %s | %s | %s | %lld (%lld) | %s | %lld | %lld | %s | %s | %s + %s | %s | %s | %s |\n", r.phase.c_str(),
                Fixed(r.wall).c_str(), r.floor > 0 ? Fixed(r.floor).c_str() : "-",
                r.floor > 0 ? Fixed(r.wall / r.floor, 2).c_str() : "-", static_cast<long long>(r.oci.writes()),
                static_cast<long long>(r.min_writes),
                r.min_writes > 0 ? Fixed(static_cast<double>(r.oci.writes()) / static_cast<double>(r.min_writes), 2).c_str()
                                 : (r.oci.writes() == 0 ? "-" : "inf"),
                static_cast<long long>(r.oci.calls), static_cast<long long>(r.oci.conflicts), Fixed(r.cpu, 2).c_str(),
                Fixed(r.peak_rss).c_str(), Fixed(r.peak_anon).c_str(), Fixed(r.peak_file).c_str(),
                Verbs(r.kube).c_str(), Fixed(r.qps_wait).c_str(), Fixed(r.oci_read_wait).c_str());
  }
  std::printf("\nrestart: caches synced %s s after start; first needed write %s s after the caches synced\n",
              Fixed(sync_seconds, 2).c_str(), Fixed(first_write_seconds, 2).c_str());
  std::printf("controller peak RSS over the whole run (largest VmRSS sampled, and VmHWM): %s MB\n\n",
              Fixed(hwm).c_str());

  auto verdict = [](bool ok) { return ok ? "met" : "MISSED"; };
  bool writes_ok = true;
  for (const auto& r : rows) writes_ok = writes_ok && static_cast<double>(r.oci.writes()) <= 1.1 * static_cast<double>(r.min_writes);
  const Row& heartbeats = rows[2];
  std::printf("targets:\n");
  std::printf("  peak RSS <= 30 MB: %s MB, %s\n", Fixed(hwm).c_str(), verdict(hwm <= 30));
  std::printf("  heartbeats: 0 OCI calls and < 1 CPU s: %lld calls, %s s, %s\n",
              static_cast<long long>(heartbeats.oci.calls), Fixed(heartbeats.cpu, 2).c_str(),
              verdict(heartbeats.oci.calls == 0 && heartbeats.cpu < 1.0));
  std::printf("  OCI writes <= 1.1 x minimum in every phase: %s\n", verdict(writes_ok));
  for (int i : {1, 3}) {
    std::printf("  %s: converged <= 1.5 x floor: %s x, %s\n", rows[i].phase.c_str(),
                Fixed(rows[i].wall / rows[i].floor, 2).c_str(), verdict(rows[i].wall <= 1.5 * rows[i].floor));
  }
  for (const auto& r : rows) {
    if (r.floor <= 0) continue;
    std::printf("  %s: converged <= 1.2 x floor at the default QPS: %s x, %s\n", r.phase.c_str(),
                Fixed(r.wall / r.floor, 2).c_str(), verdict(r.wall <= 1.2 * r.floor));
  }
  std::printf("  restart with nothing changed: 0 OCI writes: %lld, %s\n", static_cast<long long>(rows[5].oci.writes()),
              verdict(rows[5].oci.writes() == 0));
  std::printf("  first needed write within 5 s of the caches syncing: %s s, %s\n", Fixed(first_write_seconds, 2).c_str(),
              verdict(first_write_seconds <= 5.0));
  std::fflush(stdout);
}

// Seconds from `t0` until the log shows the caches synced; polls every 10 ms.
double WaitCachesSynced(ControllerProcess& controller, SteadyClock::time_point t0) {
  while (SecondsSince(t0) < 120) {
    if (controller.LogContains("registrar: informer caches synced")) return SecondsSince(t0);
    std::this_thread::sleep_for(milliseconds(10));
  }
  Die("the controller's caches never synced (log: " + controller.log_path() + ")");
}

int Bench::Run() {
  std::printf("scale_5000_bench: %d nodes, %d load balancers x %d backend sets, %d bindings, work requests %lld ms\n",
              kNodes, kLoadBalancers, kSetsPerLb, kLoadBalancers * kSetsPerLb,
              static_cast<long long>(kWorkRequestLatency.count()));
  std::fflush(stdout);
  StartControlPlane();
  SeedSimulator();
  CreateCluster();
  WriteControllerFiles();
  const double wr = std::chrono::duration<double>(kWorkRequestLatency).count();
  std::vector<Row> rows;

  // 1. Initial sync: the controller starts against the populated cluster; every set is empty
  // but for set-00's foreign backend.
  {
    World empty;
    for (auto& [key, eps] : world_.endpoints) empty.endpoints[key] = {};
    oci_before_ = TakeOciCounts(*sim_);
    auto t0 = SteadyClock::now();
    if (auto st = controller_->Start(); !st) Die("controller: " + st.error().ToString());
    double wall = WaitConverged(*sim_, world_, t0, "initial sync");
    usage_before_ = {};
    Row row = Finish({.phase = "1 initial sync", .wall = wall, .floor = wr * kSetsPerLb,
                      .min_writes = ChangedSets(empty, world_)});
    rows.push_back(row);
    std::printf("phase 1 done: %s s\n", Fixed(wall).c_str());
    std::fflush(stdout);
  }
  // SCALE_BENCH_ONLY_INITIAL=1: stop here (for profiling the controller's first sync).
  if (const char* only = std::getenv("SCALE_BENCH_ONLY_INITIAL"); only != nullptr && std::string(only) == "1") {
    const Row& r = rows.front();
    std::printf("initial sync: %s s, %lld writes (min %lld), CPU %s s, peak RSS %s MB, VmHWM %s MB, API %s, QPS wait %s s, OCI read wait %s s\n",
                Fixed(r.wall).c_str(), static_cast<long long>(r.oci.writes()), static_cast<long long>(r.min_writes),
                Fixed(r.cpu, 2).c_str(), Fixed(r.peak_rss).c_str(), Fixed(controller_->Usage().hwm_mb).c_str(),
                Verbs(r.kube).c_str(), Fixed(r.qps_wait).c_str(), Fixed(r.oci_read_wait).c_str());
    (void)controller_->Stop(SIGTERM);
    sim_->Stop();
    plane_.Stop();
    return 0;
  }

  // 2. 500 nodes join in a burst, 50 per pool.
  {
    World before = world_;
    Begin();
    auto t0 = SteadyClock::now();
    ParallelFor(kNodes, kNodes + kJoining, kLoaderThreads, [&](int i) -> Status {
      NodeSpec n = Node(i);
      RETURN_IF_ERROR(loader_->Create("/api/v1/nodes", NodeCreateBody(n)));
      RETURN_IF_ERROR(loader_->Patch("/api/v1/nodes/" + n.name + "/status", kube::PatchType::kMerge,
                                     NodeStatusPatch(n, "2026-11-22T06:10:00Z"), false));
      return {};
    });
    for (int i = kNodes; i < kNodes + kJoining; ++i) world_.nodes.insert(i);
    double wall = WaitConverged(*sim_, world_, t0, "join");
    rows.push_back(Finish({.phase = "2 join (+500 nodes)", .wall = wall, .floor = wr * kSetsPerLb,
                           .min_writes = ChangedSets(before, world_),
                           .note = std::to_string(MaxChangedSetsPerLb(before, world_)) + " sets change per LB"}));
    std::printf("phase 2 done: %s s\n", Fixed(wall).c_str());
    std::fflush(stdout);
  }

  // 3. Heartbeats: every node posts its conditions with a new lastHeartbeatTime.
  {
    Begin();
    auto t0 = SteadyClock::now();
    ParallelFor(0, kNodes, kLoaderThreads, [&](int i) -> Status {
      RETURN_IF_ERROR(loader_->Patch("/api/v1/nodes/" + Node(i).name + "/status", kube::PatchType::kMerge,
                                     NodeHeartbeatPatch("2026-11-22T06:15:00Z"), false));
      return {};
    });
    double wall = SecondsSince(t0);
    std::this_thread::sleep_for(seconds(5));  // let every MODIFIED event reach the controller
    rows.push_back(Finish({.phase = "3 heartbeats (5,000)", .wall = wall}));
  }

  // 4. The 500 nodes that joined leave.
  {
    World before = world_;
    Begin();
    auto t0 = SteadyClock::now();
    ParallelFor(kNodes, kNodes + kJoining, kLoaderThreads,
                [&](int i) { return loader_->Delete("/api/v1/nodes/" + Node(i).name); });
    for (int i = kNodes; i < kNodes + kJoining; ++i) world_.nodes.erase(i);
    double wall = WaitConverged(*sim_, world_, t0, "leave");
    rows.push_back(Finish({.phase = "4 leave (-500 nodes)", .wall = wall, .floor = wr * kSetsPerLb,
                           .min_writes = ChangedSets(before, world_)}));
    std::printf("phase 4 done: %s s\n", Fixed(wall).c_str());
    std::fflush(stdout);
  }

  // 5. 100 endpoint changes: one pod of each filtered Service moves to another node.
  {
    World before = world_;
    Begin();
    auto t0 = SteadyClock::now();
    std::vector<std::pair<int, int>> keys;
    for (const auto& [key, eps] : world_.endpoints) keys.push_back(key);
    for (auto& [key, eps] : world_.endpoints) {
      auto [k, j] = key;
      eps[0] = k * kNodesPerPool + (j * 37 + 251) % kNodesPerPool;
    }
    ParallelFor(0, static_cast<int>(keys.size()), kLoaderThreads, [&](int i) -> Status {
      auto [k, j] = keys[i];
      std::vector<std::string> names;
      for (int node : world_.endpoints[{k, j}]) names.push_back(Node(node).name);
      std::string name = ServiceName(k, j);
      RETURN_IF_ERROR(loader_->Update(
          "/apis/discovery.k8s.io/v1/namespaces/" + std::string(kNamespace) + "/endpointslices/" + name + "-x7k2p",
          EndpointSliceBody(kNamespace, name, names)));
      return {};
    });
    double wall = WaitConverged(*sim_, world_, t0, "endpoints");
    rows.push_back(Finish({.phase = "5 endpoint changes (100)", .wall = wall,
                           .floor = wr * MaxChangedSetsPerLb(before, world_),
                           .min_writes = ChangedSets(before, world_)}));
  }

  // 6. Restart with nothing changed: SIGTERM (the Lease is released), start again.
  double sync_seconds = 0;
  {
    if (auto st = controller_->Stop(SIGTERM); !st) Die("stop: " + st.error().ToString());
    oci_before_ = TakeOciCounts(*sim_);
    auto t0 = SteadyClock::now();
    if (auto st = controller_->Start(); !st) Die("restart: " + st.error().ToString());
    usage_before_ = {};
    kube_before_ = {};
    sync_seconds = WaitCachesSynced(*controller_, t0);
    std::this_thread::sleep_for(seconds(10));  // a full poll round of every load balancer
    rows.push_back(Finish({.phase = "6 restart, nothing changed", .wall = sync_seconds}));
  }

  // 7. Restart after a node (not hosting endpoints) was deleted while the controller was down.
  double first_write = 0;
  {
    if (auto st = controller_->Stop(SIGTERM); !st) Die("stop: " + st.error().ToString());
    World before = world_;
    int gone = 3 * kNodesPerPool + 499;
    if (auto st = loader_->Delete("/api/v1/nodes/" + Node(gone).name); !st) Die("delete: " + st.error().ToString());
    world_.nodes.erase(gone);
    oci_before_ = TakeOciCounts(*sim_);
    auto t0 = SteadyClock::now();
    if (auto st = controller_->Start(); !st) Die("restart: " + st.error().ToString());
    usage_before_ = {};
    kube_before_ = {};
    double synced = WaitCachesSynced(*controller_, t0);
    double first = -1;
    while (SecondsSince(t0) < 120) {
      if (TakeOciCounts(*sim_).writes() > oci_before_.writes()) {
        first = SecondsSince(t0);
        break;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    if (first < 0) Die("no write after the restart");
    first_write = first - synced;
    double wall = WaitConverged(*sim_, world_, t0, "restart with a change");
    rows.push_back(Finish({.phase = "7 restart, 1 node left while down", .wall = wall,
                           .floor = wr * MaxChangedSetsPerLb(before, world_),
                           .min_writes = ChangedSets(before, world_)}));
  }

  // Each run of the controller is its own process: the peak is the largest of theirs.
  double hwm = controller_->Usage().hwm_mb;
  for (const auto& r : rows) hwm = std::max(hwm, r.peak_rss);
  Print(rows, sync_seconds, first_write, hwm);
  if (auto st = controller_->Stop(SIGTERM); !st) Die("stop: " + st.error().ToString());
  sim_->Stop();
  plane_.Stop();
  // SCALE_BENCH_KEEP=1: keep the controller's logs (for timelines).
  if (const char* keep = std::getenv("SCALE_BENCH_KEEP"); keep == nullptr || std::string(keep) != "1") {
    std::filesystem::remove_all(dir_);
  } else {
    std::printf("kept %s\n", dir_.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace ccm::bench

int main(int /*argc*/, char** argv) {
  google::InitGoogleLogging(argv[0]);
  FLAGS_logtostderr = true;
  // The controller runs with the container image's environment (the Dockerfile's ENV).
  ::setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 1);
  ::setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0", 1);
  ccm::bench::Bench bench;
  return bench.Run();
}
