#include "pkg/oci/transport/oci_transport.h"

#include <algorithm>
#include <memory>
#include <random>

#include "pkg/base/json_member_elider.h"
#include "pkg/oci/transport/oci_error.h"
#include "pkg/oci/transport/request_id.h"

namespace ccm::oci {

bool IsWriteMethod(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH";
}

OciTransport::OciTransport(HttpTransport& http, RequestSigner& signer, const Clock& clock,
                           OciTransportOptions options, OciCallObserver* observer, Sleeper* sleeper)
    : http_(http),
      signer_(signer),
      clock_(clock),
      options_(options),
      observer_(observer),
      owned_sleeper_(sleeper == nullptr ? std::make_unique<ClockSleeper>(clock) : nullptr),
      sleeper_(sleeper == nullptr ? owned_sleeper_.get() : sleeper),
      read_bucket_(options.read_limit.qps, options.read_limit.burst, clock),
      write_bucket_(options.write_limit.qps, options.write_limit.burst, clock) {
  if (options_.backoff_seed == 0) options_.backoff_seed = std::random_device{}();
  if (options_.retry.max_attempts < 1) options_.retry.max_attempts = 1;
}

Result<HttpResponse> OciTransport::Call(const Endpoint& endpoint, const OciRequest& request,
                                        const std::atomic<bool>* cancel) {
  const std::string url = BuildUrl(endpoint.base_url, endpoint.version_path, request.path, request.query);
  const bool write = IsWriteMethod(request.method);
  const std::string retry_token = write ? NewRequestId() : std::string();
  const Clock::TimePoint deadline = clock_.Now() + options_.retry.total_deadline;
  Backoff backoff(options_.retry.backoff, options_.backoff_seed + seed_counter_.fetch_add(1));
  TokenBucket& bucket = write ? write_bucket_ : read_bucket_;

  for (int attempt = 1;; ++attempt) {
    if (cancel != nullptr && cancel->load()) {
      return Fail(ErrorKind::kCanceled, request.operation + " canceled");
    }
    auto wait = bucket.Reserve();
    if (observer_ != nullptr) observer_->OnRateLimiterWait(write, std::max(wait, Clock::Duration::zero()));
    if (wait > Clock::Duration::zero() && !sleeper_->SleepFor(wait, cancel)) {
      return Fail(ErrorKind::kCanceled, request.operation + " canceled while rate limited");
    }
    auto result = Attempt(url, request, retry_token, deadline, cancel);
    if (result) return result;
    Error& error = result.error();
    if (!error.retryable) return result;
    if (attempt >= options_.retry.max_attempts) {
      return Fail(std::move(error).Wrap("gave up after " + std::to_string(attempt) + " attempts"));
    }
    Clock::Duration delay = backoff.Next();
    if (error.retry_after > std::chrono::milliseconds::zero()) {
      delay = std::max<Clock::Duration>(delay, std::min(error.retry_after, options_.retry.max_retry_after));
    }
    if (clock_.Now() + delay >= deadline) {
      return Fail(std::move(error).Wrap("retry deadline of " +
                                        std::to_string(options_.retry.total_deadline.count()) +
                                        " ms exhausted after " + std::to_string(attempt) + " attempts"));
    }
    if (!sleeper_->SleepFor(delay, cancel)) {
      return Fail(ErrorKind::kCanceled, request.operation + " canceled while waiting to retry");
    }
  }
}

Result<HttpResponse> OciTransport::Attempt(const std::string& url, const OciRequest& request,
                                           const std::string& retry_token,
                                           Clock::TimePoint deadline,
                                           const std::atomic<bool>* cancel) {
  HttpRequest http;
  http.method = request.method;
  http.url = url;
  http.cancel = cancel;
  const std::string request_id = NewRequestId();
  http.headers.emplace_back("accept", "application/json");
  http.headers.emplace_back("opc-request-id", request_id);
  if (!retry_token.empty()) http.headers.emplace_back("opc-retry-token", retry_token);
  for (const auto& h : request.headers) http.headers.push_back(h);
  if (request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
    http.headers.emplace_back("content-type", "application/json");
    http.body = request.body;
  }
  if (!request.elide_member.empty()) {
    auto elider = std::make_shared<json::MemberElider>(request.elide_member, "[]");
    http.success_body_filter = [elider](std::string_view chunk, std::string& body) { elider->Feed(chunk, body); };
  }
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_.Now());
  http.timeout = std::max(std::chrono::milliseconds(1), std::min(options_.request_timeout, remaining));

  if (auto signed_ok = signer_.Sign(http); !signed_ok) {
    Error e = signed_ok.error().Wrap(request.operation + ": signing the request");
    e.request_id = request_id;
    return Fail(std::move(e));
  }

  const auto start = clock_.Now();
  auto response = http_.Send(http);
  const auto latency = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.Now() - start);
  if (observer_ != nullptr) observer_->OnCall(request.operation, response ? response->status : 0, latency);

  if (!response) {
    Error e = response.error().Wrap(request.operation + " " + request.method);
    e.request_id = request_id;
    e.retryable = e.kind == ErrorKind::kUnavailable || e.kind == ErrorKind::kTimeout;
    return Fail(std::move(e));
  }
  if (response->body.size() > options_.max_response_bytes) {
    Error e = MakeError(ErrorKind::kMalformedResponse,
                        request.operation + " response body of " + std::to_string(response->body.size()) +
                            " bytes exceeds the limit of " + std::to_string(options_.max_response_bytes));
    e.http_status = response->status;
    e.request_id = response->Header("opc-request-id");
    if (e.request_id.empty()) e.request_id = request_id;
    e.retryable = false;
    return Fail(std::move(e));
  }
  if (response->status >= 200 && response->status < 300) return response;
  return Fail(ErrorFromResponse(request.operation, *response, request_id));
}

}  // namespace ccm::oci
