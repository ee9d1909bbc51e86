#include "pkg/oci/transport/oci_error.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "pkg/base/json.h"
#include "pkg/oci/models/json_depth.h"

namespace ccm::oci {
namespace {

constexpr size_t kMaxQuotedBody = 200;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A short, printable excerpt of a body that is not the JSON error OCI normally sends
// (a proxy's HTML page, a truncated answer).
std::string Excerpt(std::string_view body) {
  std::string out;
  for (unsigned char c : body.substr(0, kMaxQuotedBody)) {
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : ' ');
  }
  if (body.size() > kMaxQuotedBody) out += "...";
  return out;
}

ErrorKind KindForStatus(int status, bool incorrect_state) {
  switch (status) {
    case 400: return ErrorKind::kInvalidArgument;
    case 401: return ErrorKind::kUnauthenticated;
    case 403: return ErrorKind::kForbidden;
    case 404: return ErrorKind::kNotFound;
    case 409: return incorrect_state ? ErrorKind::kIncorrectState : ErrorKind::kConflict;
    case 412: return ErrorKind::kConflict;
    case 429: return ErrorKind::kTooManyRequests;
    case 501: return ErrorKind::kInternal;
    default: break;
  }
  if (status >= 500) return ErrorKind::kUnavailable;
  return ErrorKind::kInternal;
}

}  // namespace

bool IsIncorrectStateConflict(std::string_view code, std::string_view message) {
  if (code == "IncorrectState") return true;
  return Lower(message).find("invalid state transition") != std::string::npos;
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty() || value.size() > 32) return std::nullopt;
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return std::nullopt;
  }
  std::string text(value);
  char* end = nullptr;
  double seconds = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || seconds < 0 || seconds > 86400) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

Error ErrorFromResponse(std::string_view operation, const HttpResponse& response,
                        std::string_view sent_request_id) {
  std::string code;
  std::string message;
  Result<json::Document> doc = Fail(ErrorKind::kMalformedResponse, "not parsed");
  if (!JsonNestsDeeperThan(response.body)) doc = json::Parse(response.body, "error body");
  if (doc && doc->IsObject()) {
    const json::Value* c = json::Find(*doc, "code");
    const json::Value* m = json::Find(*doc, "message");
    if (c != nullptr && c->IsString()) code.assign(c->GetString(), c->GetStringLength());
    if (m != nullptr && m->IsString()) message.assign(m->GetString(), m->GetStringLength());
  }
  if (message.empty()) {
    message = response.body.empty() ? "empty response body"
                                     : "non-JSON error body: " + Excerpt(response.body);
  }
  bool incorrect_state = response.status == 409 && IsIncorrectStateConflict(code, message);
  Error e = MakeError(KindForStatus(response.status, incorrect_state),
                      std::string(operation) + " failed: " + message);
  e.http_status = response.status;
  e.code = code;
  e.request_id = response.Header("opc-request-id");
  if (e.request_id.empty()) e.request_id = std::string(sent_request_id);
  if (response.status == 429) {
    if (auto after = ParseRetryAfter(response.Header("retry-after"))) e.retry_after = *after;
  }
  return e;
}

}  // namespace ccm::oci
