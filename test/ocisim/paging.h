// OCI list paging: `limit` and an opaque `page` token in, `opc-next-page` out.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "test/ocisim/api_types.h"

namespace ccm::ocisim {

struct PageWindow {
  size_t begin = 0;
  size_t end = 0;
  std::string next_page;  // "" when this is the last page
};

// Invalid limit/page yields an error response to return as-is.
bool ComputePage(const ApiRequest& request, size_t total, PageWindow& window, ApiResponse& error);

// Joins already-serialized JSON values into an array.
std::string JsonArray(const std::vector<std::string>& items, size_t begin, size_t end);

}  // namespace ccm::ocisim
