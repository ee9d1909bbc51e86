// Runs build/bin/oci-sim as a child process on a free port (the child dies with the test,
// PR_SET_PDEATHSIG), for tests that need the simulator out of process.
//
//   ccm::ocisim::SimProcess sim;
//   ASSERT_TRUE(sim.Start());
//   sim.control().ReplaceState(...);   // sim.url(), sim.ca_pem(), sim.ca_file()
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "test/ocisim/sim_control.h"

namespace ccm::ocisim {

struct SimProcessOptions {
  // Empty: $OCI_SIM_BINARY, else $CCM_BINARY_DIR/bin/oci-sim, else ../bin/oci-sim next to
  // the running test binary.
  std::string binary;
  bool tls = true;
  int64_t work_request_latency_ms = 50;
  std::string state_file;           // --state
  std::vector<std::string> keys;    // --key entries, "KEYID=PUBLIC_KEY_PEM_FILE"
  std::vector<std::string> extra_args;
  std::chrono::seconds start_timeout{20};
};

class SimProcess {
 public:
  explicit SimProcess(SimProcessOptions options = {});
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  Status Start();
  void Stop();  // SIGTERM, then SIGKILL after a grace period

  int port() const { return port_; }
  std::string url() const;
  const std::string& ca_pem() const { return ca_pem_; }
  const std::string& ca_file() const { return ca_file_; }
  const std::string& log_file() const { return log_file_; }
  pid_t pid() const { return pid_; }
  SimControl& control() { return *control_; }

  static Result<std::string> FindBinary();

 private:
  SimProcessOptions options_;
  std::string dir_, ca_file_, ca_pem_, log_file_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::unique_ptr<SimControl> control_;
};

}  // namespace ccm::ocisim
