// The HTTPS endpoint for probes and scrapes: /healthz (= /livez), /readyz and /metrics.
// TLS always: the given certificate files, or a self-signed certificate made in memory.
//
//   health::HealthServer server({.port = 10258, .metrics = &registry});
//   server.checks().AddHealthCheck("leader-election", [&] { return elector.Check(); });
//   server.checks().AddReadinessCheck("informers-synced", [&] { return synced.load(); });
//   if (auto st = server.Start(); !st) { LOG(ERROR) << st.error().ToString(); return 1; }
//   ...
//   server.Stop();  // before anything the checks or gauge callbacks capture is destroyed
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/base/health/checks.h"
#include "pkg/base/metrics/registry.h"
#include "pkg/base/mutex.h"

namespace ccm::health {

struct HealthServerOptions {
  std::string bind_address = "0.0.0.0";  // "::" for IPv6 (and IPv4 where the host maps it)
  int port = 10258;                      // 0 picks a free port; see HealthServer::port()
  // Both or neither. Neither: a self-signed certificate for the hostname, localhost and
  // 127.0.0.1 is generated at Start and never written anywhere.
  std::string tls_cert_file;
  std::string tls_private_key_file;
  const metrics::Registry* metrics = nullptr;  // /metrics answers 404 when null
  int worker_threads = 2;                      // probes and scrapes are tiny
};

class HealthServer {
 public:
  // `clock` bounds the wait for the listener to start; it must outlive the server.
  HealthServer(HealthServerOptions options, const Clock& clock);
  ~HealthServer();  // stops
  HealthServer(const HealthServer&) = delete;
  HealthServer& operator=(const HealthServer&) = delete;

  // Register before or after Start; checks are evaluated on every request.
  Checks& checks() { return checks_; }

  // Loads or generates the certificate, binds, and serves on background threads. Returns
  // once the port accepts connections. Errors name the address or file and what to fix.
  Status Start();
  // Stops accepting, finishes in-flight requests and joins every thread. Idempotent.
  void Stop();

  int port() const { return port_.load(); }  // the bound port after Start, else 0
  // The serving (leaf) certificate in PEM, so tests and local clients can trust it.
  std::string certificate_pem() const;

 private:
  struct Impl;

  HealthServerOptions options_;
  const Clock& clock_;
  Checks checks_;
  mutable Mutex mu_;  // Start/Stop
  std::unique_ptr<Impl> impl_ GUARDED_BY(mu_);
  std::thread listener_ GUARDED_BY(mu_);
  std::atomic<int> port_{0};
  std::string certificate_pem_ GUARDED_BY(mu_);
};

}  // namespace ccm::health
