// The parts of a whole-set write both load-balancer services share: keeping a read's raw set
// (with its ETag) as the write's starting point, and the write itself, which sends nothing when
// the merged set equals the current one and turns OCI's 412 into ChangedSinceRead.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pkg/base/status_macros.h"
#include "pkg/oci/clients/backend_set_api.h"

namespace ccm::oci {

template <typename RawSet>
struct RawBackendSetSnapshot final : BackendSetSnapshot {
  RawSet set;
};

// BackendSetInfo of a raw read; the raw set is kept when it came with an ETag (without one a
// write could not be guarded, so it reads again instead).
template <typename RawSet, typename ToInfo>
BackendSetInfo InfoOfRead(RawSet raw, ToInfo to_info) {
  BackendSetInfo info{.name = raw.name, .policy = raw.policy};
  info.backends.reserve(raw.backends.size());
  for (const auto& b : raw.backends) info.backends.push_back(to_info(b));
  if (!raw.etag.empty()) {
    auto snapshot = std::make_shared<RawBackendSetSnapshot<RawSet>>();
    snapshot->set = std::move(raw);
    info.snapshot = std::move(snapshot);
  }
  return info;
}

// The set a write starts from: the planned read's snapshot (its ETag guards the write), or a
// fresh read, which must still hold the backends the caller planned against.
template <typename RawSet, typename Reread, typename ToInfo>
Result<RawSet> StartingSet(BackendSetInfo* read, Reread reread, ToInfo to_info, const std::string& lb_id,
                           const std::string& set) {
  if (read != nullptr) {
    if (auto* snapshot = dynamic_cast<RawBackendSetSnapshot<RawSet>*>(read->snapshot.get())) {
      RawSet start = std::move(snapshot->set);  // taken, not copied: a 500-backend set is ~0.1 MB
      read->snapshot.reset();
      return start;
    }
  }
  ASSIGN_OR_RETURN(RawSet fresh, reread());
  if (read != nullptr) {
    std::vector<BackendInfo> now;
    now.reserve(fresh.backends.size());
    for (const auto& b : fresh.backends) now.push_back(to_info(b));
    if (!SameBackends(now, read->backends)) return Fail(ChangedSinceReadError(lb_id, set));
  }
  return fresh;
}

// Merges `desired` into `start` and writes it: "" when nothing differs.
template <typename RawSet, typename MergeFn, typename DetailsFn, typename WriteFn>
Result<std::string> WriteMerged(RawSet start, const std::vector<BackendSpec>& desired, MergeFn merge,
                                DetailsFn details, WriteFn write, const std::string& lb_id, const std::string& set) {
  ASSIGN_OR_RETURN(auto merged, merge(start.backends, desired));
  if (SameBackendDetails(merged, start.backends, details)) return std::string();
  start.backends = std::move(merged);
  Result<std::string> wr = write(start);
  // 412: the set changed after the read (a console edit): re-plan, never overwrite it.
  if (!wr && wr.error().http_status == 412) return Fail(ChangedSinceReadError(lb_id, set));
  return wr;
}

}  // namespace ccm::oci
