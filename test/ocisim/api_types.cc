#include "test/ocisim/api_types.h"

#include <cctype>

#include "pkg/base/json.h"

namespace ccm::ocisim {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ApiRequest::Header(std::string_view name) const {
  std::string lower = Lower(name);
  for (const auto& [k, v] : headers) {
    if (k == lower) return v;
  }
  return "";
}

bool ApiRequest::HasHeader(std::string_view name) const {
  std::string lower = Lower(name);
  for (const auto& [k, v] : headers) {
    if (k == lower) return true;
  }
  return false;
}

std::string ApiRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

bool ApiRequest::HasQuery(const std::string& name) const { return query.contains(name); }

void ApiResponse::SetHeader(const std::string& name, const std::string& value) {
  std::string lower = Lower(name);
  for (auto& [k, v] : headers) {
    if (k == lower) {
      v = value;
      return;
    }
  }
  headers.emplace_back(lower, value);
}

std::string ApiResponse::Header(std::string_view name) const {
  std::string lower = Lower(name);
  for (const auto& [k, v] : headers) {
    if (k == lower) return v;
  }
  return "";
}

ApiResponse ApiResponse::Json(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.body = std::move(body);
  r.SetHeader("content-type", "application/json");
  return r;
}

ApiResponse ApiResponse::Error(int status, const std::string& code, const std::string& message) {
  std::string body = "{\"code\":";
  json::AppendQuoted(body, code);
  body += ",\"message\":";
  json::AppendQuoted(body, message);
  body += "}";
  return Json(status, std::move(body));
}

ApiResponse ApiResponse::Empty(int status) {
  ApiResponse r;
  r.status = status;
  return r;
}

std::string UrlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

std::string UrlEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

void ParseTarget(const std::string& target, std::vector<std::string>& segments,
                 std::multimap<std::string, std::string>& query) {
  size_t q = target.find('?');
  std::string_view path = std::string_view(target).substr(0, q);
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) {
      // '+' is literal in a path; decode only %XX there.
      std::string seg(path.substr(start, slash - start));
      std::string decoded;
      for (size_t i = 0; i < seg.size(); ++i) {
        if (seg[i] == '%' && i + 2 < seg.size()) {
          int hi = HexValue(seg[i + 1]), lo = HexValue(seg[i + 2]);
          if (hi >= 0 && lo >= 0) {
            decoded.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
            continue;
          }
        }
        decoded.push_back(seg[i]);
      }
      segments.push_back(std::move(decoded));
    }
    start = slash + 1;
  }
  if (q == std::string::npos) return;
  std::string_view qs = std::string_view(target).substr(q + 1);
  size_t pos = 0;
  while (pos <= qs.size() && !qs.empty()) {
    size_t amp = qs.find('&', pos);
    if (amp == std::string_view::npos) amp = qs.size();
    std::string_view pair = qs.substr(pos, amp - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key = UrlDecode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
      query.emplace(std::move(key), std::move(value));
    }
    pos = amp + 1;
    if (amp == qs.size()) break;
  }
}

}  // namespace ccm::ocisim
