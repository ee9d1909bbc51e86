// Helpers every end-to-end benchmark shares: timing, formatting, failing loudly, parallel
// load generation, and the OCI simulator's counters and state.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "test/ocisim/simulator.h"

namespace ccm::bench {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point t0);
std::string Fixed(double v, int digits = 1);
// A file of the source tree ($CCM_SOURCE_DIR, default "."), or "" when unreadable.
std::string ReadSource(const std::string& rel);
// Prints "FAILED: <what>" to stdout and exits 1: a benchmark that cannot measure must not
// print numbers.
[[noreturn]] void Die(const std::string& what);

// Runs fn(i) for i in [begin, end) on `threads` threads; dies on the first error.
void ParallelFor(int begin, int end, int threads, const std::function<Status(int)>& fn);

bool IsNetworkLoadBalancer(const std::string& lb_id);

// The simulator's counters at one moment.
struct OciCounts {
  int64_t writes_classic = 0;  // UpdateBackendSet, CreateBackend, UpdateBackend, DeleteBackend
  int64_t writes_network = 0;
  int64_t conflicts = 0;  // 409 answers to any operation
  int64_t calls = 0;      // every OCI call, reads included

  int64_t writes() const { return writes_classic + writes_network; }
  OciCounts operator-(const OciCounts& o) const;
};
OciCounts TakeOciCounts(ocisim::Simulator& sim);

// Sorted backend names ("ip:port", or "instance-ocid:port" on a network load balancer).
std::vector<std::string> BackendNames(ocisim::Simulator& sim, const std::string& lb_id, const std::string& set);

// Waits until the simulator has answered no call for `quiet`; dies after `limit`.
void WaitOciQuiet(ocisim::Simulator& sim, std::chrono::milliseconds quiet = std::chrono::milliseconds(3000),
                  std::chrono::seconds limit = std::chrono::seconds(180));

}  // namespace ccm::bench
