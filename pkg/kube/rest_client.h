// The seam between controllers and the Kubernetes API. Bodies are JSON text; callers decode
// only the fields they need (see informer projections). Non-2xx answers become typed errors:
// kNotFound, kConflict (code "Conflict" or "AlreadyExists"), kGone (410 / Expired),
// kTooManyRequests (retry_after from Retry-After), kForbidden, kUnauthenticated,
// kInvalidArgument (422 Invalid; message lists the field causes), kUnavailable (5xx).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::kube {

enum class PatchType { kMerge, kJson, kStrategicMerge };

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 500;           // page size; pages are followed with `continue`
  std::string resource_version;  // "" = most recent
};

struct WatchOptions {
  std::string resource_version;
  std::string label_selector;
  std::string field_selector;
  bool allow_bookmarks = true;
  int timeout_seconds = 300;
};

struct Preconditions {
  std::string uid;
  std::string resource_version;
};

// One decoded watch event. `object` lives only for the duration of the callback.
struct WatchEvent {
  std::string_view type;  // ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
  const json::Value& object;
};

class RestClient {
 public:
  virtual ~RestClient() = default;

  // `path` is an absolute API path: "/api/v1/nodes/n1",
  // "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/l".
  virtual Result<std::string> Get(const std::string& path) = 0;
  // Follows `continue` until done, calling `on_page` with each page's decoded document.
  // Returns the list's resourceVersion (from the last page).
  virtual Result<std::string> List(const std::string& path, const ListOptions& options,
                                   const std::function<Status(const json::Document& page)>& on_page) = 0;
  virtual Result<std::string> Create(const std::string& collection_path, const std::string& body) = 0;
  // PUT; the body carries metadata.resourceVersion for optimistic concurrency.
  virtual Result<std::string> Update(const std::string& path, const std::string& body) = 0;
  virtual Result<std::string> UpdateStatus(const std::string& path, const std::string& body) = 0;
  virtual Result<std::string> Patch(const std::string& path, PatchType type, const std::string& body,
                                    bool status_subresource = false) = 0;
  virtual Status Delete(const std::string& path, const Preconditions& preconditions = {}) = 0;
  // Streams events until the server ends the watch, `on_event` returns false, or `cancel` is
  // set. A 410 (HTTP or an ERROR event with code 410) is returned as kGone.
  virtual Status Watch(const std::string& path, const WatchOptions& options,
                       const std::function<bool(const WatchEvent&)>& on_event,
                       const std::atomic<bool>* cancel = nullptr) = 0;
};

}  // namespace ccm::kube
