// oci-sim: the OCI simulator as a process, for the demo and the SDK fidelity tests.
//   oci-sim --port=0 --tls-ca-out=/tmp/ca.pem --ready-file=/tmp/port --key=KEYID=pub.pem
#include <gflags/gflags.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "test/ocisim/simulator.h"

DEFINE_string(host, "127.0.0.1", "address to listen on (loopback only in tests)");
DEFINE_int32(port, 0, "port to listen on; 0 picks a free port (see --ready-file)");
DEFINE_bool(tls, true, "serve HTTPS with a certificate from a generated test CA");
DEFINE_string(tls_ca_out, "", "write the test CA certificate (PEM) here so clients can trust it");
DEFINE_string(state, "", "JSON file seeding the state (same shape as PUT /_sim/state)");
DEFINE_int32(work_request_latency_ms, 50, "how long a work request takes to complete");
DEFINE_int32(public_ip_latency_ms, 50, "how long a public IP stays in a transitional lifecycleState");
DEFINE_string(key, "", "comma-separated KEYID=PUBLIC_KEY_PEM_FILE pairs to accept signatures from");
DEFINE_string(keys_file, "", "file with one KEYID=PUBLIC_KEY_PEM_FILE per line");
DEFINE_string(ready_file, "", "written with the chosen port once listening");
DEFINE_uint64(fault_seed, 1, "seed of the fault-injection RNG");

namespace {

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << content;
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

bool AddKey(ccm::ocisim::SimService& service, const std::string& spec) {
  size_t eq = spec.rfind('=');
  if (eq == std::string::npos) {
    std::cerr << "oci-sim: --key '" << spec << "' must be KEYID=PUBLIC_KEY_PEM_FILE\n";
    return false;
  }
  std::string pem;
  if (!ReadFile(spec.substr(eq + 1), pem)) {
    std::cerr << "oci-sim: cannot read public key file " << spec.substr(eq + 1) << "\n";
    return false;
  }
  if (auto st = service.verifier().AddKey(spec.substr(0, eq), pem); !st) {
    std::cerr << "oci-sim: " << st.error().ToString() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  gflags::SetUsageMessage("OCI simulator: Load Balancer, Network Load Balancer, Compute, public/private IPs, IMDS v2 "
                          "and federation on one loopback port; control API under /_sim/");
  gflags::ParseCommandLineFlags(&argc, &argv, true);

  // Block the stop signals before any thread starts so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ccm::ocisim::SimulatorOptions options;
  options.host = FLAGS_host;
  options.port = FLAGS_port;
  options.tls = FLAGS_tls;
  options.work_request_latency = std::chrono::milliseconds(FLAGS_work_request_latency_ms);
  options.public_ip_latency = std::chrono::milliseconds(FLAGS_public_ip_latency_ms);
  options.fault_seed = FLAGS_fault_seed;
  ccm::ocisim::Simulator sim(options);
  if (auto st = sim.Start(); !st) {
    std::cerr << "oci-sim: " << st.error().ToString() << "\n";
    return 1;
  }
  auto& service = sim.service();
  if (!FLAGS_state.empty()) {
    std::string state;
    if (!ReadFile(FLAGS_state, state)) {
      std::cerr << "oci-sim: cannot read --state file " << FLAGS_state << "\n";
      return 1;
    }
    if (auto st = service.ReplaceState(state); !st) {
      std::cerr << "oci-sim: --state " << FLAGS_state << ": " << st.error().ToString() << "\n";
      return 1;
    }
  }
  std::stringstream keys(FLAGS_key);
  for (std::string spec; std::getline(keys, spec, ',');) {
    if (!spec.empty() && !AddKey(service, spec)) return 1;
  }
  if (!FLAGS_keys_file.empty()) {
    std::ifstream in(FLAGS_keys_file);
    if (!in) {
      std::cerr << "oci-sim: cannot read --keys-file " << FLAGS_keys_file << "\n";
      return 1;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#' && !AddKey(service, line)) return 1;
    }
  }
  if (!FLAGS_tls_ca_out.empty() && !WriteFileAtomically(FLAGS_tls_ca_out, sim.ca_pem())) {
    std::cerr << "oci-sim: cannot write --tls-ca-out " << FLAGS_tls_ca_out << "\n";
    return 1;
  }
  if (!FLAGS_ready_file.empty() &&
      !WriteFileAtomically(FLAGS_ready_file, std::to_string(sim.port()) + "\n")) {
    std::cerr << "oci-sim: cannot write --ready-file " << FLAGS_ready_file << "\n";
    return 1;
  }
  std::cout << "oci-sim listening on " << sim.url() << std::endl;

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cout << "oci-sim: stopping on signal " << sig << std::endl;
  // Nothing to flush: state is in memory by design. Skip waiting for idle keep-alive clients.
  std::_Exit(0);
}
