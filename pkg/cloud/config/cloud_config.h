// The --cloud-config file: Oracle's cloud-provider.yaml shape (auth, compartment, vcn,
// rateLimiter) plus this controller's own sections. Parsing reports every problem at once,
// each naming its field, so the controller never starts half-configured.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"

namespace ccm::cloud {

struct AuthConfig {
  std::string region;  // empty: from instance metadata at startup (instance_defaults.h)
  std::string tenancy;
  std::string user;
  std::string private_key_pem;  // from `key` or read from `key_file`; never logged
  std::string key_file;         // where it came from, for messages
  std::string fingerprint;
  std::string passphrase;       // never logged
};

struct RateLimits {
  double read_qps = 20;
  int read_burst = 5;
  double write_qps = 20;
  int write_burst = 5;
};

// Base URLs; empty means OCI's public endpoint for the region.
struct Endpoints {
  std::string load_balancer;          // https://iaas.{region}.{realm domain}
  std::string network_load_balancer;  // https://network-load-balancer-api.{region}.oci.{realm domain}
  std::string compute;                // https://iaas.{region}.{realm domain}
  std::string auth;                   // https://auth.{region}.{realm domain}
  std::string metadata;               // http://169.254.169.254/opc/v2 (v1 fallback beside it)
};

struct RegistrarConfig {
  // Load balancers a Service annotation may target: OCIDs, or any load balancer in one of
  // these compartments. Both empty: annotated Services may target no load balancer.
  std::vector<std::string> allowed_load_balancers;
  std::vector<std::string> allowed_compartments;
  std::chrono::seconds drain_period{30};
  std::chrono::seconds resync_period{300};
  std::chrono::seconds work_request_timeout{600};
};

struct CloudConfig {
  bool use_instance_principals = false;
  AuthConfig auth;
  std::string compartment;  // empty: from instance metadata at startup (instance_defaults.h)
  std::string vcn;
  RateLimits rate_limits;
  // How long one OCI request attempt may take before it is abandoned and retried.
  std::chrono::milliseconds request_timeout{30000};
  Endpoints endpoints;
  std::string extra_ca_pem;  // from caBundle (inline PEM) or caBundleFile
  RegistrarConfig registrar;
  std::vector<std::string> warnings;  // ignored keys, deprecated spellings
};

// `read_file` reads key_file / caBundleFile; injected so tests need no files.
using FileReader = Result<std::string> (*)(const std::string& path);
Result<std::string> ReadWholeFile(const std::string& path);

Result<CloudConfig> ParseCloudConfig(std::string_view yaml, FileReader read_file = &ReadWholeFile);
Result<CloudConfig> LoadCloudConfig(const std::string& path);

}  // namespace ccm::cloud
