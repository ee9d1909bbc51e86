// Child-process helpers shared by the control plane, the simulator launcher and tests.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "test/envtest/control_plane.h"

namespace ccm::envtest {

Result<pid_t> SpawnChild(const std::vector<std::string>& argv, const std::string& log_path) {
  if (argv.empty()) return Fail(ErrorKind::kInvalidArgument, "empty command");
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) return Fail(ErrorKind::kInternal, "cannot open log " + log_path);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    return Fail(ErrorKind::kInternal, "fork failed");
  }
  if (pid == 0) {
    // Die with the test process, even when it is SIGKILLed by a timeout.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(log_fd);
  return pid;
}

void TerminateChild(pid_t pid, std::chrono::milliseconds grace) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

Result<int> FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Fail(ErrorKind::kInternal, "socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return Fail(ErrorKind::kInternal, "bind to 127.0.0.1:0 failed");
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

Result<std::string> FindAssets() {
  if (const char* env = std::getenv("ENVTEST_ASSETS"); env != nullptr && env[0] != '\0') {
    if (access((std::string(env) + "/kube-apiserver").c_str(), X_OK) == 0) return std::string(env);
    return Fail(ErrorKind::kNotFound, std::string("ENVTEST_ASSETS=") + env + " has no kube-apiserver");
  }
  const char* src = std::getenv("CCM_SOURCE_DIR");
  std::string script = std::string(src != nullptr ? src : ".") + "/test/envtest/build.sh";
  std::string cmd = "bash '" + script + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return Fail(ErrorKind::kInternal, "cannot run " + script);
  std::string out;
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  int rc = pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (rc != 0 || out.empty()) return Fail(ErrorKind::kInternal, script + " failed; run it by hand to see why");
  if (auto nl = out.rfind('\n'); nl != std::string::npos) out = out.substr(nl + 1);
  return out;
}

}  // namespace ccm::envtest
