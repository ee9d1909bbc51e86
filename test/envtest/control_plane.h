// A real kube-apiserver + etcd on free loopback ports, for integration tests and the demo.
// Modelled on controller-runtime's envtest: generated PKI, RBAC authorization, a token file
// for an admin identity, service-account signing keys. Children die with the test process
// (PR_SET_PDEATHSIG), so a crash or timeout leaves no orphans.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"

namespace ccm::envtest {

struct ControlPlaneOptions {
  // Directory with kube-apiserver and etcd; empty = $ENVTEST_ASSETS, else build them.
  std::string assets_dir;
  std::chrono::seconds start_timeout{90};
  std::vector<std::string> extra_apiserver_flags;
};

class ControlPlane {
 public:
  explicit ControlPlane(ControlPlaneOptions options = {});
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  Status Start();
  void Stop();

  // For API-server restart tests: same ports, certificates and etcd data.
  void StopApiServer();
  Status StartApiServer();
  // Compacts etcd to its current revision, so older resourceVersions answer 410 Gone.
  Status CompactEtcd();

  const std::string& url() const { return url_; }        // https://127.0.0.1:PORT
  const std::string& ca_pem() const { return ca_pem_; }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& kubeconfig_path() const { return kubeconfig_path_; }
  const std::string& etcd_url() const { return etcd_url_; }
  const std::string& work_dir() const { return dir_; }
  const std::string& server_version() const { return version_; }
  // Writes a token file usable as a bearer token for `user` in `groups` (added on start).
  // Returns the token.
  std::string AddTokenUser(const std::string& user, const std::vector<std::string>& groups);

  // Requests by `user` that the API server refused with 403, as "verb requestURI", from the
  // audit log (service accounts are audited; see control_plane.cc). Requests received while
  // a restarted API server was not ready yet are left out: until its RBAC caches sync it
  // refuses everyone, which says nothing about the manifests.
  std::vector<std::string> ForbiddenRequests(const std::string& user) const;

  // A transport trusting this plane's CA.
  HttpTransport& transport();
  // GET/POST/etc. as the admin; convenience for tests.
  Result<HttpResponse> Request(const std::string& method, const std::string& path,
                               const std::string& body = "",
                               const std::string& content_type = "application/json");
  // Runs kubectl against this plane; returns its combined output or an error with it.
  Result<std::string> Kubectl(const std::vector<std::string>& args, const std::string& stdin_data = "");

 private:
  Status WriteFiles();
  Status StartEtcd();
  Status WaitReady(const std::string& what, const std::string& path, pid_t pid,
                   const std::string& log);
  std::string LogTail(const std::string& log) const;

  ControlPlaneOptions options_;
  std::string dir_, assets_, url_, etcd_url_, etcd_peer_url_, ca_pem_, admin_token_;
  std::string kubeconfig_path_, version_;
  std::vector<std::string> token_lines_;
  int api_port_ = 0;
  pid_t etcd_pid_ = -1;
  pid_t api_pid_ = -1;
  // [spawned, ready] of each API server start, by wall clock (the audit log's).
  std::vector<std::pair<std::chrono::system_clock::time_point, std::chrono::system_clock::time_point>> starting_;
  struct TransportHolder;
  TransportHolder* transport_ = nullptr;
};

// Spawns `argv` with stdout/stderr appended to `log_path`; the child is killed if this
// process dies. Returns the child's pid.
Result<pid_t> SpawnChild(const std::vector<std::string>& argv, const std::string& log_path);
// SIGTERM, wait up to `grace`, then SIGKILL; reaps the child.
void TerminateChild(pid_t pid, std::chrono::milliseconds grace = std::chrono::seconds(10));
// A port that was free on 127.0.0.1 a moment ago.
Result<int> FreePort();
// Locates (building if needed) the directory holding kube-apiserver and etcd.
Result<std::string> FindAssets();

}  // namespace ccm::envtest
