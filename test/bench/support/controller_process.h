// The built controller binary as a child process, observed from outside the way an operator
// would: /proc for memory and CPU, its HTTPS /metrics, its log.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/base/error.h"

namespace ccm::bench {

struct ControllerProcessOptions {
  std::string binary;        // build/bin/oci-lb-registrar-ccm
  std::vector<std::string> args;
  std::string dir;           // where logs go (controller-<n>.log)
  int metrics_port = 0;      // the --secure-port it was given
  std::string serving_ca_pem;  // trust for its serving certificate
};

struct ProcessUsage {
  double rss_mb = 0;   // VmRSS
  double hwm_mb = 0;   // VmHWM: peak RSS since the process started
  double anon_mb = 0;  // RssAnon: heap, stacks, relocated data
  double file_mb = 0;  // RssFile + RssShmem: pages of the binary and shared libraries
  double cpu_seconds = 0;  // user + system
};

class ControllerProcess {
 public:
  explicit ControllerProcess(ControllerProcessOptions options);
  ~ControllerProcess();

  Status Start();
  // Sends `signal` and waits up to `timeout` for the exit; SIGKILL after that.
  Status Stop(int signal, std::chrono::seconds timeout = std::chrono::seconds(30));
  bool running() const { return pid_ > 0; }

  // Usage now, and the largest VmRSS sampled (every 50 ms) since the last ResetPeak().
  ProcessUsage Usage() const;
  double SampledPeakRssMb();
  // The sample that set the peak, split into anonymous and file-backed pages.
  ProcessUsage SampledPeak();
  void ResetPeak();

  // Sum of every series of `family` in /metrics, by the value of `label` ("" = one total).
  Result<std::map<std::string, double>> ScrapeCounter(const std::string& family, const std::string& label);
  // Whether the current run's log has a line containing `needle`.
  bool LogContains(const std::string& needle) const;
  const std::string& log_path() const { return log_path_; }

 private:
  void Sample();

  ControllerProcessOptions options_;
  pid_t pid_ = -1;
  int runs_ = 0;
  std::string log_path_;
  std::thread sampler_;
  std::atomic<bool> stop_sampler_{false};
  mutable std::mutex mu_;
  ProcessUsage peak_{};
};

}  // namespace ccm::bench
