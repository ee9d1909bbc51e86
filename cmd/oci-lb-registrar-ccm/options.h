// Command-line options, parsed and validated before anything starts: a bad flag names itself
// and the process exits non-zero.
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
};

// Resolves "--controllers" the way kube-controller-manager does: "*" enables the defaults,
// "name" enables one, "-name" disables one.
Result<std::set<std::string>> ResolveControllers(const std::string& flag);

// Reads the gflags defined in options.cc.
Result<Options> OptionsFromFlags();

}  // namespace ccm::app
