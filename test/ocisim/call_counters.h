// Per-operation call counters (by operation and HTTP status), read by tests to assert how
// many calls a controller made and how they were answered.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "pkg/base/mutex.h"

namespace ccm::ocisim {

class CallCounters {
 public:
  // status 0 = the connection was dropped without an answer.
  void Record(const std::string& service, const std::string& operation, int status);
  // Calls to `operation` (any service when `service` is empty) answered with `status`
  // (any status with kAnyStatus).
  int64_t Count(const std::string& operation, int status = kAnyStatus,
                const std::string& service = "") const;
  void Reset();
  // {"operations": {"UpdateBackendSet": {"total": 3, "204": 2, "409": 1}},
  //  "services": {"loadbalancer": {"UpdateBackendSet": {...}}}}
  std::string Json() const;

  static constexpr int kAnyStatus = -1;

 private:
  mutable Mutex mu_;
  // service -> operation -> status -> count
  std::map<std::string, std::map<std::string, std::map<int, int64_t>>> counts_ GUARDED_BY(mu_);
};

}  // namespace ccm::ocisim
