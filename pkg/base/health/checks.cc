#include "pkg/base/health/checks.h"

#include <exception>
#include <vector>

#include "pkg/base/mutex.h"

namespace ccm::health {
namespace {

// One line per check: "[+]name ok" or "[-]name <why>". A throwing check counts as failing.
template <typename Check, typename Evaluate>
CheckReport Report(const std::map<std::string, Check>& checks, const char* endpoint, bool verbose, Evaluate evaluate) {
  CheckReport report;
  std::string lines;
  for (const auto& [name, check] : checks) {
    std::string why;
    try {
      why = evaluate(check);
    } catch (const std::exception& e) {
      why = std::string("failed: check threw: ") + e.what();
    } catch (...) {
      why = "failed: check threw";
    }
    if (why.empty()) {
      lines += "[+]" + name + " ok\n";
    } else {
      report.ok = false;
      lines += "[-]" + name + " " + why + "\n";
    }
  }
  if (report.ok && !verbose) {
    report.body = "ok";
  } else {
    report.body = lines + endpoint + (report.ok ? " check passed\n" : " check failed\n");
  }
  return report;
}

}  // namespace

void Checks::AddHealthCheck(std::string name, HealthCheck check) {
  MutexLock lock(mu_);
  health_[std::move(name)] = std::move(check);
}

void Checks::AddReadinessCheck(std::string name, ReadinessCheck check) {
  MutexLock lock(mu_);
  readiness_[std::move(name)] = std::move(check);
}

CheckReport Checks::Health(bool verbose) const {
  std::map<std::string, HealthCheck> checks;
  {
    MutexLock lock(mu_);
    checks = health_;  // run outside the lock: a slow check must not block registration
  }
  return Report(checks, "healthz", verbose, [](const HealthCheck& check) -> std::string {
    if (!check) return "";
    Status s = check();
    if (s) return "";
    std::string message = s.error().message;
    for (char& c : message) {
      if (c == '\n' || c == '\r') c = ' ';  // keep one line per check
    }
    return "failed: " + message;
  });
}

CheckReport Checks::Readiness(bool verbose) const {
  std::map<std::string, ReadinessCheck> checks;
  {
    MutexLock lock(mu_);
    checks = readiness_;
  }
  return Report(checks, "readyz", verbose, [](const ReadinessCheck& check) -> std::string {
    return !check || check() ? "" : "not ready";
  });
}

}  // namespace ccm::health
