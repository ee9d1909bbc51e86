// A scripted HttpTransport: records requests and answers from a queue.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pkg/base/http_transport.h"

namespace ccm::kube::testing {

struct ScriptedResponse {
  int status = 200;
  std::string body;
  HttpHeaders headers;
  std::vector<std::string> chunks;  // for Stream: body delivered in these pieces
  std::optional<Error> transport_error;
};

class FakeHttpTransport final : public HttpTransport {
 public:
  void Push(ScriptedResponse r) {
    std::lock_guard lock(mu_);
    responses_.push_back(std::move(r));
  }
  std::vector<HttpRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    auto r = Next(request);
    if (r.transport_error) return Fail(*r.transport_error);
    HttpResponse resp{.status = r.status, .headers = r.headers, .body = r.body};
    return resp;
  }

  Status Stream(const HttpRequest& request, const StreamHandler& handler) override {
    auto r = Next(request);
    if (r.transport_error) return Fail(*r.transport_error);
    if (!handler.on_headers(r.status, r.headers)) return {};
    if (r.chunks.empty() && !r.body.empty()) r.chunks.push_back(r.body);
    for (const auto& c : r.chunks) {
      if (!handler.on_data(c)) return {};
    }
    return {};
  }

 private:
  ScriptedResponse Next(const HttpRequest& request) {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (responses_.empty()) return ScriptedResponse{.status = 599, .body = "no scripted response"};
    auto r = std::move(responses_.front());
    responses_.pop_front();
    return r;
  }

  std::mutex mu_;
  std::deque<ScriptedResponse> responses_;
  std::vector<HttpRequest> requests_;
};

inline std::string HeaderOf(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace ccm::kube::testing
