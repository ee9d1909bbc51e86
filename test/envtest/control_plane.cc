#include "test/envtest/control_plane.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "pkg/base/base64.h"
#include "pkg/base/curl_transport.h"
#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"
#include "pkg/kube/meta_time.h"
#include "test/support/test_pki.h"

namespace ccm::envtest {
namespace fs = std::filesystem;

struct ControlPlane::TransportHolder {
  std::unique_ptr<CurlTransport> transport;
};

namespace {

std::string RandomToken() {
  std::random_device rd;
  std::string out;
  static const char* kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (int i = 0; i < 32; ++i) out.push_back(kAlphabet[rd() % 36]);
  return out;
}

Status WriteFile(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << data;
  if (!f) return Fail(ErrorKind::kInternal, "cannot write " + path);
  return {};
}

// Service accounts only (the controller's identity), metadata only: the admin's setup traffic
// and the API server's own loops are not written.
constexpr char kAuditPolicy[] = R"(apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
  userGroups: ["system:serviceaccounts"]
- level: None
)";

bool Alive(pid_t pid) {
  int status = 0;
  return pid > 0 && waitpid(pid, &status, WNOHANG) == 0;
}

}  // namespace

ControlPlane::ControlPlane(ControlPlaneOptions options) : options_(std::move(options)) {}

ControlPlane::~ControlPlane() { Stop(); }

std::string ControlPlane::AddTokenUser(const std::string& user, const std::vector<std::string>& groups) {
  std::string token = RandomToken();
  std::string line = token + "," + user + "," + user;
  if (!groups.empty()) {
    std::string g;
    for (const auto& x : groups) g += (g.empty() ? "" : ",") + x;
    line += ",\"" + g + "\"";
  }
  token_lines_.push_back(line);
  if (!dir_.empty()) {
    std::string all;
    for (const auto& l : token_lines_) all += l + "\n";
    (void)WriteFile(dir_ + "/tokens.csv", all);
  }
  return token;
}

Status ControlPlane::WriteFiles() {
  ASSIGN_OR_RETURN(auto ca, testing::GenerateCa("envtest-ca"));
  ca_pem_ = ca.cert_pem;
  ASSIGN_OR_RETURN(auto serving,
                   testing::IssueCertificate(
                       ca, {.common_name = "kube-apiserver",
                            .dns_names = {"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"},
                            .ip_addresses = {"127.0.0.1", "10.0.0.1"},
                            .server = true}));
  ASSIGN_OR_RETURN(auto sa, testing::GenerateRsaKey());
  admin_token_ = AddTokenUser("envtest-admin", {"system:masters"});
  std::string tokens;
  for (const auto& l : token_lines_) tokens += l + "\n";
  for (auto [name, data] : std::vector<std::pair<std::string, std::string>>{
           {"ca.crt", ca.cert_pem}, {"apiserver.crt", serving.cert_pem},
           {"apiserver.key", serving.key_pem}, {"sa.pub", sa.cert_pem},
           {"sa.key", sa.key_pem}, {"tokens.csv", tokens}, {"audit-policy.yaml", kAuditPolicy}}) {
    if (auto st = WriteFile(dir_ + "/" + name, data); !st) return st;
  }
  std::ostringstream kc;
  kc << "apiVersion: v1\nkind: Config\nclusters:\n- name: envtest\n  cluster:\n"
     << "    server: " << url_ << "\n    certificate-authority-data: " << Base64Encode(ca_pem_) << "\n"
     << "users:\n- name: envtest-admin\n  user:\n    token: " << admin_token_ << "\n"
     << "contexts:\n- name: envtest\n  context:\n    cluster: envtest\n    user: envtest-admin\n"
     << "current-context: envtest\n";
  kubeconfig_path_ = dir_ + "/kubeconfig";
  return WriteFile(kubeconfig_path_, kc.str());
}

Status ControlPlane::Start() {
  ASSIGN_OR_RETURN(auto assets, options_.assets_dir.empty() ? FindAssets() : Result<std::string>(options_.assets_dir));
  assets_ = assets;
  char tmpl[] = "/tmp/ccm-envtest-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return Fail(ErrorKind::kInternal, "mkdtemp failed");
  dir_ = tmpl;
  auto api_port = FreePort();
  auto etcd_port = FreePort();
  auto peer_port = FreePort();
  if (!api_port || !etcd_port || !peer_port) return Fail(ErrorKind::kInternal, "no free loopback port");
  api_port_ = *api_port;
  url_ = "https://127.0.0.1:" + std::to_string(api_port_);
  etcd_url_ = "http://127.0.0.1:" + std::to_string(*etcd_port);
  etcd_peer_url_ = "http://127.0.0.1:" + std::to_string(*peer_port);
  if (auto st = WriteFiles(); !st) return st;
  transport_ = new TransportHolder{std::make_unique<CurlTransport>(CurlTransportOptions{.tls = {.ca_pem = ca_pem_}})};
  if (auto st = StartEtcd(); !st) return st;
  return StartApiServer();
}

Status ControlPlane::StartEtcd() {
  ASSIGN_OR_RETURN(
      auto pid,
      SpawnChild({assets_ + "/etcd", "--name=default", "--data-dir=" + dir_ + "/etcd",
                  "--listen-client-urls=" + etcd_url_, "--advertise-client-urls=" + etcd_url_,
                  "--listen-peer-urls=" + etcd_peer_url_, "--initial-advertise-peer-urls=" + etcd_peer_url_,
                  "--initial-cluster=default=" + etcd_peer_url_, "--unsafe-no-fsync=true", "--log-level=warn"},
                 dir_ + "/etcd.log"));
  etcd_pid_ = pid;
  // etcd's /health answers once it serves clients.
  CurlTransport plain({});
  auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Alive(etcd_pid_)) return Fail(ErrorKind::kUnavailable, "etcd exited:\n" + LogTail(dir_ + "/etcd.log"));
    auto r = plain.Send({.method = "GET", .url = etcd_url_ + "/health", .timeout = std::chrono::seconds(2)});
    if (r && r->status == 200) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Fail(ErrorKind::kTimeout, "etcd did not become healthy:\n" + LogTail(dir_ + "/etcd.log"));
}

Status ControlPlane::StartApiServer() {
  std::vector<std::string> argv = {
      assets_ + "/kube-apiserver",
      "--advertise-address=127.0.0.1",
      "--bind-address=127.0.0.1",
      "--secure-port=" + std::to_string(api_port_),
      "--etcd-servers=" + etcd_url_,
      "--cert-dir=" + dir_ + "/apiserver-certs",
      "--tls-cert-file=" + dir_ + "/apiserver.crt",
      "--tls-private-key-file=" + dir_ + "/apiserver.key",
      "--client-ca-file=" + dir_ + "/ca.crt",
      "--token-auth-file=" + dir_ + "/tokens.csv",
      // As a cluster runs: the Node authorizer for kubelets, RBAC for everyone else.
      "--authorization-mode=Node,RBAC",
      // Every request the controller's identities make is recorded, so tests can assert that
      // none was refused (ForbiddenRequests).
      "--audit-policy-file=" + dir_ + "/audit-policy.yaml",
      "--audit-log-path=" + dir_ + "/audit.log",
      "--audit-log-format=json",
      "--audit-log-mode=blocking",
      "--service-account-key-file=" + dir_ + "/sa.pub",
      "--service-account-signing-key-file=" + dir_ + "/sa.key",
      "--service-account-issuer=https://kubernetes.default.svc",
      "--service-cluster-ip-range=10.0.0.0/24",
      "--allow-privileged=true",
      "--disable-admission-plugins=ServiceAccount",
      "--v=0",
  };
  for (const auto& f : options_.extra_apiserver_flags) argv.push_back(f);
  const auto spawned = std::chrono::system_clock::now();
  ASSIGN_OR_RETURN(auto pid, SpawnChild(argv, dir_ + "/kube-apiserver.log"));
  api_pid_ = pid;
  if (auto st = WaitReady("kube-apiserver", "/readyz", api_pid_, dir_ + "/kube-apiserver.log"); !st) return st;
  starting_.emplace_back(spawned, std::chrono::system_clock::now());
  auto v = Request("GET", "/version");
  if (v && v->status == 200) {
    if (auto doc = json::Parse(v->body, "/version"); doc) {
      version_ = json::String(*doc, "gitVersion", "").value_or("");
    }
  }
  return {};
}

Status ControlPlane::WaitReady(const std::string& what, const std::string& path, pid_t pid,
                               const std::string& log) {
  auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Alive(pid)) return Fail(ErrorKind::kUnavailable, what + " exited:\n" + LogTail(log));
    auto r = Request("GET", path);
    if (r && r->status == 200) return {};
    last = r ? std::to_string(r->status) + " " + r->body.substr(0, 300) : r.error().ToString();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return Fail(ErrorKind::kTimeout, what + " not ready (" + last + "):\n" + LogTail(log));
}

void ControlPlane::StopApiServer() {
  TerminateChild(api_pid_);
  api_pid_ = -1;
}

void ControlPlane::Stop() {
  StopApiServer();
  TerminateChild(etcd_pid_);
  etcd_pid_ = -1;
  delete transport_;
  transport_ = nullptr;
  if (!dir_.empty() && std::getenv("ENVTEST_KEEP") == nullptr) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  dir_.clear();
}

Status ControlPlane::CompactEtcd() {
  CurlTransport plain({});
  // etcd's gRPC gateway: read the current revision, then compact to it.
  auto r = plain.Send({.method = "POST", .url = etcd_url_ + "/v3/kv/range",
                       .headers = {{"Content-Type", "application/json"}},
                       .body = R"({"key":"AA==","limit":1})"});
  if (!r || r->status != 200) return Fail(ErrorKind::kUnavailable, "etcd range failed");
  ASSIGN_OR_RETURN(auto doc, json::Parse(r->body, "etcd range"));
  const json::Value* header = json::Find(doc, "header");
  auto rev = header ? json::String(*header, "revision", "header") : Result<std::string>("");
  if (!rev || rev->empty()) return Fail(ErrorKind::kMalformedResponse, "etcd range has no revision");
  auto c = plain.Send({.method = "POST", .url = etcd_url_ + "/v3/kv/compaction",
                       .headers = {{"Content-Type", "application/json"}},
                       .body = "{\"revision\":\"" + *rev + "\",\"physical\":true}"});
  if (!c || c->status != 200) return Fail(ErrorKind::kUnavailable, "etcd compaction failed");
  return {};
}

HttpTransport& ControlPlane::transport() { return *transport_->transport; }

Result<HttpResponse> ControlPlane::Request(const std::string& method, const std::string& path,
                                           const std::string& body, const std::string& content_type) {
  if (transport_ == nullptr) return Fail(ErrorKind::kUnavailable, "control plane not started");
  HttpRequest req{.method = method, .url = url_ + path,
                  .headers = {{"Authorization", "Bearer " + admin_token_}, {"Accept", "application/json"}},
                  .body = body, .timeout = std::chrono::seconds(10)};
  if (!body.empty()) req.headers.emplace_back("Content-Type", content_type);
  return transport_->transport->Send(req);
}

Result<std::string> ControlPlane::Kubectl(const std::vector<std::string>& args, const std::string& stdin_data) {
  std::string input = dir_ + "/kubectl-stdin-" + RandomToken();
  RETURN_IF_ERROR(WriteFile(input, stdin_data));
  std::string cmd = "kubectl --kubeconfig='" + kubeconfig_path_ + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " < '" + input + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return Fail(ErrorKind::kInternal, "cannot run kubectl");
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  std::filesystem::remove(input);
  if (rc != 0) return Fail(ErrorKind::kInvalidArgument, "kubectl failed: " + out);
  return out;
}

std::vector<std::string> ControlPlane::ForbiddenRequests(const std::string& user) const {
  std::vector<std::string> out;
  std::ifstream f(dir_ + "/audit.log");
  std::string line;
  while (std::getline(f, line)) {
    auto doc = json::Parse(line, "audit event");
    if (!doc || !doc->IsObject()) continue;
    const json::Value* who = json::Find(*doc, "user");
    const json::Value* status = json::Find(*doc, "responseStatus");
    const json::Value* code = status != nullptr ? json::Find(*status, "code") : nullptr;
    if (who == nullptr || code == nullptr || !code->IsInt() || code->GetInt() != 403) continue;
    if (json::String(*who, "username", "").value_or("") != user) continue;
    auto received = kube::ParseTime(json::String(*doc, "requestReceivedTimestamp", "").value_or(""));
    bool while_starting = received && std::any_of(starting_.begin(), starting_.end(), [&](const auto& w) {
                            return *received >= w.first && *received <= w.second;
                          });
    if (while_starting) continue;
    out.push_back(json::String(*doc, "verb", "").value_or("") + " " +
                  json::String(*doc, "requestURI", "").value_or(""));
  }
  return out;
}

std::string ControlPlane::LogTail(const std::string& log) const {
  std::ifstream f(log);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  return s.size() > 4000 ? s.substr(s.size() - 4000) : s;
}

}  // namespace ccm::envtest
