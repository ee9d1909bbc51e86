// Shared fixture pieces for OCI unit tests: a scripted MockHttpTransport, a fake signer, a
// recording call observer and a simulated clock whose sleeper returns at once.
#pragma once

#include <gmock/gmock.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "pkg/oci/auth/request_signer.h"
#include "pkg/oci/transport/oci_transport.h"
#include "test/mocks/advancing_sleeper.h"
#include "test/mocks/mock_http_transport.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::oci::test {

class FakeSigner final : public RequestSigner {
 public:
  Status Sign(HttpRequest& request) override {
    ++calls;
    if (fail) return Fail(*fail);
    request.headers.emplace_back("authorization", "Signature fake");
    return {};
  }
  int calls = 0;
  std::optional<Error> fail;
};

struct ObservedCall {
  std::string operation;
  int status;
};

class RecordingObserver final : public OciCallObserver {
 public:
  void OnCall(std::string_view operation, int status, std::chrono::nanoseconds) override {
    calls.push_back({std::string(operation), status});
  }
  void OnRateLimiterWait(bool write, std::chrono::nanoseconds waited) override { limiter_waits.emplace_back(write, waited); }
  std::vector<ObservedCall> calls;
  std::vector<std::pair<bool, std::chrono::nanoseconds>> limiter_waits;  // (write, waited)
};

inline OciTransportOptions TestOptions() {
  OciTransportOptions o;
  o.read_limit = {0, 1};
  o.write_limit = {0, 1};
  o.backoff_seed = 42;
  return o;
}

inline std::string HeaderOf(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

class OciTestEnv {
 public:
  explicit OciTestEnv(OciTransportOptions options = TestOptions()) {
    ON_CALL(http, Send).WillByDefault([this](const HttpRequest& r) -> Result<HttpResponse> {
      requests.push_back(r);
      if (responses.empty()) return Fail(ErrorKind::kInternal, "test: no scripted response left");
      auto next = std::move(responses.front());
      responses.pop_front();
      return next;
    });
    transport = std::make_unique<OciTransport>(http, signer, clock, options, &observer, &sleeper);
  }

  void Respond(int status, std::string body, HttpHeaders headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    responses.emplace_back(std::move(r));
  }
  void RespondTransportError(ErrorKind kind) {
    responses.emplace_back(std::unexpected(MakeError(kind, "test transport failure")));
  }

  ccm::testing::SimulatedClock clock;
  ccm::testing::AdvancingSleeper sleeper{clock};
  ::testing::NiceMock<ccm::testing::MockHttpTransport> http;
  FakeSigner signer;
  RecordingObserver observer;
  std::vector<HttpRequest> requests;
  std::deque<Result<HttpResponse>> responses;
  std::unique_ptr<OciTransport> transport;
};

inline const Endpoint kLbEndpoint{"https://127.0.0.1:8443", "/20170115"};
inline const Endpoint kNlbEndpoint{"https://127.0.0.1:8443", "/20200501"};
inline const Endpoint kComputeEndpoint{"https://127.0.0.1:8443", "/20160918"};

}  // namespace ccm::oci::test
