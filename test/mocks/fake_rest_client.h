// An in-memory Kubernetes API for unit tests, behind ccm::kube::RestClient.
// What it reproduces:
// - one global resourceVersion counter; every write gives the object a new one;
// - Create: 409 AlreadyExists (code "AlreadyExists") for a taken name; generateName; uid,
//   creationTimestamp, generation 1; namespace taken from the collection path;
// - Update/UpdateStatus: 404 when absent; 409 Conflict when metadata.resourceVersion is set
//   and differs from the stored one (empty = unconditional); Update never changes `status`,
//   UpdateStatus changes only `status`; generation grows when `spec` changes;
// - Patch: merge patch (also used for strategic merge, whose list semantics are NOT
//   reproduced) and JSON patch (add/replace/remove/test); a resourceVersion in the patch is
//   a precondition;
// - Delete: preconditions (uid, resourceVersion -> 409); objects with finalizers only get
//   metadata.deletionTimestamp and go away when an update empties their finalizers;
// - List: label selectors (=, ==, !=, exists, !exists, in, notin), field selectors on dotted
//   paths (=, ==, !=), pages of `limit`; cluster-wide lists of namespaced resources;
// - Watch: ADDED for existing objects when resource_version is ""/"0", then every later
//   change; 410 kGone when resource_version predates CompactHistory(); ends when
//   CloseWatches() is called, on_event returns false or `cancel` is set.
// Faults: SetReactor() sees each request first and may answer with an error.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/kube/rest_client.h"

namespace ccm::testing {

struct FakeRequest {
  std::string method;  // GET LIST CREATE UPDATE UPDATE_STATUS PATCH DELETE WATCH
  std::string path;
  std::string body;
};

class FakeRestClient final : public kube::RestClient {
 public:
  // `clock` stamps creationTimestamp / deletionTimestamp (wall time).
  explicit FakeRestClient(const Clock& clock);

  Result<std::string> Get(const std::string& path) override;
  Result<std::string> List(const std::string& path, const kube::ListOptions& options,
                           const std::function<Status(const json::Document& page)>& on_page) override;
  Result<std::string> Create(const std::string& collection_path, const std::string& body) override;
  Result<std::string> Update(const std::string& path, const std::string& body) override;
  Result<std::string> UpdateStatus(const std::string& path, const std::string& body) override;
  Result<std::string> Patch(const std::string& path, kube::PatchType type, const std::string& body,
                            bool status_subresource = false) override;
  Status Delete(const std::string& path, const kube::Preconditions& preconditions = {}) override;
  Status Watch(const std::string& path, const kube::WatchOptions& options,
               const std::function<bool(const kube::WatchEvent&)>& on_event,
               const std::atomic<bool>* cancel = nullptr) override;

  // Returns an error to fail the request with, or nullopt to serve it normally. Called
  // without the fake's lock held; may call the fake's test helpers.
  using Reactor = std::function<std::optional<Error>(const FakeRequest&)>;
  void SetReactor(Reactor reactor);

  // Stores `json` at object path `path` as if created (fills metadata); returns the stored JSON.
  Result<std::string> Seed(const std::string& path, const std::string& json);
  // The stored object, or nullopt.
  std::optional<std::string> Object(const std::string& path) const;
  // Object paths under a collection path (same matching as List), sorted.
  std::vector<std::string> Paths(const std::string& collection_path) const;
  std::vector<FakeRequest> requests() const;
  // Requests with this method whose path starts with `path_prefix`.
  int CountRequests(const std::string& method, const std::string& path_prefix = "") const;
  void ClearRequests();
  std::string resource_version() const;

  // Watches from a resourceVersion older than now answer 410 Gone.
  void CompactHistory();
  // Ends every open watch (as a server-side timeout would).
  void CloseWatches();

 private:
  struct Event {
    uint64_t rv;
    std::string type;
    std::string path;
    std::string object;
  };

  std::optional<Error> React(const std::string& method, const std::string& path, const std::string& body);
  Result<std::string> StoreLocked(const std::string& path, json::Document& doc, const char* event_type);
  Result<std::string> ReplaceLocked(const std::string& path, json::Document& next, bool status_only);
  Status RemoveLocked(const std::string& path);

  const Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, std::string> objects_;
  std::vector<Event> history_;
  uint64_t rv_ = 1000;
  uint64_t compacted_rv_ = 0;
  uint64_t watch_epoch_ = 0;
  uint64_t next_uid_ = 1;
  std::vector<FakeRequest> requests_;
  Reactor reactor_;
};

}  // namespace ccm::testing
