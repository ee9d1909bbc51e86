// The OCI simulator as an in-process HTTP(S) server on loopback: one port serves Load
// Balancer, Network Load Balancer, Compute, IMDS v2, the federation endpoint and the
// control API (/_sim/). For C++ integration tests; build/bin/oci-sim wraps the same class.
//
//   ccm::ocisim::Simulator sim;            // TLS by default, free port
//   ASSERT_TRUE(sim.Start());
//   sim.service().verifier().AddKey(key_id, public_pem);
//   sim.service().ReplaceState(R"({"loadBalancers":[...]})");
//   client endpoint: sim.url(), trust sim.ca_pem().
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "pkg/base/error.h"
#include "test/ocisim/service.h"

namespace ccm::ocisim {

struct SimulatorOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = pick a free port
  bool tls = true;
  std::chrono::milliseconds work_request_latency{50};
  std::chrono::milliseconds public_ip_latency{50};
  uint64_t fault_seed = 1;
};

class Simulator {
 public:
  explicit Simulator(SimulatorOptions options = {});
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Generates the test CA and server certificate, binds, and serves on a background thread.
  Status Start();
  void Stop();

  int port() const { return port_; }
  // "https://127.0.0.1:PORT" (or http://): point every OCI endpoint here.
  std::string url() const;
  // PEM of the CA that issued the server certificate (and the IMDS identity chain).
  const std::string& ca_pem() const { return ca_.cert_pem; }
  SimService& service() { return *service_; }

 private:
  struct Server;
  SimulatorOptions options_;
  testing::KeyPair ca_;
  std::unique_ptr<SimService> service_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace ccm::ocisim
