#include "pkg/base/metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ccm::metrics {
namespace {

struct ProcStat {
  double utime_ticks = 0, stime_ticks = 0, start_ticks = 0, vsize = 0, rss_pages = 0;
};

// /proc/self/stat: fields after the parenthesised command name, which may contain spaces.
ProcStat ReadProcStat() {
  ProcStat s;
  std::ifstream f("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');
  if (close == std::string::npos) return s;
  std::istringstream in(text.substr(close + 2));
  std::string field;
  // Field 3 (state) is first here; utime is 14, stime 15, starttime 22, vsize 23, rss 24.
  for (int i = 3; i <= 24 && in >> field; ++i) {
    if (i == 14) s.utime_ticks = std::stod(field);
    if (i == 15) s.stime_ticks = std::stod(field);
    if (i == 22) s.start_ticks = std::stod(field);
    if (i == 23) s.vsize = std::stod(field);
    if (i == 24) s.rss_pages = std::stod(field);
  }
  return s;
}

double BootTimeSeconds() {
  std::ifstream f("/proc/stat");
  std::string key;
  double value = 0;
  while (f >> key) {
    if (key == "btime") {
      f >> value;
      return value;
    }
    f.ignore(1 << 20, '\n');
  }
  return 0;
}

}  // namespace

void RegisterProcessMetrics(Registry& registry) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double start = BootTimeSeconds() + ReadProcStat().start_ticks / ticks;
  registry.AddCounterCallback("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                              [ticks] {
                                ProcStat s = ReadProcStat();
                                return (s.utime_ticks + s.stime_ticks) / ticks;
                              });
  registry.AddGaugeCallback("process_resident_memory_bytes", "Resident memory size in bytes.",
                            [page] { return ReadProcStat().rss_pages * page; });
  registry.AddGaugeCallback("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                            [] { return ReadProcStat().vsize; });
  registry.AddGaugeCallback("process_open_fds", "Number of open file descriptors.", [] {
    std::error_code ec;
    double n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::end(it);
         it.increment(ec)) {
      ++n;
    }
    return n;
  });
  registry.AddGaugeCallback("process_max_fds", "Maximum number of open file descriptors.", [] {
    rlimit r{};
    return getrlimit(RLIMIT_NOFILE, &r) == 0 ? static_cast<double>(r.rlim_cur) : 0.0;
  });
  registry.AddGaugeCallback("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                            [start] { return start; });
}

}  // namespace ccm::metrics
