#include "pkg/base/health/health_server.h"

// The Debian library is built with these; the declarations must match it.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT 1
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT 1
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT 1
#endif
#include <glog/logging.h>
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "pkg/base/health/self_signed_cert.h"
#include "pkg/base/health/serving_credentials.h"
#include "pkg/base/metrics/text_format.h"
#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"

namespace ccm::health {
namespace {

// Without SO_REUSEPORT (httplib's default) a second process can't silently share the port.
void ExclusiveSocketOptions(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

bool Verbose(const httplib::Request& req) { return req.has_param("verbose"); }

}  // namespace

struct HealthServer::Impl {
  ServingCredentials credentials;
  std::unique_ptr<httplib::SSLServer> server;
};

HealthServer::HealthServer(HealthServerOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

HealthServer::~HealthServer() { Stop(); }

std::string HealthServer::certificate_pem() const {
  MutexLock lock(mu_);
  return certificate_pem_;
}

Status HealthServer::Start() {
  MutexLock lock(mu_);
  if (impl_) return Fail(ErrorKind::kInternal, "health server already started");
  if (options_.tls_cert_file.empty() != options_.tls_private_key_file.empty()) {
    return Fail(ErrorKind::kInvalidArgument,
                "--tls-cert-file and --tls-private-key-file must be set together (or neither, for a "
                "self-signed certificate)");
  }
  if (options_.port < 0 || options_.port > 65535) {
    return Fail(ErrorKind::kInvalidArgument,
                "--secure-port " + std::to_string(options_.port) + " is not a port number (0-65535)");
  }

  Result<ServingCredentials> credentials = [&]() -> Result<ServingCredentials> {
    if (!options_.tls_cert_file.empty()) {
      return ServingCredentials::FromFiles(options_.tls_cert_file, options_.tls_private_key_file);
    }
    ASSIGN_OR_RETURN(auto generated, GenerateSelfSignedCertificate());
    return ServingCredentials::FromPem(generated.cert_pem, generated.key_pem, "self-signed certificate");
  }();
  if (!credentials) return Fail(credentials.error());

  auto impl = std::make_unique<Impl>();
  impl->credentials = std::move(*credentials);
  const ServingCredentials* creds = &impl->credentials;
  impl->server = std::make_unique<httplib::SSLServer>([creds](SSL_CTX& ctx) { return creds->Install(ctx); });
  httplib::SSLServer& server = *impl->server;
  if (!server.is_valid()) return Fail(ErrorKind::kInternal, "health server: TLS setup failed");

  int threads = std::max(1, options_.worker_threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_socket_options(ExclusiveSocketOptions);
  server.set_keep_alive_timeout(5);
  server.set_read_timeout(10);
  server.set_write_timeout(10);
  server.set_payload_max_length(64 * 1024);

  auto health = [this](const httplib::Request& req, httplib::Response& res) {
    CheckReport r = checks_.Health(Verbose(req));
    res.status = r.ok ? 200 : 500;
    res.set_header("Cache-Control", "no-store");
    res.set_content(r.body, "text/plain; charset=utf-8");
    if (!r.ok) {
      std::string line = r.body;
      std::replace(line.begin(), line.end(), '\n', ' ');
      LOG_EVERY_N(WARNING, 10) << "health check failing: " << line;
    }
  };
  server.Get("/healthz", health);
  server.Get("/livez", health);
  server.Get("/readyz", [this](const httplib::Request& req, httplib::Response& res) {
    CheckReport r = checks_.Readiness(Verbose(req));
    res.status = r.ok ? 200 : 503;
    res.set_header("Cache-Control", "no-store");
    res.set_content(r.body, "text/plain; charset=utf-8");
  });
  const metrics::Registry* registry = options_.metrics;
  server.Get("/metrics", [registry](const httplib::Request&, httplib::Response& res) {
    if (registry == nullptr) {
      res.status = 404;
      res.set_content("metrics are not enabled\n", "text/plain; charset=utf-8");
      return;
    }
    res.status = 200;
    res.set_content(registry->Render(), metrics::kTextContentType);
  });

  const std::string where = options_.bind_address + ":" + std::to_string(options_.port);
  int bound = options_.port;
  errno = 0;
  if (options_.port == 0) {
    bound = server.bind_to_any_port(options_.bind_address);
    if (bound <= 0) bound = -1;
  } else if (!server.bind_to_port(options_.bind_address, options_.port)) {
    bound = -1;
  }
  if (bound < 0) {
    int err = errno;
    return Fail(ErrorKind::kUnavailable,
                "health server cannot listen on " + where + (err ? std::string(": ") + std::strerror(err) : "") +
                    "; check --bind-address and --secure-port (is another process using the port?)");
  }

  listener_ = std::thread([&server] { server.listen_after_bind(); });
  // stop() is a no-op until listening has begun, so wait for it before anyone can Stop().
  auto deadline = clock_.Now() + std::chrono::seconds(10);
  while (!server.is_running() && clock_.Now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server.is_running()) {
    // listen_after_bind returned early (it only does on failure): nothing to stop.
    listener_.join();
    return Fail(ErrorKind::kInternal, "health server on " + where + " did not start listening");
  }
  certificate_pem_ = impl->credentials.leaf_pem();
  port_ = bound;
  impl_ = std::move(impl);
  LOG(INFO) << "serving /healthz, /readyz and /metrics over HTTPS on " << options_.bind_address << ":" << bound
            << (options_.tls_cert_file.empty() ? " (self-signed certificate)" : "");
  return {};
}

void HealthServer::Stop() {
  MutexLock lock(mu_);
  if (!impl_) return;
  impl_->server->stop();
  if (listener_.joinable()) listener_.join();  // joins the worker pool too
  impl_.reset();
  port_ = 0;
}

}  // namespace ccm::health
