// Collects every page of an OCI list call (`limit`/`page` query, `opc-next-page` header).
#pragma once

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/status_macros.h"
#include "pkg/oci/transport/oci_transport.h"

namespace ccm::oci {

inline constexpr int kDefaultPageLimit = 100;
// Guards against a service that keeps handing out pages (or repeats a token) forever.
inline constexpr int kMaxPages = 10000;

template <typename T>
Result<std::vector<T>> ListAllPages(OciTransport& transport, const Endpoint& endpoint, OciRequest request,
                                    const std::function<Result<std::vector<T>>(std::string_view)>& parse,
                                    const std::atomic<bool>* cancel, int limit = kDefaultPageLimit) {
  std::vector<T> all;
  std::set<std::string> seen_tokens;
  std::string page;
  const QueryParams base_query = request.query;
  for (int n = 0; n < kMaxPages; ++n) {
    request.query = base_query;
    request.query.emplace_back("limit", std::to_string(limit));
    if (!page.empty()) request.query.emplace_back("page", page);
    ASSIGN_OR_RETURN(auto response, transport.Call(endpoint, request, cancel));
    auto items = parse(response.body);
    if (!items) {
      Error e = items.error().Wrap(request.operation + " page " + std::to_string(n + 1));
      e.request_id = response.Header("opc-request-id");
      return Fail(std::move(e));
    }
    for (auto& item : *items) all.push_back(std::move(item));
    page = response.Header("opc-next-page");
    if (page.empty()) return all;
    if (!seen_tokens.insert(page).second) {
      return Fail(ErrorKind::kMalformedResponse,
                  request.operation + " returned the page token '" + page + "' twice; stopping to avoid a loop");
    }
  }
  return Fail(ErrorKind::kMalformedResponse,
              request.operation + " returned more than " + std::to_string(kMaxPages) + " pages");
}

}  // namespace ccm::oci
