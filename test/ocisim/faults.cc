#include "test/ocisim/faults.h"

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"

namespace ccm::ocisim {

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kThrottle: return "throttle";
    case FaultKind::kError: return "error";
    case FaultKind::kLatency: return "latency";
    case FaultKind::kFailWorkRequest: return "failWorkRequest";
    case FaultKind::kDrop: return "drop";
    case FaultKind::kDown: return "down";
  }
  return "error";
}

Result<FaultSpec> ParseFault(const json::Value& value) {
  if (!value.IsObject()) return Fail(ErrorKind::kInvalidArgument, "fault must be a JSON object");
  FaultSpec f;
  ASSIGN_OR_RETURN(auto op, json::String(value, "operation", "fault"));
  if (!op.empty()) f.operation = op;
  ASSIGN_OR_RETURN(auto service, json::String(value, "service", "fault"));
  f.service = service;
  ASSIGN_OR_RETURN(auto kind, json::String(value, "kind", "fault", true));
  bool known = false;
  for (FaultKind k : {FaultKind::kThrottle, FaultKind::kError, FaultKind::kLatency,
                      FaultKind::kFailWorkRequest, FaultKind::kDrop, FaultKind::kDown}) {
    if (kind == FaultKindName(k)) {
      f.kind = k;
      known = true;
    }
  }
  if (!known) {
    return Fail(ErrorKind::kInvalidArgument,
                "fault.kind '" + kind + "' is unknown: use throttle, error, latency, "
                "failWorkRequest, drop or down");
  }
  if (const auto* rate = json::Find(value, "rate")) {
    if (!rate->IsNumber() || rate->GetDouble() < 0 || rate->GetDouble() > 1) {
      return Fail(ErrorKind::kInvalidArgument, "fault.rate must be a number in 0..1");
    }
    f.rate = rate->GetDouble();
  }
  ASSIGN_OR_RETURN(auto count, json::Int(value, "count", "fault", false, -1));
  f.count = count;
  ASSIGN_OR_RETURN(auto status, json::Int(value, "status", "fault", false, 500));
  f.status = static_cast<int>(status);
  if (f.kind == FaultKind::kError && (f.status < 400 || f.status > 599)) {
    return Fail(ErrorKind::kInvalidArgument, "fault.status must be an HTTP error status (4xx/5xx)");
  }
  ASSIGN_OR_RETURN(auto latency, json::Int(value, "latencyMs", "fault"));
  f.latency = std::chrono::milliseconds(latency);
  ASSIGN_OR_RETURN(auto retry_after, json::Int(value, "retryAfterSeconds", "fault", false, 1));
  f.retry_after = std::chrono::seconds(retry_after);
  ASSIGN_OR_RETURN(auto message, json::String(value, "message", "fault"));
  f.message = message;
  return f;
}

std::string FaultToJson(const FaultSpec& f) {
  std::string out = "{\"operation\":";
  json::AppendQuoted(out, f.operation);
  out += ",\"service\":";
  json::AppendQuoted(out, f.service);
  out += ",\"kind\":";
  json::AppendQuoted(out, FaultKindName(f.kind));
  out += ",\"rate\":" + std::to_string(f.rate) + ",\"count\":" + std::to_string(f.count) +
         ",\"status\":" + std::to_string(f.status) +
         ",\"latencyMs\":" + std::to_string(f.latency.count()) +
         ",\"retryAfterSeconds\":" + std::to_string(f.retry_after.count()) + ",\"message\":";
  json::AppendQuoted(out, f.message);
  out += ",\"fired\":" + std::to_string(f.fired) + "}";
  return out;
}

void FaultInjector::SetSeed(uint64_t seed) {
  MutexLock lock(mu_);
  rng_.seed(seed);
}

void FaultInjector::Add(FaultSpec fault) {
  MutexLock lock(mu_);
  faults_.push_back(std::move(fault));
}

void FaultInjector::Replace(std::vector<FaultSpec> faults) {
  MutexLock lock(mu_);
  faults_ = std::move(faults);
}

void FaultInjector::Clear() {
  MutexLock lock(mu_);
  faults_.clear();
}

std::vector<FaultSpec> FaultInjector::List() const {
  MutexLock lock(mu_);
  return faults_;
}

FaultDecision FaultInjector::Decide(const std::string& service, const std::string& operation) {
  MutexLock lock(mu_);
  FaultDecision d;
  for (auto& f : faults_) {
    if (f.operation != "*" && f.operation != operation) continue;
    if (!f.service.empty() && f.service != service) continue;
    if (f.count >= 0 && f.fired >= f.count) continue;
    if (f.kind != FaultKind::kDown && f.rate < 1.0) {
      // Draw only for probabilistic faults so adding a certain fault keeps the sequence.
      double draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
      if (draw >= f.rate) continue;
    }
    ++f.fired;
    switch (f.kind) {
      case FaultKind::kLatency:
        d.latency += f.latency;
        break;
      case FaultKind::kDrop:
      case FaultKind::kDown:
        d.drop = true;
        break;
      case FaultKind::kThrottle:
        if (d.status == 0) {
          d.status = 429;
          d.retry_after = f.retry_after;
          d.message = f.message;
        }
        break;
      case FaultKind::kError:
        if (d.status == 0) {
          d.status = f.status;
          d.message = f.message;
        }
        break;
      case FaultKind::kFailWorkRequest:
        d.fail_work_request = true;
        d.work_request_message = f.message;
        break;
    }
  }
  return d;
}

}  // namespace ccm::ocisim
