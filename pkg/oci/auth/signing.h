// OCI request signing (HTTP Signatures draft-cavage-08, rsa-sha256), as pure functions of
// the request, the Date value, the key and the keyId: no clock, no state, so the output can
// be checked byte for byte against Oracle's published test values.
//
// Signed headers: GET/HEAD/DELETE `date (request-target) host`; PUT/POST/PATCH add
// `content-length content-type x-content-sha256`. (request-target) is the lower-case method,
// a space, and the path and query exactly as sent on the wire.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"
#include "pkg/oci/auth/rsa_key.h"

namespace ccm::oci {

struct RequestUrlParts {
  std::string host;            // lower-case, with ":port" unless the scheme's default
  std::string request_target;  // path and query as sent, "/" when the URL has no path
};

// Splits an absolute http(s) URL. Rejects what a client would rewrite before sending
// (spaces, non-ASCII, "." and ".." segments) so the signed target is the sent target.
Result<RequestUrlParts> ParseRequestUrl(std::string_view url);

// True for PUT, POST and PATCH (any case).
bool MethodSignsBody(std::string_view method);
// The header names OCI signs for `method`, in order.
std::vector<std::string> DefaultSignedHeaders(std::string_view method);
// The headers the federation endpoint (auth /v1/x509) expects: no host, as Oracle's SDKs.
std::vector<std::string> FederationSignedHeaders();

// Base64 SHA-256 of `body`: the x-content-sha256 value.
std::string ContentSha256(std::string_view body);
// RFC 7231 IMF-fixdate in GMT: "Thu, 05 Jan 2014 21:31:40 GMT".
std::string FormatHttpDate(std::chrono::system_clock::time_point time);

// `name: value` lines joined by "\n" for each of `names`; "(request-target)" is derived from
// `method` and `request_target`, other values come from `headers` (names matched without
// case). Fails naming a header that is absent.
Result<std::string> BuildSigningString(std::string_view method, std::string_view request_target,
                                       const HttpHeaders& headers, const std::vector<std::string>& names);

// Signature version="1",headers="...",keyId="...",algorithm="rsa-sha256",signature="..."
std::string FormatAuthorization(const std::vector<std::string>& names, std::string_view key_id,
                                std::string_view signature_base64);

// Sets (replacing any earlier value) date, host, and for PUT/POST/PATCH content-length,
// x-content-sha256 and content-type (kept when present, else application/json), then
// authorization. `signed_headers` empty means DefaultSignedHeaders(method).
Status SignRequest(HttpRequest& request, std::string_view date, const RsaPrivateKey& key,
                   std::string_view key_id, const std::vector<std::string>& signed_headers = {});

// Header helpers: names compared without case; SetHeader stores the lower-case name.
const std::string* FindHeader(const HttpHeaders& headers, std::string_view name);
void SetHeader(HttpHeaders& headers, std::string_view name, std::string value);

}  // namespace ccm::oci
