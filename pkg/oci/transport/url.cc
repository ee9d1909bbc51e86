#include "pkg/oci/transport/url.h"

namespace ccm::oci {

std::string PercentEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string BuildUrl(std::string_view base_url, std::string_view version_path,
                     const std::vector<std::string>& segments, const QueryParams& query) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  std::string url(base_url);
  if (!version_path.empty() && version_path.front() != '/') url.push_back('/');
  url += version_path;
  while (!url.empty() && url.back() == '/') url.pop_back();
  for (const auto& segment : segments) {
    url.push_back('/');
    url += PercentEncode(segment);
  }
  char sep = '?';
  for (const auto& [name, value] : query) {
    url.push_back(sep);
    sep = '&';
    url += PercentEncode(name);
    url.push_back('=');
    url += PercentEncode(value);
  }
  return url;
}

}  // namespace ccm::oci
