// Command-line options, parsed and validated before anything starts: a bad flag names itself
// and the process exits non-zero. The flags Oracle's oci-cloud-controller-manager manifests and
// upstream cloud-controller-manager deployments pass are accepted too; each one that has no
// job here is reported in `notes` (one log line each) saying what it means here.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "pkg/base/error.h"

namespace ccm::app {

inline constexpr char kControllerCloudNode[] = "cloud-node";
inline constexpr char kControllerCloudNodeLifecycle[] = "cloud-node-lifecycle";
inline constexpr char kControllerService[] = "service";
// ReservedIP resources -> OCI reserved public IPs. Off unless named: it needs its CRD and RBAC.
inline constexpr char kControllerReservedIP[] = "reservedip";
// Upstream's route controller: accepted in --controllers, never run (OCI VCN routing is not
// managed here).
inline constexpr char kControllerRoute[] = "route";

struct Options {
  std::string kubeconfig;
  std::string master;
  std::string cloud_config;
  std::set<std::string> controllers;  // resolved names
  bool leader_elect = true;
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  std::string lease_name = "cloud-controller-manager";
  std::string lease_namespace = "kube-system";
  int concurrent_service_syncs = 2;
  std::chrono::milliseconds node_monitor_period{5000};
  std::chrono::milliseconds node_status_update_frequency{300000};
  double kube_api_qps = 20;
  int kube_api_burst = 30;
  std::string bind_address = "0.0.0.0";
  int secure_port = 10258;
  std::string tls_cert_file;
  std::string tls_private_key_file;
  std::string controller_namespace = "kube-system";
  std::set<std::string> secret_namespaces;
  std::string cloud_provider = "oci";
  // One line per accepted flag that changes nothing here, for the log at startup.
  std::vector<std::string> notes;
};

struct ControllerSelection {
  std::set<std::string> enabled;  // controllers this binary runs
  bool route_requested = false;   // "route" was enabled (it is not run here)
};

// Resolves "--controllers" the way kube-controller-manager does: "*" enables the defaults,
// "name" enables one, "-name" disables one. "route" is accepted and reported, never run.
Result<ControllerSelection> ResolveControllers(const std::string& flag);

// Reads the gflags defined in options.cc.
Result<Options> OptionsFromFlags();

// --help / -h and --version are answered before gflags parses anything, so gflags' and
// glog's own help (library internals, build paths) never shows.
enum class EarlyExit { kNone, kHelp, kVersion };
EarlyExit ScanForHelpOrVersion(int argc, char** argv);
// The --help page: this binary's flags in groups, glog's --v/--vmodule/--logtostderr under
// Logging, nothing else.
std::string HelpPage();

}  // namespace ccm::app
