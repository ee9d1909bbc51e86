// Waits for an OCI work request on the calling thread (each load balancer has its own
// writer, so one slow work request never holds up another load balancer). Polls with
// growing intervals through the injected Sleeper, stops at a deadline, and gives up
// promptly when the cancel flag is set (shutdown).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "pkg/base/backoff.h"
#include "pkg/base/error.h"
#include "pkg/oci/clients/backend_set_api.h"
#include "pkg/oci/transport/sleeper.h"

namespace ccm::oci {

struct WorkRequestWaitOptions {
  std::chrono::milliseconds initial_poll{250};
  std::chrono::milliseconds max_poll{5000};
  double factor = 2.0;
  double jitter = 0.2;
  std::chrono::milliseconds timeout{std::chrono::minutes(20)};
};

class WorkRequestWaiter {
 public:
  using Poll = std::function<Result<WorkRequestState>()>;

  explicit WorkRequestWaiter(Sleeper& sleeper, WorkRequestWaitOptions options = {})
      : sleeper_(sleeper), options_(options) {}

  // SUCCEEDED: the final state. FAILED: kInternal, code "WorkRequestFailed", OCI's error
  // details in the message. CANCELED: kCanceled, code "WorkRequestCanceled". Deadline:
  // kTimeout, code "WorkRequestTimeout" (retryable). `cancel` set: kCanceled, no code.
  // A poll failing with a retryable error is polled again; other poll errors are returned.
  Result<WorkRequestState> Wait(BackendSetApi& api, const std::string& work_request_id,
                                const std::atomic<bool>* cancel = nullptr);
  Result<WorkRequestState> Wait(const Poll& poll, const std::string& work_request_id,
                                const std::atomic<bool>* cancel = nullptr);

 private:
  Sleeper& sleeper_;
  WorkRequestWaitOptions options_;
};

}  // namespace ccm::oci
