#include "test/ocisim/signature_verifier.h"

#include <ctime>
#include <sstream>

#include "pkg/base/base64.h"
#include "pkg/base/mutex.h"

namespace ccm::ocisim {
namespace {

VerifyOutcome Failure(std::string key_id, std::string why) {
  return VerifyOutcome{false, std::move(key_id), std::move(why)};
}

bool IsBodyMethod(const std::string& method) {
  return method == "PUT" || method == "POST" || method == "PATCH";
}

std::vector<std::string> SplitSpaces(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

}  // namespace

std::map<std::string, std::string> SignatureVerifier::ParseAuthorization(const std::string& header) {
  std::map<std::string, std::string> out;
  std::string_view h(header);
  if (h.substr(0, 10) != "Signature ") return out;
  h.remove_prefix(10);
  while (!h.empty()) {
    while (!h.empty() && (h.front() == ' ' || h.front() == ',')) h.remove_prefix(1);
    size_t eq = h.find('=');
    if (eq == std::string_view::npos) break;
    std::string key(h.substr(0, eq));
    h.remove_prefix(eq + 1);
    std::string value;
    if (!h.empty() && h.front() == '"') {
      size_t end = h.find('"', 1);
      if (end == std::string_view::npos) return {};
      value = std::string(h.substr(1, end - 1));
      h.remove_prefix(end + 1);
    } else {
      size_t comma = h.find(',');
      value = std::string(h.substr(0, comma));
      h.remove_prefix(comma == std::string_view::npos ? h.size() : comma);
    }
    out[key] = value;
  }
  return out;
}

Status SignatureVerifier::AddKey(const std::string& key_id, const std::string& public_key_pem) {
  auto key = ParsePublicKeyPem(public_key_pem);
  if (!key) return Fail(key.error().Wrap("key " + key_id));
  MutexLock lock(mu_);
  keys_[key_id] = *key;
  return {};
}

void SignatureVerifier::RemoveKey(const std::string& key_id) {
  MutexLock lock(mu_);
  keys_.erase(key_id);
}

void SignatureVerifier::ClearKeys() {
  MutexLock lock(mu_);
  keys_.clear();
  sessions_.clear();
}

std::vector<std::string> SignatureVerifier::KeyIds() const {
  MutexLock lock(mu_);
  std::vector<std::string> ids;
  for (const auto& [id, key] : keys_) ids.push_back(id);
  return ids;
}

void SignatureVerifier::AddSessionToken(const std::string& token, PKeyPtr session_key,
                                        std::chrono::system_clock::time_point expires) {
  MutexLock lock(mu_);
  sessions_[token] = Session{std::move(session_key), expires};
}

VerifyOutcome SignatureVerifier::Verify(const ApiRequest& request,
                                        std::chrono::system_clock::time_point now,
                                        const SignatureRules& rules) const {
  auto params = ParseAuthorization(request.Header("authorization"));
  if (params.empty()) {
    return Failure("", "missing or malformed Authorization header: expected 'Signature keyId=...'");
  }
  const std::string& key_id = params["keyId"];
  PKeyPtr key;
  {
    MutexLock lock(mu_);
    if (key_id.starts_with("ST$")) {
      auto it = sessions_.find(key_id.substr(3));
      if (it == sessions_.end()) return Failure(key_id, "unknown security token in keyId");
      if (it->second.expires <= now) return Failure(key_id, "security token has expired");
      key = it->second.key;
    } else {
      auto it = keys_.find(key_id);
      if (it == keys_.end()) return Failure(key_id, "unknown keyId: no such API key is registered");
      key = it->second;
    }
  }
  VerifyOutcome outcome = VerifyWith(request, key.get(), now, rules);
  outcome.key_id = key_id;
  return outcome;
}

VerifyOutcome SignatureVerifier::VerifyWith(const ApiRequest& request, EVP_PKEY* key,
                                            std::chrono::system_clock::time_point now,
                                            const SignatureRules& rules) {
  auto params = ParseAuthorization(request.Header("authorization"));
  if (params.empty()) {
    return Failure("", "missing or malformed Authorization header: expected 'Signature keyId=...'");
  }
  const std::string key_id = params["keyId"];
  if (params["algorithm"] != "rsa-sha256") {
    return Failure(key_id, "unsupported signature algorithm '" + params["algorithm"] +
                               "': expected rsa-sha256");
  }
  if (params.contains("version") && params["version"] != "1") {
    return Failure(key_id, "unsupported signature version '" + params["version"] + "'");
  }
  // Header names are case-insensitive; the Node SDK lists "Content-Type Content-Length".
  std::vector<std::string> signed_headers =
      SplitSpaces(params.contains("headers") ? params["headers"] : "date");
  for (auto& h : signed_headers) {
    for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto has = [&](const std::string& h) {
    for (const auto& s : signed_headers) {
      if (s == h) return true;
    }
    return false;
  };
  // OCI accepts x-date in place of date (browsers cannot set date; the Node SDK signs x-date).
  const std::string date_header = has("x-date") ? "x-date" : "date";
  std::vector<std::string> required = {date_header, "(request-target)"};
  if (rules.require_host) required.push_back("host");
  if (IsBodyMethod(request.method)) {
    required.insert(required.end(), {"content-length", "content-type", "x-content-sha256"});
  }
  for (const auto& r : required) {
    if (!has(r)) {
      return Failure(key_id, "required header '" + r + "' is not signed for " + request.method);
    }
  }
  std::string signing;
  for (const auto& h : signed_headers) {
    if (!signing.empty()) signing += "\n";
    if (h == "(request-target)") {
      std::string method = request.method;
      for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      signing += "(request-target): " + method + " " + request.target;
    } else {
      if (!request.HasHeader(h)) return Failure(key_id, "signed header '" + h + "' is missing");
      signing += h + ": " + request.Header(h);
    }
  }
  auto signature = Base64Decode(params["signature"]);
  if (!signature) return Failure(key_id, "signature is not valid base64");
  if (!RsaSha256Verify(key, signing, *signature)) {
    return Failure(key_id, "signature does not verify with the key for keyId");
  }
  if (has("x-content-sha256") &&
      request.Header("x-content-sha256") != Sha256Base64(request.body)) {
    return Failure(key_id, "x-content-sha256 does not match the request body");
  }
  if (has("content-length") &&
      request.Header("content-length") != std::to_string(request.body.size())) {
    return Failure(key_id, "content-length does not match the request body");
  }
  std::chrono::system_clock::time_point date;
  if (!ParseHttpDate(request.Header(date_header), date)) {
    return Failure(key_id, date_header + " header '" + request.Header(date_header) +
                               "' is not an RFC 1123 date");
  }
  auto skew = date > now ? date - now : now - date;
  if (skew > rules.max_skew) {
    return Failure(key_id, date_header + " header is " +
                               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(skew).count()) +
                               "s away from the server clock (more than 5 minutes)");
  }
  return VerifyOutcome{true, key_id, ""};
}

bool ParseHttpDate(const std::string& text, std::chrono::system_clock::time_point& out) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return false;
  out = std::chrono::system_clock::from_time_t(timegm(&tm));
  return true;
}

std::string FormatHttpDate(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string FormatRfc3339(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t tt = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[80];
  snprintf(out, sizeof(out), "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

}  // namespace ccm::ocisim
