// A thread-safe cache of projections keyed by ObjectKey ("name" or "namespace/name"), with
// named secondary indexes so lookups such as "slices of service ns/name" or "node with
// providerID X" never scan the whole cache. Readers get shared_ptr<const T> snapshots that stay
// valid after the store changes. The informer is the only writer.
//
// Memory: items and indexes are flat open-addressing tables (probe_table.h): an object costs a
// 24-byte slot plus one allocation for its key text, and an index entry a 24-byte slot holding
// the value's hash (not its text; candidates are re-checked on lookup).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/base/mutex.h"
#include "pkg/kube/informer/probe_table.h"

namespace ccm::kube {

namespace store_internal {

inline size_t KeyHash(std::string_view key) {
  uint64_t h = std::hash<std::string_view>{}(key);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

// An owned key: one allocation holding its hash, length and text; 8 bytes in the slot.
class KeyText {
 public:
  KeyText() = default;
  explicit KeyText(std::string_view text) {
    rep_ = static_cast<Rep*>(::operator new(sizeof(Rep) + text.size()));
    rep_->hash = static_cast<uint32_t>(KeyHash(text));
    rep_->length = static_cast<uint32_t>(text.size());
    std::copy(text.begin(), text.end(), rep_->text());
  }
  KeyText(KeyText&& o) noexcept : rep_(std::exchange(o.rep_, nullptr)) {}
  KeyText& operator=(KeyText&& o) noexcept {
    if (this != &o) {
      Free();
      rep_ = std::exchange(o.rep_, nullptr);
    }
    return *this;
  }
  ~KeyText() { Free(); }

  bool null() const { return rep_ == nullptr; }
  size_t hash() const { return rep_->hash; }
  std::string_view view() const { return {rep_->text(), rep_->length}; }
  size_t HeapBytes() const { return rep_ == nullptr ? 0 : sizeof(Rep) + rep_->length; }

 private:
  struct Rep {
    uint32_t hash;
    uint32_t length;
    char* text() { return reinterpret_cast<char*>(this + 1); }
  };
  void Free() {
    if (rep_ != nullptr) ::operator delete(static_cast<void*>(rep_));
    rep_ = nullptr;
  }
  Rep* rep_ = nullptr;
};

}  // namespace store_internal

template <typename T>
class Store {
 public:
  using Ptr = std::shared_ptr<const T>;
  // The index values of an object (none, one or several).
  using IndexFunc = std::function<std::vector<std::string>(const T&)>;

  // Adds a named index; call before the informer starts (existing objects are indexed too).
  void AddIndex(const std::string& name, IndexFunc func) {
    WriterLock lock(mu_);
    Index& index = indexes_[name];
    index.func = std::move(func);
    items_.ForEach([&](const ItemSlot& s) { Insert(index, s.obj); });
  }

  Ptr Get(std::string_view key) const {
    ReaderLock lock(mu_);
    size_t i = FindItem(key);
    return i == Items::kNone ? nullptr : items_.at(i).obj;
  }

  std::vector<Ptr> List() const {
    ReaderLock lock(mu_);
    std::vector<Ptr> out;
    out.reserve(items_.size());
    items_.ForEach([&](const ItemSlot& s) { out.push_back(s.obj); });
    return out;
  }

  std::vector<std::string> Keys() const {
    ReaderLock lock(mu_);
    std::vector<std::string> out;
    out.reserve(items_.size());
    items_.ForEach([&](const ItemSlot& s) { out.emplace_back(s.key.view()); });
    return out;
  }

  // Objects whose index `index` yields `value`; empty for an unknown index.
  std::vector<Ptr> ByIndex(std::string_view index, std::string_view value) const {
    ReaderLock lock(mu_);
    auto idx = indexes_.find(index);
    if (idx == indexes_.end()) return {};
    std::vector<Ptr> out;
    const size_t h = HashOf(value);
    idx->second.entries.Probe(h, [&](const IndexSlot& s) {
      if (s.value_hash != h) return false;
      for (const auto& v : idx->second.func(*s.obj)) {
        if (v == value) {
          out.push_back(s.obj);
          break;
        }
      }
      return false;
    });
    return out;
  }

  size_t size() const {
    ReaderLock lock(mu_);
    return items_.size();
  }

  // Heap the store itself holds (tables and keys), not counting the objects.
  size_t HeapBytes() const {
    ReaderLock lock(mu_);
    size_t b = items_.HeapBytes();
    items_.ForEach([&](const ItemSlot& s) { b += s.key.HeapBytes(); });
    for (const auto& [name, index] : indexes_) b += index.entries.HeapBytes();
    return b;
  }

  // Writer side. Returns the previous object (null if none).
  Ptr Upsert(const std::string& key, Ptr obj) {
    WriterLock lock(mu_);
    Ptr old;
    if (size_t i = FindItem(key); i != Items::kNone) {
      old = std::exchange(items_.at(i).obj, obj);
      for (auto& [name, index] : indexes_) Erase(index, old);
    } else {
      items_.Insert(ItemSlot{store_internal::KeyText(key), obj});
    }
    for (auto& [name, index] : indexes_) Insert(index, obj);
    return old;
  }

  Ptr Remove(std::string_view key) {
    WriterLock lock(mu_);
    size_t i = FindItem(key);
    if (i == Items::kNone) return nullptr;
    Ptr old = items_.EraseAt(i).obj;
    for (auto& [name, index] : indexes_) Erase(index, old);
    return old;
  }

 private:
  struct ItemSlot {
    store_internal::KeyText key;
    Ptr obj;
    bool empty() const { return key.null(); }
    size_t hash() const { return key.hash(); }
  };
  struct IndexSlot {
    size_t value_hash = 0;
    Ptr obj;
    bool empty() const { return obj == nullptr; }
    size_t hash() const { return value_hash; }
  };
  using Items = store_internal::ProbeTable<ItemSlot>;
  struct Index {
    IndexFunc func;
    // Several slots may share a hash: a service's slices, or a hash collision.
    store_internal::ProbeTable<IndexSlot> entries;
  };

  static size_t HashOf(std::string_view v) { return std::hash<std::string_view>{}(v); }

  size_t FindItem(std::string_view key) const REQUIRES_SHARED(mu_) {
    const size_t h = store_internal::KeyHash(key);
    return items_.Probe(h, [&](const ItemSlot& s) { return s.key.hash() == h && s.key.view() == key; });
  }

  static std::vector<std::string> DistinctValues(const Index& index, const T& obj) {
    auto values = index.func(obj);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
  }
  static void Insert(Index& index, const Ptr& obj) {
    for (const auto& value : DistinctValues(index, *obj)) index.entries.Insert(IndexSlot{HashOf(value), obj});
  }
  static void Erase(Index& index, const Ptr& obj) {
    for (const auto& value : DistinctValues(index, *obj)) {
      const size_t h = HashOf(value);
      size_t i = index.entries.Probe(h, [&](const IndexSlot& s) { return s.value_hash == h && s.obj == obj; });
      if (i != decltype(index.entries)::kNone) index.entries.EraseAt(i);
    }
  }

  mutable SharedMutex mu_;
  Items items_ GUARDED_BY(mu_);
  std::map<std::string, Index, std::less<>> indexes_ GUARDED_BY(mu_);
};

}  // namespace ccm::kube
