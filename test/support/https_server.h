// cpp-httplib servers for tests on a free loopback port, HTTPS from an in-memory key pair.
#pragma once

#include <httplib.h>

#include <memory>
#include <thread>

#include "test/support/test_pki.h"

namespace ccm::testing {

std::unique_ptr<httplib::SSLServer> MakeHttpsServer(const KeyPair& serving);

// Binds `server` to 127.0.0.1 on a free port, serves it on a thread, and stops it on
// destruction.
class ServerThread {
 public:
  explicit ServerThread(httplib::Server& server);
  ~ServerThread();
  int port() const { return port_; }

 private:
  httplib::Server& server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace ccm::testing
