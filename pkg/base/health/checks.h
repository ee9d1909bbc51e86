// Named health and readiness checks and the reports /healthz and /readyz serve, in the
// Kubernetes style: "ok" when everything passes, else one [+]/[-] line per check.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "pkg/base/error.h"
#include "pkg/base/mutex.h"

namespace ccm::health {

// An error means unhealthy; its message is served to whoever can reach the port, so it must
// not carry secrets. Checks run on the server's threads: thread-safe, quick, non-blocking.
using HealthCheck = std::function<Status()>;
// True once ready (e.g. "informers-synced"); evaluated on every request.
using ReadinessCheck = std::function<bool()>;

struct [[nodiscard]] CheckReport {
  bool ok = true;
  std::string body;
};

class Checks {
 public:
  // Adding a name again replaces that check.
  void AddHealthCheck(std::string name, HealthCheck check);
  void AddReadinessCheck(std::string name, ReadinessCheck check);

  // Body "ok" when passing (or the full list when `verbose`); on failure every check is
  // listed, failing ones with their message, ending "healthz check failed".
  CheckReport Health(bool verbose = false) const;
  CheckReport Readiness(bool verbose = false) const;

 private:
  mutable Mutex mu_;
  std::map<std::string, HealthCheck> health_ GUARDED_BY(mu_);
  std::map<std::string, ReadinessCheck> readiness_ GUARDED_BY(mu_);
};

}  // namespace ccm::health
