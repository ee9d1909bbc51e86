#include "pkg/oci/auth/signing.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "pkg/base/base64.h"
#include "pkg/base/status_macros.h"

namespace ccm::oci {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool HasDotSegment(std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg == "." || seg == "..") return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

Result<RequestUrlParts> ParseRequestUrl(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return Fail(ErrorKind::kInvalidArgument, "cannot sign request URL '" + std::string(url) + "': " + why);
  };
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return bad("it must be absolute (https://host/path)");
  std::string scheme = Lower(url.substr(0, scheme_end));
  if (scheme != "https" && scheme != "http") return bad("scheme must be https or http");
  std::string_view rest = url.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return bad("user information in URLs is not supported");

  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 address");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after IPv6 address");
      port = after.substr(1);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("host is empty");
  if (!std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return bad("port is not a number");
  }

  RequestUrlParts parts;
  parts.host = Lower(host);
  const bool default_port = port.empty() || (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
  if (!default_port) parts.host += ":" + std::string(port);

  target = target.substr(0, target.find('#'));  // fragments are never sent
  for (char c : target) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return bad("path and query must be percent-encoded (found a space, control or non-ASCII byte)");
  }
  std::string_view path = target.substr(0, target.find('?'));
  if (HasDotSegment(path)) return bad("'.' and '..' path segments are rewritten by HTTP clients; remove them");
  parts.request_target = (target.empty() || target.front() == '?') ? "/" + std::string(target) : std::string(target);
  return parts;
}

bool MethodSignsBody(std::string_view method) {
  return EqualsNoCase(method, "PUT") || EqualsNoCase(method, "POST") || EqualsNoCase(method, "PATCH");
}

std::vector<std::string> DefaultSignedHeaders(std::string_view method) {
  std::vector<std::string> names = {"date", "(request-target)", "host"};
  if (MethodSignsBody(method)) {
    names.insert(names.end(), {"content-length", "content-type", "x-content-sha256"});
  }
  return names;
}

std::vector<std::string> FederationSignedHeaders() {
  return {"date", "(request-target)", "content-length", "content-type", "x-content-sha256"};
}

std::string ContentSha256(std::string_view body) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(body.data(), body.size(), md, &len, EVP_sha256(), nullptr);
  return Base64Encode(std::string_view(reinterpret_cast<char*>(md), len));
}

std::string FormatHttpDate(std::chrono::system_clock::time_point time) {
  // Fixed English names: strftime would follow the process locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(time));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

const std::string* FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (EqualsNoCase(k, name)) return &v;
  }
  return nullptr;
}

void SetHeader(HttpHeaders& headers, std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return EqualsNoCase(h.first, name); });
  headers.emplace_back(Lower(name), std::move(value));
}

Result<std::string> BuildSigningString(std::string_view method, std::string_view request_target,
                                       const HttpHeaders& headers, const std::vector<std::string>& names) {
  std::string out;
  for (const auto& raw_name : names) {
    std::string name = Lower(raw_name);
    if (!out.empty()) out.push_back('\n');
    if (name == "(request-target)") {
      out += "(request-target): " + Lower(method) + " " + std::string(request_target);
      continue;
    }
    const std::string* value = FindHeader(headers, name);
    if (value == nullptr) {
      return Fail(ErrorKind::kInvalidArgument, "cannot sign request: header '" + name + "' is missing");
    }
    out += name + ": " + *value;
  }
  return out;
}

std::string FormatAuthorization(const std::vector<std::string>& names, std::string_view key_id,
                                std::string_view signature_base64) {
  std::string joined;
  for (const auto& n : names) {
    if (!joined.empty()) joined.push_back(' ');
    joined += Lower(n);
  }
  return "Signature version=\"1\",headers=\"" + joined + "\",keyId=\"" + std::string(key_id) +
         "\",algorithm=\"rsa-sha256\",signature=\"" + std::string(signature_base64) + "\"";
}

Status SignRequest(HttpRequest& request, std::string_view date, const RsaPrivateKey& key,
                   std::string_view key_id, const std::vector<std::string>& signed_headers) {
  ASSIGN_OR_RETURN(auto url, ParseRequestUrl(request.url));
  SetHeader(request.headers, "date", std::string(date));
  SetHeader(request.headers, "host", url.host);
  if (MethodSignsBody(request.method)) {
    SetHeader(request.headers, "content-length", std::to_string(request.body.size()));
    if (FindHeader(request.headers, "content-type") == nullptr) {
      SetHeader(request.headers, "content-type", "application/json");
    }
    SetHeader(request.headers, "x-content-sha256", ContentSha256(request.body));
  }
  const std::vector<std::string> names = signed_headers.empty() ? DefaultSignedHeaders(request.method) : signed_headers;
  ASSIGN_OR_RETURN(auto signing_string, BuildSigningString(request.method, url.request_target, request.headers, names));
  ASSIGN_OR_RETURN(auto signature, key.SignSha256(signing_string));
  SetHeader(request.headers, "authorization", FormatAuthorization(names, key_id, Base64Encode(signature)));
  return {};
}

}  // namespace ccm::oci
