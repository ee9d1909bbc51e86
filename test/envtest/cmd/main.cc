// envtest-control-plane: the test control plane for shell scripts (the demo, manual testing).
// Starts etcd + kube-apiserver, writes `--env-file` (KUBECONFIG=..., KUBE_API=...), prints the
// kubeconfig path, and stops everything on SIGTERM/SIGINT.
#include <gflags/gflags.h>
#include <signal.h>

#include <fstream>
#include <iostream>

#include "test/envtest/control_plane.h"

DEFINE_string(env_file, "", "Write KUBECONFIG=<path> and KUBE_API=<url> here once ready.");
DEFINE_string(kubeconfig_out, "", "Also copy the kubeconfig to this path.");

int main(int argc, char** argv) {
  gflags::SetUsageMessage("Starts a real kube-apiserver + etcd on loopback until SIGTERM/SIGINT.");
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ccm::envtest::ControlPlane plane;
  if (auto st = plane.Start(); !st) {
    std::cerr << "control plane failed to start: " << st.error().ToString() << "\n";
    return 1;
  }
  std::string kubeconfig = plane.kubeconfig_path();
  if (!FLAGS_kubeconfig_out.empty()) {
    std::ifstream in(kubeconfig);
    std::ofstream out(FLAGS_kubeconfig_out, std::ios::trunc);
    out << in.rdbuf();
    kubeconfig = FLAGS_kubeconfig_out;
  }
  if (!FLAGS_env_file.empty()) {
    std::ofstream env(FLAGS_env_file, std::ios::trunc);
    env << "KUBECONFIG=" << kubeconfig << "\nKUBE_API=" << plane.url() << "\nKUBE_VERSION=" << plane.server_version()
        << "\n";
  }
  std::cout << "kube-apiserver " << plane.server_version() << " ready at " << plane.url() << "\nKUBECONFIG=" << kubeconfig
            << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  plane.Stop();
  return 0;
}
