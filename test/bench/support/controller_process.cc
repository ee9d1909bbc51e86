#include "test/bench/support/controller_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "pkg/base/curl_transport.h"
#include "pkg/base/status_macros.h"
#include "test/envtest/control_plane.h"

namespace ccm::bench {
namespace {

double StatusFieldMb(const std::string& status, const std::string& field) {
  auto pos = status.find(field + ":");
  if (pos == std::string::npos) return 0;
  return std::strtod(status.c_str() + pos + field.size() + 1, nullptr) / 1024.0;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

ControllerProcess::ControllerProcess(ControllerProcessOptions options) : options_(std::move(options)) {}

ControllerProcess::~ControllerProcess() {
  if (pid_ > 0) (void)Stop(SIGKILL, std::chrono::seconds(5));
}

Status ControllerProcess::Start() {
  if (pid_ > 0) return Fail(ErrorKind::kInvalidArgument, "controller already running");
  log_path_ = options_.dir + "/controller-" + std::to_string(++runs_) + ".log";
  std::vector<std::string> argv = {options_.binary};
  argv.insert(argv.end(), options_.args.begin(), options_.args.end());
  ASSIGN_OR_RETURN(auto pid, envtest::SpawnChild(argv, log_path_));
  pid_ = pid;
  stop_sampler_ = false;
  ResetPeak();
  sampler_ = std::thread([this] {
    while (!stop_sampler_) {
      Sample();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  return {};
}

Status ControllerProcess::Stop(int signal, std::chrono::seconds timeout) {
  if (pid_ <= 0) return {};
  stop_sampler_ = true;
  if (sampler_.joinable()) sampler_.join();
  ::kill(pid_, signal);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      return Fail(ErrorKind::kInternal, "controller did not exit within the timeout; killed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  if (signal == SIGTERM && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    return Fail(ErrorKind::kInternal, "controller exited with status " + std::to_string(status) + " after SIGTERM");
  }
  return {};
}

ProcessUsage ControllerProcess::Usage() const {
  ProcessUsage u;
  if (pid_ <= 0) return u;
  std::string proc = "/proc/" + std::to_string(pid_);
  std::string status = Slurp(proc + "/status");
  u.rss_mb = StatusFieldMb(status, "VmRSS");
  u.hwm_mb = StatusFieldMb(status, "VmHWM");
  u.anon_mb = StatusFieldMb(status, "RssAnon");
  u.file_mb = StatusFieldMb(status, "RssFile") + StatusFieldMb(status, "RssShmem");
  std::string stat = Slurp(proc + "/stat");
  auto close = stat.rfind(')');  // the command name may hold spaces
  if (close != std::string::npos) {
    std::istringstream in(stat.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    u.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  return u;
}

void ControllerProcess::Sample() {
  // Until exec, the child is a copy of this (large) benchmark process: not the controller.
  std::string comm = Slurp("/proc/" + std::to_string(pid_) + "/comm");
  if (!comm.starts_with("oci-lb-registra")) return;
  ProcessUsage now = Usage();
  std::lock_guard lock(mu_);
  if (now.rss_mb > peak_.rss_mb) peak_ = now;
}

double ControllerProcess::SampledPeakRssMb() { return SampledPeak().rss_mb; }

ProcessUsage ControllerProcess::SampledPeak() {
  Sample();
  std::lock_guard lock(mu_);
  return peak_;
}

void ControllerProcess::ResetPeak() {
  std::lock_guard lock(mu_);
  peak_ = {};
}

Result<std::map<std::string, double>> ControllerProcess::ScrapeCounter(const std::string& family,
                                                                      const std::string& label) {
  CurlTransport transport({.tls = {.ca_pem = options_.serving_ca_pem}});
  ASSIGN_OR_RETURN(auto r,
                   transport.Send({.url = "https://127.0.0.1:" + std::to_string(options_.metrics_port) + "/metrics"}));
  if (r.status != 200) return Fail(ErrorKind::kInternal, "/metrics answered " + std::to_string(r.status));
  std::map<std::string, double> out;
  std::istringstream lines(r.body);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with(family) || line.size() <= family.size()) continue;
    char next = line[family.size()];
    if (next != '{' && next != ' ') continue;
    std::string key;
    if (!label.empty()) {
      auto pos = line.find(label + "=\"");
      if (pos == std::string::npos) continue;
      pos += label.size() + 2;
      key = line.substr(pos, line.find('"', pos) - pos);
    }
    out[key] += std::strtod(line.c_str() + line.rfind(' ') + 1, nullptr);
  }
  return out;
}

bool ControllerProcess::LogContains(const std::string& needle) const {
  return Slurp(log_path_).find(needle) != std::string::npos;
}

}  // namespace ccm::bench
