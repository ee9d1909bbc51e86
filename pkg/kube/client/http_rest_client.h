// RestClient over an HttpTransport (CurlTransport in production, which pools connections).
// Non-watch requests pass a client-side QPS/burst limit (TokenBucket, default 20/30); watches
// are long-lived and are not limited. The bearer token is fetched from the TokenSource on
// every request, so a rotated token file is picked up.
#pragma once

#include <memory>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/http_transport.h"
#include "pkg/base/token_bucket.h"
#include "pkg/kube/client/rest_config.h"
#include "pkg/kube/rest_client.h"

namespace ccm::kube {

class HttpRestClient final : public RestClient {
 public:
  // `transport` must outlive the client. Uses config.host, token_source, qps and burst.
  HttpRestClient(RestConfig config, HttpTransport& transport, const Clock& clock);
  // Owns a CurlTransport built from config.tls.
  static std::unique_ptr<HttpRestClient> Create(RestConfig config, const Clock& clock);

  Result<std::string> Get(const std::string& path) override;
  Result<std::string> List(const std::string& path, const ListOptions& options,
                           const std::function<Status(const json::Document& page)>& on_page) override;
  Result<std::string> Create(const std::string& collection_path, const std::string& body) override;
  Result<std::string> Update(const std::string& path, const std::string& body) override;
  Result<std::string> UpdateStatus(const std::string& path, const std::string& body) override;
  Result<std::string> Patch(const std::string& path, PatchType type, const std::string& body,
                            bool status_subresource = false) override;
  Status Delete(const std::string& path, const Preconditions& preconditions = {}) override;
  Status Watch(const std::string& path, const WatchOptions& options,
               const std::function<bool(const WatchEvent&)>& on_event,
               const std::atomic<bool>* cancel = nullptr) override;

  // A client for writes that may wait (status, Events): same server, credentials, transport
  // and QPS budget, but it takes only tokens no request of this client waits for, so the
  // requests that gate OCI writes (finalizers, ownership records) go first. Must not outlive
  // this client.
  std::unique_ptr<HttpRestClient> Yielding();

  const RestConfig& config() const { return config_; }
  // Per-request timeout for non-watch calls (default 30 s).
  void set_request_timeout(std::chrono::milliseconds t) { request_timeout_ = t; }

 private:
  HttpRestClient(RestConfig config, std::unique_ptr<HttpTransport> owned, const Clock& clock);
  HttpRestClient(const HttpRestClient& first, bool yielding);
  Result<HttpRequest> NewRequest(const std::string& method, const std::string& path_and_query);
  // Sends (after the rate limit) and maps non-2xx to errors; returns the body.
  Result<std::string> Do(std::string_view verb, HttpRequest request);

  RestConfig config_;
  std::unique_ptr<HttpTransport> owned_transport_;
  HttpTransport& transport_;
  std::shared_ptr<TokenBucket> limiter_;  // shared with the Yielding() client
  bool yielding_ = false;
  std::chrono::milliseconds request_timeout_{30000};
};

// Percent-encodes a query parameter value.
std::string QueryEscape(std::string_view value);

}  // namespace ccm::kube
