// Where the API server is and how to authenticate to it: from the pod's service account
// (in-cluster) or from a kubeconfig, as client-go's rest.InClusterConfig and
// clientcmd.BuildConfigFromFlags do. TLS verification is always on: a kubeconfig asking for
// insecure-skip-tls-verify is rejected. Key material is kept in memory only.
#pragma once

#include <memory>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"
#include "pkg/kube/client/request_observer.h"
#include "pkg/kube/client/token_source.h"

namespace ccm::kube {

struct RestConfig {
  std::string host;                           // "https://10.0.0.1:443", no trailing slash
  TlsConfig tls;                              // CA and client certificate, PEM in memory
  std::shared_ptr<TokenSource> token_source;  // null: no bearer token (client certificates)
  double qps = 20;                            // client-side limit for non-watch requests
  int burst = 30;
  std::string user_agent = "oci-lb-registrar-ccm";
  std::string description;                    // where it came from, for logs (no secrets)
  RequestObserver* observer = nullptr;        // not owned; must outlive the client
};

struct InClusterOptions {
  std::string token_file = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  std::string ca_file = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  // Empty: read KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT.
  std::string host;
  std::string port;
};

// `clock` times the token file's re-reads; it must outlive the config's token source.
Result<RestConfig> LoadInClusterConfig(const InClusterOptions& options, const Clock& clock);

struct KubeconfigOptions {
  // Explicit file; empty = the first entry of $KUBECONFIG (a colon-separated list: only its
  // first file is read, merging is not supported), else ~/.kube/config.
  std::string path;
  std::string master;   // overrides the cluster's server URL (--master)
  std::string context;  // empty = current-context
};

// The kubeconfig file that LoadKubeconfig would read for `explicit_path` (may not exist).
std::string ResolveKubeconfigPath(const std::string& explicit_path);

Result<RestConfig> LoadKubeconfig(const KubeconfigOptions& options, const Clock& clock);
// Parses kubeconfig YAML; relative file paths inside resolve against `base_dir`.
Result<RestConfig> ParseKubeconfig(const std::string& yaml_text, const std::string& base_dir,
                                   const KubeconfigOptions& options, const Clock& clock);

// --kubeconfig / --master semantics: both empty and running in a pod -> in-cluster;
// otherwise the kubeconfig (with `master` overriding its server). With only `master` and no
// kubeconfig file, the in-cluster credentials are used against `master` when present.
Result<RestConfig> BuildRestConfig(const std::string& kubeconfig_path, const std::string& master,
                                   const Clock& clock, const InClusterOptions& in_cluster = {});

}  // namespace ccm::kube
