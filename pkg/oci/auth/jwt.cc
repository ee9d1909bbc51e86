#include "pkg/oci/auth/jwt.h"

#include "pkg/base/base64.h"
#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"

namespace ccm::oci {
namespace {

Result<std::optional<std::chrono::system_clock::time_point>> Seconds(const json::Value& payload, const char* name) {
  const json::Value* v = json::Find(payload, name);
  if (v == nullptr || v->IsNull()) return std::nullopt;
  if (!v->IsNumber()) return Fail(ErrorKind::kMalformedResponse, std::string("security token claim '") + name + "' is not a number");
  // Bounded before converting: a garbled claim must not overflow the cast or the clock's
  // nanoseconds (found by test/fuzz/instance_principals).
  // 2200-01-01T00:00:00Z: the clock counts nanoseconds in 64 bits, which ends in 2262.
  constexpr double kMaxSeconds = 7258118400;
  const double d = v->GetDouble();
  if (!(d >= 0 && d <= kMaxSeconds)) {
    return Fail(ErrorKind::kMalformedResponse, std::string("security token claim '") + name + "' is out of range");
  }
  auto secs = static_cast<int64_t>(d);
  return std::chrono::system_clock::time_point(std::chrono::seconds(secs));
}

}  // namespace

Result<JwtTimes> ParseJwtTimes(std::string_view token) {
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) {
    return Fail(ErrorKind::kMalformedResponse, "security token is not a JWT (expected three dot-separated parts)");
  }
  auto payload_json = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  if (!payload_json) return Fail(ErrorKind::kMalformedResponse, "security token payload is not base64url");
  ASSIGN_OR_RETURN(auto doc, json::Parse(*payload_json, "security token payload"));
  if (!doc.IsObject()) return Fail(ErrorKind::kMalformedResponse, "security token payload is not a JSON object");
  ASSIGN_OR_RETURN(auto exp, Seconds(doc, "exp"));
  if (!exp) return Fail(ErrorKind::kMalformedResponse, "security token has no 'exp' claim");
  ASSIGN_OR_RETURN(auto iat, Seconds(doc, "iat"));
  return JwtTimes{*exp, iat};
}

}  // namespace ccm::oci
