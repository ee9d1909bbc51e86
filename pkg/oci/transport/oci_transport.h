// The one path every OCI call takes: rate limit, build the URL, add request ids, sign, send,
// classify the answer, retry what OCI's SDKs retry (429, 5xx but 501, 409 IncorrectState,
// connection failures) with jittered backoff inside a total deadline.
//
// A write (POST/PUT/DELETE) carries one opc-retry-token across all its attempts, so OCI
// applies it at most once; every attempt gets its own opc-request-id.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pkg/base/backoff.h"
#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"
#include "pkg/base/token_bucket.h"
#include "pkg/oci/auth/request_signer.h"
#include "pkg/oci/transport/call_observer.h"
#include "pkg/oci/transport/endpoint.h"
#include "pkg/oci/transport/sleeper.h"
#include "pkg/oci/transport/url.h"

namespace ccm::oci {

struct RateLimit {
  double qps = 10;  // <= 0: unlimited
  int burst = 20;
};

struct RetryPolicy {
  int max_attempts = 5;                                // including the first
  std::chrono::milliseconds total_deadline{120000};    // across attempts and waits
  BackoffPolicy backoff{std::chrono::milliseconds(500), std::chrono::milliseconds(16000), 2.0, 0.5};
  std::chrono::milliseconds max_retry_after{60000};    // caps a server's retry-after
};

struct OciTransportOptions {
  RateLimit read_limit{20, 40};
  RateLimit write_limit{5, 10};
  RetryPolicy retry;
  // Per attempt; the connect timeout belongs to the HttpTransport (CurlTransportOptions).
  std::chrono::milliseconds request_timeout{30000};
  size_t max_response_bytes = 16u << 20;
  uint64_t backoff_seed = 0;  // 0: random
};

struct OciRequest {
  std::string operation;              // "GetBackendSet": metrics label and error prefix
  std::string method = "GET";
  std::vector<std::string> path;      // segments after the version path, unescaped
  QueryParams query;                  // unescaped
  std::string body;                   // JSON, for POST/PUT
  HttpHeaders headers;                // extra, e.g. {"if-match", etag}
  // A 2xx body arrives with the array and object values of members of this name replaced by
  // [] (json::MemberElider): for reads whose caller never looks at a large part.
  std::string elide_member;
};

class OciTransport {
 public:
  // All references must outlive the transport. `sleeper` defaults to waiting on `clock`.
  OciTransport(HttpTransport& http, RequestSigner& signer, const Clock& clock,
               OciTransportOptions options = {}, OciCallObserver* observer = nullptr,
               Sleeper* sleeper = nullptr);

  // Returns the 2xx response, or the last attempt's error. `cancel` aborts waits (kCanceled).
  Result<HttpResponse> Call(const Endpoint& endpoint, const OciRequest& request,
                            const std::atomic<bool>* cancel = nullptr);

  const Clock& clock() const { return clock_; }
  Sleeper& sleeper() { return *sleeper_; }

 private:
  Result<HttpResponse> Attempt(const std::string& url, const OciRequest& request,
                               const std::string& retry_token, Clock::TimePoint deadline,
                               const std::atomic<bool>* cancel);

  HttpTransport& http_;
  RequestSigner& signer_;
  const Clock& clock_;
  OciTransportOptions options_;
  OciCallObserver* observer_;
  std::unique_ptr<Sleeper> owned_sleeper_;
  Sleeper* sleeper_;
  TokenBucket read_bucket_;
  TokenBucket write_bucket_;
  std::atomic<uint64_t> seed_counter_{0};
};

bool IsWriteMethod(std::string_view method);

}  // namespace ccm::oci
