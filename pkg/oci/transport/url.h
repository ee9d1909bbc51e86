// Absolute OCI request URLs: base URL + version path + percent-encoded path segments and query.
// Path segments are encoded like the SDKs' encodeURIComponent, so a backend name such as
// `10.0.0.1:8080` travels as `10.0.0.1%3A8080` and the signer signs exactly what is sent.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccm::oci {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Keeps RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~); encodes every other byte as %XX.
std::string PercentEncode(std::string_view text);

// `base_url` like "https://iaas.us-phoenix-1.oraclecloud.com" (a trailing '/' is ignored),
// `version_path` like "/20170115"; segments and query values are unescaped input.
std::string BuildUrl(std::string_view base_url, std::string_view version_path,
                     const std::vector<std::string>& segments, const QueryParams& query);

}  // namespace ccm::oci
