#include "pkg/base/error.h"

namespace ccm {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument: return "InvalidArgument";
    case ErrorKind::kNotFound: return "NotFound";
    case ErrorKind::kConflict: return "Conflict";
    case ErrorKind::kIncorrectState: return "IncorrectState";
    case ErrorKind::kUnauthenticated: return "Unauthenticated";
    case ErrorKind::kForbidden: return "Forbidden";
    case ErrorKind::kTooManyRequests: return "TooManyRequests";
    case ErrorKind::kGone: return "Gone";
    case ErrorKind::kUnavailable: return "Unavailable";
    case ErrorKind::kTimeout: return "Timeout";
    case ErrorKind::kMalformedResponse: return "MalformedResponse";
    case ErrorKind::kCanceled: return "Canceled";
    case ErrorKind::kInternal: return "Internal";
  }
  return "Unknown";
}

std::string Error::ToString() const {
  std::string out = ErrorKindName(kind);
  if (http_status != 0) out += " (HTTP " + std::to_string(http_status) + ")";
  if (!code.empty()) out += " " + code;
  out += ": " + message;
  if (!request_id.empty()) out += " [opc-request-id " + request_id + "]";
  return out;
}

Error Error::Wrap(const std::string& context) const& {
  Error copy = *this;
  copy.message = context + ": " + copy.message;
  return copy;
}

Error Error::Wrap(const std::string& context) && {
  message = context + ": " + message;
  return std::move(*this);
}

Error MakeError(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  e.retryable = kind == ErrorKind::kTooManyRequests || kind == ErrorKind::kUnavailable ||
                kind == ErrorKind::kTimeout || kind == ErrorKind::kIncorrectState;
  return e;
}

}  // namespace ccm
