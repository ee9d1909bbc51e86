#include "test/ocisim/paging.h"

#include <algorithm>
#include <charconv>

namespace ccm::ocisim {
namespace {

bool ParseSize(const std::string& s, size_t& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

bool ComputePage(const ApiRequest& request, size_t total, PageWindow& window, ApiResponse& error) {
  size_t limit = 1000;
  if (request.HasQuery("limit")) {
    if (!ParseSize(request.Query("limit"), limit) || limit < 1 || limit > 1000) {
      error = ApiResponse::Error(400, "InvalidParameter", "limit must be an integer in 1..1000");
      return false;
    }
  }
  size_t offset = 0;
  if (request.HasQuery("page")) {
    std::string page = request.Query("page");
    if (!page.starts_with("sim-page-") || !ParseSize(page.substr(9), offset)) {
      error = ApiResponse::Error(400, "InvalidParameter", "page token '" + page + "' is not valid");
      return false;
    }
  }
  window.begin = std::min(offset, total);
  window.end = std::min(total, window.begin + limit);
  window.next_page = window.end < total ? "sim-page-" + std::to_string(window.end) : "";
  return true;
}

std::string JsonArray(const std::vector<std::string>& items, size_t begin, size_t end) {
  std::string out = "[";
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += ",";
    out += items[i];
  }
  return out + "]";
}

}  // namespace ccm::ocisim
