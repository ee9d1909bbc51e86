#include "test/bench/support/bench_util.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "pkg/base/json.h"

namespace ccm::bench {

double SecondsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string ReadSource(const std::string& rel) {
  const char* root = std::getenv("CCM_SOURCE_DIR");
  std::ifstream f(std::string(root ? root : ".") + "/" + rel);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Die(const std::string& what) {
  std::printf("FAILED: %s\n", what.c_str());
  std::fflush(stdout);
  std::_Exit(1);
}

void ParallelFor(int begin, int end, int threads, const std::function<Status(int)>& fn) {
  std::atomic<int> next{begin};
  std::mutex mu;
  std::string failure;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < end; i = next++) {
        if (auto st = fn(i); !st) {
          std::lock_guard<std::mutex> lock(mu);
          if (failure.empty()) failure = st.error().ToString();
          return;
        }
      }
    });
  }
  for (auto& t : pool) t.join();
  if (!failure.empty()) Die(failure);
}

bool IsNetworkLoadBalancer(const std::string& lb_id) { return lb_id.starts_with("ocid1.networkloadbalancer."); }

OciCounts OciCounts::operator-(const OciCounts& o) const {
  return {writes_classic - o.writes_classic, writes_network - o.writes_network, conflicts - o.conflicts,
          calls - o.calls};
}

OciCounts TakeOciCounts(ocisim::Simulator& sim) {
  auto& c = sim.service().counters();
  OciCounts out;
  for (const char* op : {"UpdateBackendSet", "CreateBackend", "UpdateBackend", "DeleteBackend"}) {
    out.writes_classic += c.Count(op, ocisim::CallCounters::kAnyStatus, "loadbalancer");
    out.writes_network += c.Count(op, ocisim::CallCounters::kAnyStatus, "networkloadbalancer");
  }
  auto doc = json::Parse(c.Json(), "simulator counters");
  if (!doc) Die("cannot parse the simulator's counters: " + doc.error().ToString());
  const json::Value* ops = json::Find(*doc, "operations");
  if (ops != nullptr && ops->IsObject()) {
    for (auto it = ops->MemberBegin(); it != ops->MemberEnd(); ++it) {
      out.calls += json::Int(it->value, "total", "").value_or(0);
      out.conflicts += json::Int(it->value, "409", "").value_or(0);
    }
  }
  return out;
}

std::vector<std::string> BackendNames(ocisim::Simulator& sim, const std::string& lb_id, const std::string& set) {
  auto names = sim.service().BackendNames(
      IsNetworkLoadBalancer(lb_id) ? ocisim::LbKind::kNetwork : ocisim::LbKind::kClassic, lb_id, set);
  if (!names) Die(lb_id + "/" + set + ": " + names.error().ToString());
  return std::move(*names);
}

void WaitOciQuiet(ocisim::Simulator& sim, std::chrono::milliseconds quiet, std::chrono::seconds limit) {
  int64_t last = TakeOciCounts(sim).calls;
  auto since = SteadyClock::now();
  auto deadline = since + limit;
  while (SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    int64_t now = TakeOciCounts(sim).calls;
    if (now != last) {
      last = now;
      since = SteadyClock::now();
    } else if (SteadyClock::now() - since >= quiet) {
      return;
    }
  }
  Die("the controller never stopped calling OCI");
}

}  // namespace ccm::bench
