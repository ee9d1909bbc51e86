// The HTTP seam: OCI and Kubernetes clients talk through HttpTransport so tests can swap it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/base/error.h"

namespace ccm {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HttpHeaders headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
  // Set from another thread to abort a long request (a watch) promptly.
  const std::atomic<bool>* cancel = nullptr;
  // For a 2xx answer, Send() passes each body chunk through this (appending to the body)
  // instead of buffering it as it is, so parts nobody reads are never held.
  std::function<void(std::string_view chunk, std::string& body)> success_body_filter;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;  // names lower-cased
  std::string body;

  // Value of the first header named `name` (lower-case), or "" when absent.
  std::string Header(std::string_view name) const;
};

// Receives the status and headers once, then body bytes as they arrive. Returning false
// from either stops the transfer.
struct StreamHandler {
  std::function<bool(int status, const HttpHeaders& headers)> on_headers;
  std::function<bool(std::string_view chunk)> on_data;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
  // Streams a response body (watches). Ends when the server closes, a handler returns false,
  // or request.cancel is set; errors only for transport failures.
  virtual Status Stream(const HttpRequest& request, const StreamHandler& handler) = 0;
};

// TLS material is held in memory and handed to libcurl as blobs: never written to disk.
// Peer verification is always on; a CA only adds trust, it never disables checks.
struct TlsConfig {
  std::string ca_pem;  // trusted CAs (PEM), e.g. the cluster's, a private endpoint's or a test CA
  // Also trust the system's roots. OCI endpoints need them (ca_pem then adds a private one);
  // a Kubernetes client trusts only the cluster CA when one is given, as client-go does.
  bool system_roots = true;
  std::string client_cert_pem;  // mutual TLS (kubeconfig client certificates)
  std::string client_key_pem;
};

struct CurlTransportOptions {
  TlsConfig tls;
  std::chrono::milliseconds connect_timeout{10000};
  std::string user_agent = "oci-lb-registrar-ccm";
};

}  // namespace ccm
