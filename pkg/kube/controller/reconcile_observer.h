// Metrics hook of the work-queue driver: one call per sync, with its outcome.
#pragma once

#include <string>

#include "pkg/base/clock.h"
#include "pkg/kube/controller/sync_outcome.h"

namespace ccm::kube {

class ReconcileObserver {
 public:
  virtual ~ReconcileObserver() = default;
  virtual void OnReconcile(const std::string& /*controller*/, const std::string& /*key*/,
                           const SyncOutcome& /*outcome*/, Clock::Duration /*took*/) {}
};

}  // namespace ccm::kube
