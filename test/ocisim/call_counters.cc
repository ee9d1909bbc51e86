#include "test/ocisim/call_counters.h"

#include "pkg/base/json.h"
#include "pkg/base/mutex.h"

namespace ccm::ocisim {
namespace {

std::string StatusMap(const std::map<int, int64_t>& by_status) {
  int64_t total = 0;
  std::string out;
  for (const auto& [status, n] : by_status) {
    total += n;
    out += ",\"" + std::to_string(status) + "\":" + std::to_string(n);
  }
  return "{\"total\":" + std::to_string(total) + out + "}";
}

}  // namespace

void CallCounters::Record(const std::string& service, const std::string& operation, int status) {
  MutexLock lock(mu_);
  ++counts_[service][operation][status];
}

int64_t CallCounters::Count(const std::string& operation, int status,
                            const std::string& service) const {
  MutexLock lock(mu_);
  int64_t n = 0;
  for (const auto& [svc, ops] : counts_) {
    if (!service.empty() && svc != service) continue;
    auto it = ops.find(operation);
    if (it == ops.end()) continue;
    for (const auto& [st, c] : it->second) {
      if (status == kAnyStatus || st == status) n += c;
    }
  }
  return n;
}

void CallCounters::Reset() {
  MutexLock lock(mu_);
  counts_.clear();
}

std::string CallCounters::Json() const {
  MutexLock lock(mu_);
  std::map<std::string, std::map<int, int64_t>> merged;
  std::string services = "{";
  bool first_service = true;
  for (const auto& [svc, ops] : counts_) {
    if (!first_service) services += ",";
    first_service = false;
    json::AppendQuoted(services, svc);
    services += ":{";
    bool first_op = true;
    for (const auto& [op, by_status] : ops) {
      if (!first_op) services += ",";
      first_op = false;
      json::AppendQuoted(services, op);
      services += ":" + StatusMap(by_status);
      for (const auto& [st, c] : by_status) merged[op][st] += c;
    }
    services += "}";
  }
  services += "}";
  std::string ops = "{";
  bool first = true;
  for (const auto& [op, by_status] : merged) {
    if (!first) ops += ",";
    first = false;
    json::AppendQuoted(ops, op);
    ops += ":" + StatusMap(by_status);
  }
  ops += "}";
  return "{\"operations\":" + ops + ",\"services\":" + services + "}";
}

}  // namespace ccm::ocisim
