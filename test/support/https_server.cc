#include "test/support/https_server.h"

#include <openssl/pem.h>

namespace ccm::testing {

std::unique_ptr<httplib::SSLServer> MakeHttpsServer(const KeyPair& serving) {
  BIO* cb = BIO_new_mem_buf(serving.cert_pem.data(), static_cast<int>(serving.cert_pem.size()));
  X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
  BIO_free(cb);
  BIO* kb = BIO_new_mem_buf(serving.key_pem.data(), static_cast<int>(serving.key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
  BIO_free(kb);
  auto server = std::make_unique<httplib::SSLServer>(cert, key);
  X509_free(cert);  // the server's SSL_CTX holds its own references
  EVP_PKEY_free(key);
  return server;
}

ServerThread::ServerThread(httplib::Server& server) : server_(server) {
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

ServerThread::~ServerThread() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ccm::testing
