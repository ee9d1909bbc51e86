#include "cmd/oci-lb-registrar-ccm/options.h"

#include <gflags/gflags.h>

#include <cstdlib>

#include "pkg/base/strings.h"

DEFINE_string(kubeconfig, "", "Path to a kubeconfig file. Empty: $KUBECONFIG, then the in-cluster service account.");
DEFINE_string(master, "", "The Kubernetes API server address; overrides the kubeconfig's server.");
DEFINE_string(cloud_config, "", "Path to the cloud-config YAML (Oracle's cloud-provider.yaml shape plus this "
                                "controller's sections; see docs/configuration.md). Required.");
DEFINE_string(controllers, "*",
              "Controllers to run: '*' for all (cloud-node, cloud-node-lifecycle, service), 'name' to enable, "
              "'-name' to disable, comma-separated. 'service' is the load-balancer registrar.");
DEFINE_bool(leader_elect, true, "Elect a leader before running controllers (needed with more than one replica).");
DEFINE_string(leader_elect_lease_duration, "15s", "How long a non-leader waits after the last observed renewal before taking over.");
DEFINE_string(leader_elect_renew_deadline, "10s", "How long the leader keeps retrying a renewal before giving up leadership.");
DEFINE_string(leader_elect_retry_period, "2s", "Wait between attempts to acquire or renew the lease.");
DEFINE_string(leader_elect_resource_lock, "leases", "Lock type; only 'leases' (coordination.k8s.io/v1) is supported.");
DEFINE_string(leader_elect_resource_name, "cloud-controller-manager", "Name of the Lease object.");
DEFINE_string(leader_elect_resource_namespace, "kube-system", "Namespace of the Lease object.");
DEFINE_int32(concurrent_service_syncs, 2,
             "Load balancers synchronized in parallel (each has a single writer; a worker is busy only while it "
             "plans and submits, not while a work request runs).");
DEFINE_string(node_monitor_period, "5s", "How often the node lifecycle controller checks NotReady nodes' instances.");
DEFINE_string(node_status_update_frequency, "5m", "How often node addresses are refreshed from OCI.");
DEFINE_double(kube_api_qps, 20, "Client-side queries per second to the Kubernetes API (watches excluded).");
DEFINE_int32(kube_api_burst, 30, "Burst allowed above --kube-api-qps.");
DEFINE_string(bind_address, "0.0.0.0", "Address for the HTTPS /healthz, /readyz and /metrics endpoints.");
DEFINE_int32(secure_port, 10258, "Port for the HTTPS endpoints; 0 disables them.");
DEFINE_string(tls_cert_file, "", "Serving certificate for the HTTPS endpoints; empty: self-signed, in memory.");
DEFINE_string(tls_private_key_file, "", "Key for --tls-cert-file.");
DEFINE_string(registrar_namespace, "",
              "Namespace for the registrar's ownership records (ConfigMaps) and default apiKey Secrets. "
              "Empty: $POD_NAMESPACE, else kube-system.");
DEFINE_string(registrar_secret_namespaces, "",
              "Comma-separated namespaces an LBRegistrar's apiKey Secret may be read from. Empty: only the "
              "registrar namespace.");

namespace ccm::app {
namespace {

Status Duration(const std::string& flag, const std::string& value, std::chrono::milliseconds& out) {
  auto d = ParseDuration(value);
  if (!d || d->count() <= 0) {
    return Fail(ErrorKind::kInvalidArgument,
                "--" + flag + "=" + value + ": must be a positive duration such as 500ms, 15s or 5m");
  }
  out = *d;
  return {};
}

}  // namespace

Result<std::set<std::string>> ResolveControllers(const std::string& flag) {
  const std::set<std::string> all = {kControllerCloudNode, kControllerCloudNodeLifecycle, kControllerService};
  std::set<std::string> on;
  bool star = false;
  std::set<std::string> off;
  for (const auto& item : SplitTrimmed(flag, ',')) {
    if (item == "*") {
      star = true;
      continue;
    }
    bool disable = item.starts_with("-");
    std::string name = disable ? item.substr(1) : item;
    if (name == "registrar" || name == "loadbalancer") name = kControllerService;
    if (!all.contains(name)) {
      return Fail(ErrorKind::kInvalidArgument, "--controllers: unknown controller \"" + name +
                                                   "\" (known: cloud-node, cloud-node-lifecycle, service)");
    }
    (disable ? off : on).insert(name);
  }
  if (star) on.insert(all.begin(), all.end());
  for (const auto& n : off) on.erase(n);
  return on;
}

Result<Options> OptionsFromFlags() {
  Options o;
  std::vector<std::string> problems;
  auto check = [&](Status st) {
    if (!st) problems.push_back(st.error().message);
  };
  o.kubeconfig = FLAGS_kubeconfig;
  o.master = FLAGS_master;
  o.cloud_config = FLAGS_cloud_config;
  if (o.cloud_config.empty()) problems.push_back("--cloud-config is required");
  if (auto c = ResolveControllers(FLAGS_controllers); c) o.controllers = *c;
  else problems.push_back(c.error().message);
  o.leader_elect = FLAGS_leader_elect;
  check(Duration("leader-elect-lease-duration", FLAGS_leader_elect_lease_duration, o.lease_duration));
  check(Duration("leader-elect-renew-deadline", FLAGS_leader_elect_renew_deadline, o.renew_deadline));
  check(Duration("leader-elect-retry-period", FLAGS_leader_elect_retry_period, o.retry_period));
  if (FLAGS_leader_elect_resource_lock != "leases") {
    problems.push_back("--leader-elect-resource-lock=" + FLAGS_leader_elect_resource_lock +
                       ": only 'leases' is supported");
  }
  o.lease_name = FLAGS_leader_elect_resource_name;
  o.lease_namespace = FLAGS_leader_elect_resource_namespace;
  if (FLAGS_concurrent_service_syncs < 1) problems.push_back("--concurrent-service-syncs must be at least 1");
  o.concurrent_service_syncs = FLAGS_concurrent_service_syncs;
  check(Duration("node-monitor-period", FLAGS_node_monitor_period, o.node_monitor_period));
  check(Duration("node-status-update-frequency", FLAGS_node_status_update_frequency, o.node_status_update_frequency));
  if (FLAGS_kube_api_qps <= 0) problems.push_back("--kube-api-qps must be positive");
  if (FLAGS_kube_api_burst < 1) problems.push_back("--kube-api-burst must be at least 1");
  o.kube_api_qps = FLAGS_kube_api_qps;
  o.kube_api_burst = FLAGS_kube_api_burst;
  o.bind_address = FLAGS_bind_address;
  if (FLAGS_secure_port < 0 || FLAGS_secure_port > 65535) problems.push_back("--secure-port must be 0..65535");
  o.secure_port = FLAGS_secure_port;
  o.tls_cert_file = FLAGS_tls_cert_file;
  o.tls_private_key_file = FLAGS_tls_private_key_file;
  if (o.tls_cert_file.empty() != o.tls_private_key_file.empty()) {
    problems.push_back("--tls-cert-file and --tls-private-key-file go together");
  }
  o.controller_namespace = FLAGS_registrar_namespace;
  if (o.controller_namespace.empty()) {
    const char* ns = std::getenv("POD_NAMESPACE");
    o.controller_namespace = ns != nullptr && ns[0] != '\0' ? ns : "kube-system";
  }
  for (const auto& ns : SplitTrimmed(FLAGS_registrar_secret_namespaces, ',')) o.secret_namespaces.insert(ns);
  // Reported with everything else, so one run shows every problem.
  if (!(o.lease_duration > o.renew_deadline)) {
    problems.push_back("--leader-elect-lease-duration must be greater than --leader-elect-renew-deadline");
  }
  if (!(o.renew_deadline.count() > 1.2 * o.retry_period.count())) {
    problems.push_back("--leader-elect-renew-deadline must be greater than 1.2 x --leader-elect-retry-period");
  }
  if (!problems.empty()) {
    std::string msg = "invalid flags:";
    for (const auto& p : problems) msg += "\n  - " + p;
    return Fail(ErrorKind::kInvalidArgument, msg);
  }
  return o;
}

}  // namespace ccm::app
