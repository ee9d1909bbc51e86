#include "pkg/kube/client/api_error.h"

#include <charconv>
#include <string>

namespace ccm::kube {
namespace {

std::string_view StringField(const json::Value& obj, std::string_view name) {
  const json::Value* v = json::Find(obj, name);
  if (v == nullptr || !v->IsString()) return {};
  return {v->GetString(), v->GetStringLength()};
}

// The causes of a 422 as "field: message; field: message".
std::string Causes(const json::Value& status) {
  const json::Value* details = json::Find(status, "details");
  const json::Value* causes = details ? json::Find(*details, "causes") : nullptr;
  if (causes == nullptr || !causes->IsArray()) return {};
  std::string out;
  for (const auto& c : causes->GetArray()) {
    std::string_view field = StringField(c, "field");
    std::string_view message = StringField(c, "message");
    if (field.empty() && message.empty()) continue;
    if (!out.empty()) out += "; ";
    if (!field.empty()) {
      out += field;
      out += ": ";
    }
    out += message;
  }
  return out;
}

std::chrono::milliseconds RetryAfterSeconds(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || seconds < 0) return std::chrono::milliseconds(0);
  return std::chrono::seconds(std::min<int64_t>(seconds, 3600));
}

}  // namespace

ErrorKind KindFor(int http_status, std::string_view reason) {
  if (reason == "Expired" || reason == "Gone" || http_status == 410) return ErrorKind::kGone;
  if (reason == "Conflict" || reason == "AlreadyExists" || http_status == 409) return ErrorKind::kConflict;
  if (reason == "NotFound" || http_status == 404) return ErrorKind::kNotFound;
  if (reason == "TooManyRequests" || http_status == 429) return ErrorKind::kTooManyRequests;
  if (reason == "Invalid" || http_status == 422 || http_status == 400) return ErrorKind::kInvalidArgument;
  if (reason == "Forbidden" || http_status == 403) return ErrorKind::kForbidden;
  if (reason == "Unauthorized" || http_status == 401) return ErrorKind::kUnauthenticated;
  if (reason == "Timeout" || http_status == 504) return ErrorKind::kTimeout;
  if (http_status >= 500) return ErrorKind::kUnavailable;
  if (http_status == 405 || http_status == 415 || http_status == 406) return ErrorKind::kInvalidArgument;
  return ErrorKind::kInternal;
}

Error ErrorFromStatus(const json::Value& status, int http_status, std::string_view what) {
  std::string_view reason = StringField(status, "reason");
  const json::Value* code = json::Find(status, "code");
  if (http_status == 0 && code != nullptr && code->IsInt()) http_status = code->GetInt();
  std::string message(what);
  message += ": ";
  std::string_view server_message = StringField(status, "message");
  message += server_message.empty() ? "HTTP " + std::to_string(http_status) : std::string(server_message);
  if (std::string causes = Causes(status); !causes.empty() && server_message.find(causes) == std::string_view::npos) {
    message += " (" + causes + ")";
  }
  Error e = MakeError(KindFor(http_status, reason), std::move(message));
  e.http_status = http_status;
  e.code = std::string(reason);
  const json::Value* details = json::Find(status, "details");
  if (const json::Value* ra = details ? json::Find(*details, "retryAfterSeconds") : nullptr;
      ra != nullptr && ra->IsInt() && ra->GetInt() > 0) {
    e.retry_after = std::chrono::seconds(std::min(ra->GetInt(), 3600));
  }
  e.retryable = e.kind == ErrorKind::kTooManyRequests || e.kind == ErrorKind::kUnavailable ||
                e.kind == ErrorKind::kTimeout;
  return e;
}

Error ErrorFromResponse(const HttpResponse& response, std::string_view what) {
  Error e;
  auto doc = json::Parse(response.body, "status");
  if (doc && doc->IsObject() && json::Find(*doc, "kind") != nullptr &&
      StringField(*doc, "kind") == "Status") {
    e = ErrorFromStatus(*doc, response.status, what);
  } else {
    std::string body = response.body.substr(0, 200);
    e = MakeError(KindFor(response.status, ""),
                  std::string(what) + ": HTTP " + std::to_string(response.status) +
                      (body.empty() ? "" : ": " + body));
    e.http_status = response.status;
    e.retryable = e.kind == ErrorKind::kTooManyRequests || e.kind == ErrorKind::kUnavailable ||
                  e.kind == ErrorKind::kTimeout;
  }
  e.http_status = response.status;
  if (std::string ra = response.Header("retry-after");
      !ra.empty() && (response.status == 429 || response.status >= 500)) {
    if (auto d = RetryAfterSeconds(ra); d.count() > 0) e.retry_after = d;
  }
  e.request_id = response.Header("audit-id");
  return e;
}

}  // namespace ccm::kube
