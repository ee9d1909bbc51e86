// A thread-safe cache of projections keyed by ObjectKey ("name" or "namespace/name"), with
// named secondary indexes so lookups such as "slices of service ns/name" or "node with
// providerID X" never scan the whole cache. An index stores only the hash of each value
// (not the value text) and re-checks candidates on lookup, so it costs ~50 bytes per entry. Readers get shared_ptr<const T> snapshots that
// stay valid after the store changes. The informer is the only writer.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ccm::kube {

template <typename T>
class Store {
 public:
  using Ptr = std::shared_ptr<const T>;
  // The index values of an object (none, one or several).
  using IndexFunc = std::function<std::vector<std::string>(const T&)>;

  // Adds a named index; call before the informer starts (existing objects are indexed too).
  void AddIndex(const std::string& name, IndexFunc func) {
    std::unique_lock lock(mu_);
    Index& index = indexes_[name];
    index.func = std::move(func);
    for (const auto& [key, obj] : items_) Insert(index, obj);
  }

  Ptr Get(std::string_view key) const {
    std::shared_lock lock(mu_);
    auto it = items_.find(key);
    return it == items_.end() ? nullptr : it->second;
  }

  std::vector<Ptr> List() const {
    std::shared_lock lock(mu_);
    std::vector<Ptr> out;
    out.reserve(items_.size());
    for (const auto& [key, obj] : items_) out.push_back(obj);
    return out;
  }

  std::vector<std::string> Keys() const {
    std::shared_lock lock(mu_);
    std::vector<std::string> out;
    out.reserve(items_.size());
    for (const auto& [key, obj] : items_) out.push_back(key);
    return out;
  }

  // Objects whose index `index` yields `value`; empty for an unknown index.
  std::vector<Ptr> ByIndex(std::string_view index, std::string_view value) const {
    std::shared_lock lock(mu_);
    auto idx = indexes_.find(index);
    if (idx == indexes_.end()) return {};
    std::vector<Ptr> out;
    auto [begin, end] = idx->second.entries.equal_range(HashOf(value));
    for (auto it = begin; it != end; ++it) {
      for (const auto& v : idx->second.func(*it->second)) {
        if (v == value) {
          out.push_back(it->second);
          break;
        }
      }
    }
    return out;
  }

  size_t size() const {
    std::shared_lock lock(mu_);
    return items_.size();
  }

  // Writer side. Returns the previous object (null if none).
  Ptr Upsert(const std::string& key, Ptr obj) {
    std::unique_lock lock(mu_);
    auto [it, inserted] = items_.try_emplace(key, obj);
    Ptr old;
    if (!inserted) {
      old = std::move(it->second);
      it->second = obj;
      for (auto& [name, index] : indexes_) Erase(index, old);
    }
    for (auto& [name, index] : indexes_) Insert(index, obj);
    return old;
  }

  Ptr Remove(std::string_view key) {
    std::unique_lock lock(mu_);
    auto it = items_.find(key);
    if (it == items_.end()) return nullptr;
    Ptr old = std::move(it->second);
    items_.erase(it);
    for (auto& [name, index] : indexes_) Erase(index, old);
    return old;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct IdentityHash {
    size_t operator()(size_t h) const { return h; }
  };
  struct Index {
    IndexFunc func;
    // value hash -> object; equal_range is small in practice (a service's slices, one node
    // per providerID).
    std::unordered_multimap<size_t, Ptr, IdentityHash> entries;
  };

  static size_t HashOf(std::string_view v) { return std::hash<std::string_view>{}(v); }

  static void Insert(Index& index, const Ptr& obj) {
    auto values = index.func(*obj);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const auto& value : values) index.entries.emplace(HashOf(value), obj);
  }
  static void Erase(Index& index, const Ptr& obj) {
    for (const auto& value : index.func(*obj)) {
      auto [begin, end] = index.entries.equal_range(HashOf(value));
      for (auto it = begin; it != end; ++it) {
        if (it->second == obj) {
          index.entries.erase(it);
          break;
        }
      }
    }
  }

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Ptr, Hash, std::equal_to<>> items_;
  std::map<std::string, Index, std::less<>> indexes_;
};

}  // namespace ccm::kube
