// Errors are values: every fallible call returns Result<T> carrying what a user needs to act.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <utility>

namespace ccm {

enum class ErrorKind {
  kInvalidArgument,    // bad input from a user: config, annotation, resource field
  kNotFound,
  kConflict,           // optimistic-concurrency loss (Kubernetes 409, OCI 409/412)
  kIncorrectState,     // OCI 409 IncorrectState: another work request is running
  kUnauthenticated,    // 401: bad signature, clock skew, expired token
  kForbidden,          // 403
  kTooManyRequests,    // 429
  kGone,               // Kubernetes 410: resourceVersion too old
  kUnavailable,        // 5xx, connection refused or reset
  kTimeout,
  kMalformedResponse,  // the peer sent something we cannot parse
  kCanceled,
  kInternal,
};

const char* ErrorKindName(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;
  int http_status = 0;
  std::string code;        // OCI code or Kubernetes reason, e.g. "NotAuthorizedOrNotFound"
  std::string request_id;  // opc-request-id or Kubernetes audit id, when known
  bool retryable = false;
  std::chrono::milliseconds retry_after{0};

  // One line for logs, events and conditions: never includes key material.
  std::string ToString() const;

  // Adds context in front of the message, keeping everything else.
  Error Wrap(const std::string& context) const&;
  Error Wrap(const std::string& context) &&;
};

Error MakeError(ErrorKind kind, std::string message);

// std::expected that must be looked at: [[nodiscard]] turns a dropped error into a compile
// error (libstdc++'s expected carries no such mark).
template <typename T>
class [[nodiscard]] Result : public std::expected<T, Error> {
 public:
  using std::expected<T, Error>::expected;
  // A plain std::expected (e.g. from a generic helper) converts.
  Result(std::expected<T, Error> e) : std::expected<T, Error>(std::move(e)) {}  // NOLINT: implicit
};
using Status = Result<void>;

inline std::unexpected<Error> Fail(ErrorKind kind, std::string message) {
  return std::unexpected(MakeError(kind, std::move(message)));
}
inline std::unexpected<Error> Fail(Error error) { return std::unexpected(std::move(error)); }

}  // namespace ccm
