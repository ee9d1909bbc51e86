// The simulator's view of one HTTP exchange, independent of the HTTP library, so handlers
// can be called directly (in-process tests) and through the server alike.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/http_transport.h"

namespace ccm::ocisim {

struct ApiRequest {
  std::string method;                 // upper-case
  std::string target;                 // path and query exactly as sent (signed as-is)
  std::vector<std::string> segments;  // URL-decoded path segments, empty ones dropped
  std::multimap<std::string, std::string> query;  // URL-decoded
  HttpHeaders headers;                // names lower-cased
  std::string body;

  std::string Header(std::string_view name) const;  // "" when absent
  bool HasHeader(std::string_view name) const;
  std::string Query(const std::string& name) const;  // "" when absent
  bool HasQuery(const std::string& name) const;
};

struct ApiResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;
  // Close the connection without any answer (fault injection).
  bool drop_connection = false;

  void SetHeader(const std::string& name, const std::string& value);
  std::string Header(std::string_view name) const;

  static ApiResponse Json(int status, std::string body);
  // OCI's error shape: {"code": ..., "message": ...}.
  static ApiResponse Error(int status, const std::string& code, const std::string& message);
  static ApiResponse Empty(int status);
};

// Parses "/a/b%3Ac?x=1&y=2" into decoded segments and query pairs.
void ParseTarget(const std::string& target, std::vector<std::string>& segments,
                 std::multimap<std::string, std::string>& query);
std::string UrlDecode(std::string_view s);
std::string UrlEncode(std::string_view s);

}  // namespace ccm::ocisim
