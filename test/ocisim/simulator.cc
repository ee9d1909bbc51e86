#include "test/ocisim/simulator.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <cctype>

namespace ccm::ocisim {
namespace {

int PortOf(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(ss).sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(ss).sin6_port);
  return -1;
}

// httplib does not expose the connection's socket to handlers; find it by its ports so a
// "dropped connection" fault can close it without writing an answer.
void ShutdownConnection(int local_port, int remote_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (dirent* e = readdir(dir)) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    int fd = std::atoi(e->d_name);
    sockaddr_storage local{}, peer{};
    socklen_t llen = sizeof(local), plen = sizeof(peer);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) != 0) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) != 0) continue;
    if (PortOf(local) == local_port && PortOf(peer) == remote_port) {
      shutdown(fd, SHUT_RDWR);
      break;
    }
  }
  closedir(dir);
}

ApiRequest ToApiRequest(const httplib::Request& req) {
  ApiRequest r;
  r.method = req.method;
  r.target = req.target;
  ParseTarget(r.target, r.segments, r.query);
  for (const auto& [name, value] : req.headers) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // httplib adds these for its own bookkeeping; they were not sent by the client.
    if (lower == "remote_addr" || lower == "remote_port" || lower == "local_addr" ||
        lower == "local_port") {
      continue;
    }
    r.headers.emplace_back(lower, value);
  }
  r.body = req.body;
  return r;
}

}  // namespace

struct Simulator::Server {
  std::unique_ptr<httplib::Server> http;
};

Simulator::Simulator(SimulatorOptions options) : options_(std::move(options)) {}

Simulator::~Simulator() { Stop(); }

std::string Simulator::url() const {
  return std::string(options_.tls ? "https" : "http") + "://" + options_.host + ":" + std::to_string(port_);
}

Status Simulator::Start() {
  // A dropped connection or a client that hangs up must not kill the process.
  signal(SIGPIPE, SIG_IGN);
  auto ca = testing::GenerateCa("oci-sim test CA");
  if (!ca) return Fail(ca.error().Wrap("oci-sim CA"));
  ca_ = *ca;
  service_ = std::make_unique<SimService>(ca_);
  service_->SetWorkRequestLatency(options_.work_request_latency);
  service_->SetPublicIpLatency(options_.public_ip_latency);
  service_->faults().SetSeed(options_.fault_seed);
  server_ = std::make_unique<Server>();
  if (options_.tls) {
    testing::CertSpec spec;
    spec.common_name = "oci-sim";
    spec.dns_names = {"localhost", "oci-sim"};
    spec.ip_addresses = {"127.0.0.1", "::1"};
    if (options_.host != "127.0.0.1" && options_.host != "localhost" && options_.host != "0.0.0.0") {
      spec.ip_addresses.push_back(options_.host);
    }
    auto leaf = testing::IssueCertificate(ca_, spec);
    if (!leaf) return Fail(leaf.error().Wrap("oci-sim server certificate"));
    auto cert = ParseCertificatePem(leaf->cert_pem);
    auto key = ParsePrivateKeyPem(leaf->key_pem);
    if (!cert || !key) return Fail(ErrorKind::kInternal, "oci-sim server certificate does not parse");
    auto ssl = std::make_unique<httplib::SSLServer>(cert->get(), key->get());
    if (!ssl->is_valid()) return Fail(ErrorKind::kInternal, "oci-sim TLS server setup failed");
    server_->http = std::move(ssl);
  } else {
    server_->http = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *server_->http;
  // Clients keep connections alive; give each its own worker so none waits behind another.
  http.new_task_queue = [] { return new httplib::ThreadPool(64); };
  http.set_keep_alive_max_count(1000);
  // Idle keep-alive connections hold a worker; a short timeout keeps Stop() prompt.
  http.set_keep_alive_timeout(2);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    ApiRequest request = ToApiRequest(req);
    ApiResponse response = service_->Handle(request);
    if (response.drop_connection) {
      ShutdownConnection(req.local_port, req.remote_port);
      res.status = 500;
      return;
    }
    res.status = response.status;
    std::string content_type = "application/json";
    for (const auto& [name, value] : response.headers) {
      if (name == "content-type") {
        content_type = value;
      } else {
        res.set_header(name, value);
      }
    }
    if (!response.body.empty()) res.set_content(response.body, content_type);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Delete(".*", handler);
  http.Patch(".*", handler);
  if (options_.port == 0) {
    port_ = http.bind_to_any_port(options_.host);
    if (port_ <= 0) return Fail(ErrorKind::kUnavailable, "oci-sim cannot bind " + options_.host);
  } else {
    if (!http.bind_to_port(options_.host, options_.port)) {
      return Fail(ErrorKind::kUnavailable,
                  "oci-sim cannot bind " + options_.host + ":" + std::to_string(options_.port));
    }
    port_ = options_.port;
  }
  thread_ = std::thread([&http] { http.listen_after_bind(); });
  return {};
}

void Simulator::Stop() {
  if (server_ && server_->http) server_->http->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ccm::ocisim
