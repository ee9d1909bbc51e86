// libcurl implementation of HttpTransport. Easy handles are pooled so connections are reused
// across requests (keep-alive), and the pool is safe to use from many threads.
#pragma once

#include <memory>
#include <vector>

#include "pkg/base/http_transport.h"
#include "pkg/base/mutex.h"
#include "pkg/base/tls_trust_store.h"

namespace ccm {

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;
  Status Stream(const HttpRequest& request, const StreamHandler& handler) override;

  // Number of TCP connections libcurl opened so far (tests assert reuse with it).
  long connections_opened() const;

 private:
  struct Handle;
  std::unique_ptr<Handle> Acquire();
  void Release(std::unique_ptr<Handle> handle);
  Status Perform(Handle& handle, const HttpRequest& request, const StreamHandler& handler);

  CurlTransportOptions options_;
  std::shared_ptr<TlsTrustStore> trust_;
  std::string trust_error_;  // why trust_ could not be built: every request fails with it
  mutable Mutex mu_;
  std::vector<std::unique_ptr<Handle>> idle_ GUARDED_BY(mu_);
  std::atomic<long> connections_opened_{0};
};

}  // namespace ccm
