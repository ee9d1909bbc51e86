#include "pkg/oci/clients/work_request_waiter.h"

#include <algorithm>
#include <random>

namespace ccm::oci {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out;
}

}  // namespace

Result<WorkRequestState> WorkRequestWaiter::Wait(BackendSetApi& api, const std::string& id,
                                                 const std::atomic<bool>* cancel) {
  return Wait([&]() { return api.GetWorkRequest(id); }, id, cancel);
}

Result<WorkRequestState> WorkRequestWaiter::Wait(const Poll& poll, const std::string& id,
                                                 const std::atomic<bool>* cancel) {
  const Clock& clock = sleeper_.clock();
  const auto deadline = clock.Now() + options_.timeout;
  Backoff backoff({options_.initial_poll, options_.max_poll, options_.factor, options_.jitter},
                  std::random_device{}());
  std::string last_status = "unknown";
  while (true) {
    if (cancel != nullptr && cancel->load()) {
      return Fail(ErrorKind::kCanceled, "stopped waiting for work request " + id + ": shutting down");
    }
    auto state = poll();
    if (!state) {
      if (!state.error().retryable) return Fail(state.error().Wrap("polling work request " + id));
    } else {
      last_status = state->status;
      switch (state->phase) {
        case WorkRequestPhase::kSucceeded: return state;
        case WorkRequestPhase::kFailed: {
          std::string details = Join(state->errors);
          if (details.empty()) details = state->message.empty() ? "no error details" : state->message;
          Error e = MakeError(ErrorKind::kInternal, "work request " + id + " failed: " + details);
          e.code = "WorkRequestFailed";
          return Fail(std::move(e));
        }
        case WorkRequestPhase::kCanceled: {
          Error e = MakeError(ErrorKind::kCanceled, "work request " + id + " was canceled");
          e.code = "WorkRequestCanceled";
          return Fail(std::move(e));
        }
        case WorkRequestPhase::kPending: break;
      }
    }
    auto now = clock.Now();
    if (now >= deadline) {
      Error e = MakeError(ErrorKind::kTimeout,
                          "work request " + id + " still " + last_status + " after " +
                              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options_.timeout).count()) +
                              " s");
      e.code = "WorkRequestTimeout";
      return Fail(std::move(e));
    }
    auto wake = std::min<Clock::TimePoint>(deadline, now + backoff.Next());
    if (!sleeper_.SleepUntil(wake, cancel)) {
      return Fail(ErrorKind::kCanceled, "stopped waiting for work request " + id + ": shutting down");
    }
  }
}

}  // namespace ccm::oci
