#include "cmd/oci-lb-registrar-ccm/options.h"

#include <gflags/gflags.h>

#include <cstdlib>
#include <string_view>

#include "cmd/oci-lb-registrar-ccm/help_text.h"
#include "pkg/base/strings.h"

DEFINE_string(kubeconfig, "", "Path to a kubeconfig file. Empty: $KUBECONFIG, then the in-cluster service account.");
DEFINE_string(master, "", "The Kubernetes API server address; overrides the kubeconfig's server.");
DEFINE_string(cloud_config, "", "Path to the cloud-config YAML (Oracle's cloud-provider.yaml shape plus this "
                                "controller's sections; see docs/configuration.md). Required.");
DEFINE_string(controllers, "*",
              "Controllers to run: '*' for all (cloud-node, cloud-node-lifecycle, service), 'name' to enable, "
              "'-name' to disable, comma-separated. 'service' is the load-balancer registrar. 'reservedip' (OCI "
              "reserved public IPs as ReservedIP resources) runs only when named, e.g. '*,reservedip'. 'route' is "
              "accepted and not run (OCI VCN routing is not managed).");
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
// Flags of Oracle's oci-cloud-controller-manager manifests and upstream cloud-controller-manager;
// accepted so a deployment switches by changing only the image.
DEFINE_string(cloud_provider, "oci", "The cloud provider: 'oci' (or 'external'); this binary implements only OCI.");
DEFINE_bool(use_service_account_credentials, false,
            "Accepted for compatibility: every controller uses this process's own credentials (--kubeconfig, else "
            "the pod's ServiceAccount); no per-controller ServiceAccounts are created.");
DEFINE_bool(configure_cloud_routes, true,
            "Accepted for compatibility: there is no route controller here; OCI VCN route tables are not managed.");
DEFINE_bool(allocate_node_cidrs, false,
            "Accepted for compatibility: pod CIDRs are not allocated here (use the CNI's or kube-controller-manager's "
            "IPAM).");
DEFINE_string(cluster_cidr, "", "Accepted for compatibility: only used for node CIDR allocation, which is not done here.");
DEFINE_string(cluster_name, "kubernetes",
              "Accepted for compatibility: upstream names load balancers it creates after it; load balancers here "
              "are pre-existing and keep their names.");
DEFINE_string(authentication_kubeconfig, "",
              "Accepted for compatibility: the HTTPS endpoints serve only /healthz, /readyz and /metrics and do not "
              "delegate authentication; the file is not read.");
DEFINE_string(authorization_kubeconfig, "",
              "Accepted for compatibility: the HTTPS endpoints do not delegate authorization; the file is not read.");

DECLARE_int32(v);
DECLARE_string(vmodule);
DECLARE_bool(logtostderr);

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

bool SetOnCommandLine(const char* name) {
  gflags::CommandLineFlagInfo info;
  return gflags::GetCommandLineFlagInfo(name, &info) && !info.is_default;
}

// One line for each accepted compatibility flag the command line set.
void AddCompatibilityNotes(std::vector<std::string>& notes) {
  if (SetOnCommandLine("cloud_provider")) {
    notes.push_back("--cloud-provider=" + FLAGS_cloud_provider + ": this binary is the OCI provider");
  }
  if (SetOnCommandLine("use_service_account_credentials")) {
    notes.push_back("--use-service-account-credentials=" + std::string(FLAGS_use_service_account_credentials ? "true" : "false") +
                    ": every controller uses this process's own credentials (its ServiceAccount in a pod); no "
                    "per-controller ServiceAccounts are used");
  }
  if (SetOnCommandLine("configure_cloud_routes")) {
    notes.push_back(FLAGS_configure_cloud_routes
                        ? "--configure-cloud-routes=true: no route controller here; OCI VCN routing is not managed"
                        : "--configure-cloud-routes=false: nothing to do (no route controller here)");
  }
  if (SetOnCommandLine("allocate_node_cidrs")) {
    notes.push_back("--allocate-node-cidrs=" + std::string(FLAGS_allocate_node_cidrs ? "true" : "false") +
                    ": pod CIDRs are not allocated here");
  }
  if (SetOnCommandLine("cluster_cidr")) {
    notes.push_back("--cluster-cidr=" + FLAGS_cluster_cidr + ": not used (no node CIDR allocation here)");
  }
  if (SetOnCommandLine("cluster_name")) {
    notes.push_back("--cluster-name=" + FLAGS_cluster_name +
                    ": not used (load balancers are pre-existing; none are created or named)");
  }
  if (SetOnCommandLine("authentication_kubeconfig")) {
    notes.push_back("--authentication-kubeconfig: not read (the HTTPS endpoints serve only health and metrics, "
                    "without delegated authentication)");
  }
  if (SetOnCommandLine("authorization_kubeconfig")) {
    notes.push_back("--authorization-kubeconfig: not read (the HTTPS endpoints do not delegate authorization)");
  }
}

}  // namespace

Result<ControllerSelection> ResolveControllers(const std::string& flag) {
  const std::set<std::string> all = {kControllerCloudNode, kControllerCloudNodeLifecycle, kControllerService};
  std::set<std::string> on;
  bool star = false;
  std::set<std::string> off;
  bool route = false, route_off = false;
  for (const auto& item : SplitTrimmed(flag, ',')) {
    if (item == "*") {
      star = true;
      continue;
    }
    bool disable = item.starts_with("-");
    std::string name = disable ? item.substr(1) : item;
    if (name == "registrar" || name == "loadbalancer") name = kControllerService;
    if (name == kControllerRoute) {
      (disable ? route_off : route) = true;
      continue;
    }
    if (!all.contains(name) && name != kControllerReservedIP) {
      return Fail(ErrorKind::kInvalidArgument, "--controllers: unknown controller \"" + name +
                                                   "\" (known: cloud-node, cloud-node-lifecycle, service, reservedip; "
                                                   "route is accepted and not run)");
    }
    (disable ? off : on).insert(name);
  }
  if (star) on.insert(all.begin(), all.end());
  for (const auto& n : off) on.erase(n);
  return ControllerSelection{.enabled = std::move(on), .route_requested = route && !route_off};
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
  if (auto c = ResolveControllers(FLAGS_controllers); c) {
    o.controllers = std::move(c->enabled);
    if (c->route_requested) {
      o.notes.push_back("--controllers: route is not run here (no route controller; OCI VCN routing is not managed)");
    }
  } else {
    problems.push_back(c.error().message);
  }
  if (FLAGS_cloud_provider != "oci" && FLAGS_cloud_provider != "external") {
    problems.push_back("--cloud-provider=" + FLAGS_cloud_provider + ": must be 'oci' or 'external'");
  }
  o.cloud_provider = FLAGS_cloud_provider;
  AddCompatibilityNotes(o.notes);
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

namespace {

// Which group each flag shows in, and the type --help names ("duration" for the string flags
// parsed as durations). Flags not listed (gflags' and glog's internals) are not shown.
struct FlagPlacement {
  std::string_view name;  // gflags name (underscores)
  std::string_view group;
  std::string_view type;         // empty: from gflags
  std::string_view description;  // empty: from gflags (glog's own texts name its sources)
};
constexpr FlagPlacement kPlacements[] = {
    {"cloud_config", "Generic", ""},
    {"cloud_provider", "Generic", ""},
    {"kubeconfig", "Generic", ""},
    {"master", "Generic", ""},
    {"kube_api_qps", "Generic", ""},
    {"kube_api_burst", "Generic", ""},
    {"bind_address", "Generic", ""},
    {"secure_port", "Generic", ""},
    {"tls_cert_file", "Generic", ""},
    {"tls_private_key_file", "Generic", ""},
    {"use_service_account_credentials", "Generic", ""},
    {"authentication_kubeconfig", "Generic", ""},
    {"authorization_kubeconfig", "Generic", ""},
    {"cluster_name", "Generic", ""},
    {"leader_elect", "Leader election", ""},
    {"leader_elect_lease_duration", "Leader election", "duration"},
    {"leader_elect_renew_deadline", "Leader election", "duration"},
    {"leader_elect_retry_period", "Leader election", "duration"},
    {"leader_elect_resource_lock", "Leader election", ""},
    {"leader_elect_resource_name", "Leader election", ""},
    {"leader_elect_resource_namespace", "Leader election", ""},
    {"controllers", "Controllers", "strings"},
    {"concurrent_service_syncs", "Controllers", ""},
    {"node_monitor_period", "Controllers", "duration"},
    {"node_status_update_frequency", "Controllers", "duration"},
    {"configure_cloud_routes", "Controllers", ""},
    {"allocate_node_cidrs", "Controllers", ""},
    {"cluster_cidr", "Controllers", ""},
    {"registrar_namespace", "OCI", ""},
    {"registrar_secret_namespaces", "OCI", "strings"},
    {"v", "Logging", "int", "Log verbosity: messages at this level and below are logged (2: routine changes)."},
    {"vmodule", "Logging", "", "Per-file verbosity, comma-separated <file pattern>=<level>; overrides --v there."},
    {"logtostderr", "Logging", "", "Log to stderr; false writes log files instead."},
};
constexpr std::string_view kGroupOrder[] = {"Generic", "Leader election", "Controllers", "OCI", "Logging"};

std::string Dashed(std::string name) {
  for (auto& c : name) {
    if (c == '_') c = '-';
  }
  return name;
}

std::string TypeName(const std::string& gflags_type) {
  if (gflags_type == "bool") return "";
  if (gflags_type == "int32" || gflags_type == "int64" || gflags_type == "uint32" || gflags_type == "uint64") return "int";
  if (gflags_type == "double") return "float";
  return gflags_type;
}

bool IsFlag(std::string_view arg, std::string_view name) {
  if (!arg.starts_with("-")) return false;
  arg.remove_prefix(arg.starts_with("--") ? 2 : 1);
  return arg == name || (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=' &&
                         arg.substr(name.size() + 1) != "false");
}

}  // namespace

EarlyExit ScanForHelpOrVersion(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "-h" || IsFlag(arg, "help") || IsFlag(arg, "helpfull") || IsFlag(arg, "helpshort")) return EarlyExit::kHelp;
    if (IsFlag(arg, "version")) return EarlyExit::kVersion;
  }
  return EarlyExit::kNone;
}

std::string HelpPage() {
  std::vector<HelpGroup> groups;
  for (auto title : kGroupOrder) groups.push_back({.title = std::string(title), .flags = {}});
  for (const auto& placement : kPlacements) {
    gflags::CommandLineFlagInfo info;
    if (!gflags::GetCommandLineFlagInfo(std::string(placement.name).c_str(), &info)) continue;
    HelpFlag flag{.name = Dashed(info.name),
                  .type = placement.type.empty() ? TypeName(info.type) : std::string(placement.type),
                  // The current value: main sets its own defaults (logtostderr) before this runs.
                  .default_value = info.current_value,
                  .description = placement.description.empty() ? info.description : std::string(placement.description)};
    for (auto& g : groups) {
      if (g.title == placement.group) g.flags.push_back(std::move(flag));
    }
  }
  return RenderHelp(
      "oci-lb-registrar-ccm: the Kubernetes cloud-controller-manager for Oracle Cloud Infrastructure.\n"
      "It initializes nodes (providerID, addresses, zone labels), handles node lifecycle, and keeps the\n"
      "backend sets of pre-existing OCI load balancers equal to the cluster's nodes.\n\n"
      "Usage:\n  oci-lb-registrar-ccm --cloud-config=/etc/oci/cloud-provider.yaml [flags]\n",
      groups);
}

}  // namespace ccm::app
