// oci-lb-registrar-ccm: a cloud-controller-manager for OCI that keeps pre-existing load
// balancer backend sets equal to the cluster's nodes.
#include <gflags/gflags.h>
#include <glog/logging.h>
#include <malloc.h>
#include <signal.h>

#include <iostream>
#include <thread>

#include "cmd/oci-lb-registrar-ccm/controller_manager.h"
#include "cmd/oci-lb-registrar-ccm/help_text.h"
#include "cmd/oci-lb-registrar-ccm/options.h"
#include "cmd/oci-lb-registrar-ccm/controller_metrics.h"
#include "pkg/base/health/health_server.h"
#include "pkg/base/curl_transport.h"
#include "pkg/base/memory_trimmer.h"
#include "pkg/base/metrics/process_metrics.h"
#include "pkg/cloud/config/instance_defaults.h"
#include "pkg/kube/client/rest_config.h"

int main(int argc, char** argv) {
  // glibc gives each thread that allocates its own arena (up to 8 per core) and keeps freed
  // pages in each; with ~17 threads that is MBs of RSS nobody uses. One arena lets every
  // thread reuse what another freed, at no measurable CPU cost here (docs/performance.md).
  mallopt(M_ARENA_MAX, 1);
  // Buffers of 64 KB and up (API list pages, backend-set answers) are mapped on their own and
  // unmapped when freed. Left alone, glibc raises this threshold to the largest block freed
  // so far (up to 32 MB), and later bursts then carve those sizes out of the arenas, where
  // the holes they leave keep the pages resident.
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  mallopt(M_TRIM_THRESHOLD, 256 * 1024);
  // Kubernetes components log to stderr by default; --logtostderr=false still works.
  FLAGS_logtostderr = true;
  switch (ccm::app::ScanForHelpOrVersion(argc, argv)) {
    case ccm::app::EarlyExit::kHelp:
      std::cout << ccm::app::HelpPage();
      return 0;
    case ccm::app::EarlyExit::kVersion:
      std::cout << ccm::app::VersionLine(CCM_VERSION);
      return 0;
    case ccm::app::EarlyExit::kNone:
      break;
  }
  gflags::ParseCommandLineNonHelpFlags(&argc, &argv, true);
  if (argc > 1) {
    std::cerr << "unexpected argument \"" << argv[1] << "\": flags are written --name=value (see --help)\n";
    return 2;
  }
  google::InitGoogleLogging(argv[0]);

  // Signals go to one thread that asks for a clean shutdown.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto options = ccm::app::OptionsFromFlags();
  if (!options) {
    std::cerr << options.error().message << "\n";
    return 2;
  }
  auto config = ccm::cloud::LoadCloudConfig(options->cloud_config);
  if (!config) {
    std::cerr << config.error().message << "\n";
    return 2;
  }
  for (const auto& w : config->warnings) LOG(WARNING) << "cloud-config: " << w;
  for (const auto& note : options->notes) LOG(INFO) << note;
  if (ccm::cloud::NeedsInstanceMetadata(*config)) {
    const std::string before_region = config->auth.region, before_compartment = config->compartment;
    ccm::CurlTransport imds_http(ccm::CurlTransportOptions{.tls = {.ca_pem = config->extra_ca_pem}});
    if (auto st = ccm::cloud::FillFromInstanceMetadata(*config, imds_http); !st) {
      std::cerr << st.error().message << "\n";
      return 2;
    }
    if (before_region.empty()) LOG(INFO) << "region " << config->auth.region << " from instance metadata";
    if (before_compartment.empty()) LOG(INFO) << "compartment " << config->compartment << " from instance metadata";
  }
  auto rest = ccm::kube::BuildRestConfig(options->kubeconfig, options->master, ccm::Clock::Real());
  if (!rest) {
    std::cerr << "Kubernetes client configuration: " << rest.error().message << "\n";
    return 2;
  }
  ccm::metrics::Registry registry;
  ccm::metrics::RegisterProcessMetrics(registry);
  ccm::app::ControllerMetrics metrics(registry);
  rest->qps = options->kube_api_qps;
  rest->burst = options->kube_api_burst;
  rest->observer = &metrics;
  auto client = ccm::kube::HttpRestClient::Create(std::move(*rest), ccm::Clock::Real());
  std::atomic<bool> stopping{false};
  ccm::MemoryTrimmer trimmer(ccm::Clock::Real(), std::chrono::seconds(5));
  auto oci = ccm::cloud::OciApis::Create(*config, ccm::Clock::Real(), &metrics, &stopping);
  if (!oci) {
    std::cerr << "OCI credentials: " << oci.error().ToString() << "\n";
    return 2;
  }
  const int secure_port = options->secure_port;
  ccm::health::HealthServer health({.bind_address = options->bind_address,
                                    .port = secure_port,
                                    .tls_cert_file = options->tls_cert_file,
                                    .tls_private_key_file = options->tls_private_key_file,
                                    .metrics = &registry},
                                   ccm::Clock::Real());
  ccm::app::ControllerManager manager(std::move(*options), std::move(*config), std::move(client), std::move(*oci),
                                      ccm::Clock::Real(), &metrics);
  health.checks().AddHealthCheck("leader-election", [&] { return manager.Healthy(); });
  health.checks().AddReadinessCheck("informers-synced", [&] { return manager.Ready(); });
  if (secure_port != 0) {
    if (auto st = health.Start(); !st) {
      std::cerr << "--secure-port " << secure_port << ": " << st.error().ToString() << "\n";
      return 2;
    }
    LOG(INFO) << "serving /healthz, /readyz and /metrics over HTTPS on port " << health.port();
  }
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    LOG(INFO) << "received signal " << sig << ": shutting down";
    stopping = true;
    manager.Shutdown();
  });
  waiter.detach();
  int code = manager.Run();
  health.Stop();
  LOG(INFO) << "exiting with code " << code;
  return code;
}
