// Every ownership record held compactly: a backend key "target:port" is a pair of integers,
// and each target (an IP or an instance OCID, up to ~90 bytes) is stored once however many
// backend sets of however many load balancers hold it. At 10 load balancers x 50 sets x 500
// nodes that is ~1.5 MB instead of ~30 MB of std::set<std::string> (or ~6 MB with a table per
// load balancer: every network load balancer names the same instance OCIDs).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pkg/cloud/registrar/backend_plan.h"

namespace ccm::cloud::registrar {

class CompactOwnership {
 public:
  // Replaces (or, for an empty record, removes) one set's record.
  void Put(const std::string& lb, const std::string& backend_set, const Ownership& ownership);
  void Erase(const std::string& lb, const std::string& backend_set);
  bool Contains(const std::string& lb, const std::string& backend_set) const {
    return sets_.contains(SetKey{lb, backend_set});
  }
  // The record as the planner uses it; empty when there is none.
  Ownership Get(const std::string& lb, const std::string& backend_set) const;
  // Whether Put(lb, backend_set, ownership) would change nothing.
  bool Equals(const std::string& lb, const std::string& backend_set, const Ownership& ownership) const;
  // Backend set -> the sources its record names, for every set of `lb` with a record.
  std::map<std::string, std::set<std::string>> Sources(const std::string& lb) const;
  // Load balancers with at least one record.
  std::vector<std::string> LoadBalancers() const;
  bool empty() const { return sets_.empty(); }
  size_t targets() const { return targets_.size(); }

 private:
  struct Entry {
    uint32_t target;
    int32_t port;  // -1: the key had no numeric port; the target is the whole key
    auto operator<=>(const Entry&) const = default;
  };
  // A set's backends nearly always share one NodePort: then only target ids are kept (4
  // bytes a backend), else a port beside each.
  class OwnedEntries {
   public:
    explicit OwnedEntries(const std::vector<Entry>& sorted);
    OwnedEntries() = default;
    std::vector<Entry> Entries() const;
    size_t size() const { return targets_.size(); }
    // Rewrites target ids (after compaction) and restores the sort order.
    template <typename Remap>
    void RemapTargets(Remap remap) {
      std::vector<Entry> entries = Entries();
      for (auto& e : entries) e.target = remap(e.target);
      std::sort(entries.begin(), entries.end());
      *this = OwnedEntries(entries);
    }

   private:
    std::vector<uint32_t> targets_;
    std::vector<int32_t> ports_;  // empty when every entry has `port_`
    int32_t port_ = -1;
  };
  struct Record {
    OwnedEntries owned;  // sorted by (target, port)
    std::map<std::string, WallTime> drain_since;
    std::set<std::string> sources;
  };
  uint32_t Intern(std::string_view target);
  std::vector<Entry> Encode(const std::set<std::string>& keys);
  std::vector<Entry> Lookup(const std::set<std::string>& keys) const;  // no interning; misses get UINT32_MAX
  // Drops targets no record uses once the table has doubled since the last compaction.
  void MaybeCompact();

  using SetKey = std::pair<std::string, std::string>;  // (load balancer, backend set)
  std::map<SetKey, Record> sets_;
  std::deque<std::string> targets_;  // stable addresses for index_'s views
  std::unordered_map<std::string_view, uint32_t> index_;
  size_t compacted_size_ = 0;
};

}  // namespace ccm::cloud::registrar
