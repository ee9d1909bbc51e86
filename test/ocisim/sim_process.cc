#include "test/ocisim/sim_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "pkg/base/status_macros.h"
#include "test/envtest/control_plane.h"

namespace ccm::ocisim {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

SimProcess::SimProcess(SimProcessOptions options) : options_(std::move(options)) {}

SimProcess::~SimProcess() { Stop(); }

std::string SimProcess::url() const {
  return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

Result<std::string> SimProcess::FindBinary() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("OCI_SIM_BINARY"); env != nullptr && *env != '\0') {
    if (fs::exists(env)) return std::string(env);
    return Fail(ErrorKind::kNotFound, std::string("OCI_SIM_BINARY=") + env + " does not exist");
  }
  if (const char* dir = std::getenv("CCM_BINARY_DIR"); dir != nullptr && *dir != '\0') {
    fs::path p = fs::path(dir) / "bin" / "oci-sim";
    if (fs::exists(p)) return p.string();
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path p = self.parent_path().parent_path() / "bin" / "oci-sim";
    if (fs::exists(p)) return p.string();
  }
  return Fail(ErrorKind::kNotFound,
              "oci-sim binary not found: build the oci-sim target or set OCI_SIM_BINARY");
}

Status SimProcess::Start() {
  std::string binary = options_.binary;
  if (binary.empty()) {
    ASSIGN_OR_RETURN(auto found, FindBinary());
    binary = found;
  }
  char tmpl[] = "/tmp/oci-sim-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return Fail(ErrorKind::kInternal, "cannot create a temp directory");
  dir_ = tmpl;
  ca_file_ = dir_ + "/ca.pem";
  log_file_ = dir_ + "/oci-sim.log";
  std::string ready = dir_ + "/ready";
  std::vector<std::string> argv = {binary, "--port=0", "--ready-file=" + ready,
                                   std::string("--tls=") + (options_.tls ? "true" : "false"),
                                   "--work-request-latency-ms=" + std::to_string(options_.work_request_latency_ms)};
  if (options_.tls) argv.push_back("--tls-ca-out=" + ca_file_);
  if (!options_.state_file.empty()) argv.push_back("--state=" + options_.state_file);
  for (const auto& k : options_.keys) argv.push_back("--key=" + k);
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  auto pid = envtest::SpawnChild(argv, log_file_);
  if (!pid) return Fail(pid.error().Wrap("starting oci-sim"));
  pid_ = *pid;
  auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (!std::filesystem::exists(ready)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Fail(ErrorKind::kUnavailable, "oci-sim exited during start-up: " + ReadAll(log_file_));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      Stop();
      return Fail(ErrorKind::kTimeout, "oci-sim did not become ready: " + ReadAll(log_file_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  port_ = std::atoi(ReadAll(ready).c_str());
  if (options_.tls) ca_pem_ = ReadAll(ca_file_);
  control_ = std::make_unique<SimControl>(url(), ca_pem_);
  return {};
}

void SimProcess::Stop() {
  if (pid_ > 0) {
    envtest::TerminateChild(pid_, std::chrono::seconds(5));
    pid_ = -1;
  }
}

}  // namespace ccm::ocisim
