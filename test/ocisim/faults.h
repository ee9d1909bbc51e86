// Fault injection per operation: throttling, server errors, latency, failed work requests,
// dropped connections and a "down" service. Decisions come from a seeded RNG so a test run
// is reproducible.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"
#include "pkg/base/mutex.h"

namespace ccm::ocisim {

enum class FaultKind { kThrottle, kError, kLatency, kFailWorkRequest, kDrop, kDown };

struct FaultSpec {
  std::string operation = "*";  // SDK operation name ("UpdateBackendSet") or "*"
  std::string service;          // "", or one of loadbalancer|networkloadbalancer|compute|imds|auth
  FaultKind kind = FaultKind::kError;
  double rate = 1.0;            // probability per matching call, 0..1
  int64_t count = -1;           // fire at most this many times; -1 = unlimited
  int status = 500;             // kError
  std::chrono::milliseconds latency{0};      // kLatency
  std::chrono::seconds retry_after{1};       // kThrottle
  std::string message;          // optional error / work request failure message
  int64_t fired = 0;            // how many times it fired so far
};

// JSON: {"operation","service","kind":"throttle|error|latency|failWorkRequest|drop|down",
//        "rate","count","status","latencyMs","retryAfterSeconds","message"}.
Result<FaultSpec> ParseFault(const json::Value& value);
std::string FaultToJson(const FaultSpec& fault);
const char* FaultKindName(FaultKind kind);

// What the injector decided for one call; several faults can apply (latency + error).
struct FaultDecision {
  std::chrono::milliseconds latency{0};
  bool drop = false;
  int status = 0;  // 429 or 5xx to answer instead of handling; 0 = handle normally
  std::chrono::seconds retry_after{0};
  std::string message;
  bool fail_work_request = false;
  std::string work_request_message;
};

class FaultInjector {
 public:
  void SetSeed(uint64_t seed);
  void Add(FaultSpec fault);
  void Replace(std::vector<FaultSpec> faults);
  void Clear();
  std::vector<FaultSpec> List() const;
  FaultDecision Decide(const std::string& service, const std::string& operation);

 private:
  mutable Mutex mu_;
  std::vector<FaultSpec> faults_ GUARDED_BY(mu_);
  std::mt19937_64 rng_{1};
};

}  // namespace ccm::ocisim
