#include "pkg/kube/informer/interned_string.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_set>

namespace ccm::kube {

struct InternedString::Entry {
  std::atomic<uint32_t> refs;
  uint32_t length;
  size_t hash;
  char data[1];
  std::string_view view() const { return {data, length}; }
};

namespace {

using Entry = InternedString::Entry;

struct EntryHash {
  using is_transparent = void;
  size_t operator()(const Entry* e) const { return e->hash; }
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct EntryEq {
  using is_transparent = void;
  bool operator()(const Entry* a, const Entry* b) const { return a == b; }
  bool operator()(std::string_view a, const Entry* b) const { return a == b->view(); }
  bool operator()(const Entry* a, std::string_view b) const { return a->view() == b; }
};

// Decrements that could reach zero and lookups that increment both happen under `mu`, so an
// entry is never found and freed at the same time.
struct Pool {
  std::mutex mu;
  std::unordered_set<Entry*, EntryHash, EntryEq> entries;
  size_t bytes = 0;
};

Pool& ThePool() {
  static Pool* pool = new Pool();  // never destroyed: cached objects may outlive statics
  return *pool;
}

size_t EntrySize(size_t length) { return offsetof(Entry, data) + length + 1; }

Entry* Acquire(std::string_view text) {
  Pool& pool = ThePool();
  size_t hash = std::hash<std::string_view>{}(text);
  std::lock_guard lock(pool.mu);
  auto it = pool.entries.find(text);
  if (it != pool.entries.end()) {
    (*it)->refs.fetch_add(1, std::memory_order_relaxed);
    return *it;
  }
  void* mem = std::malloc(EntrySize(text.size()));
  if (mem == nullptr) throw std::bad_alloc();
  Entry* e = static_cast<Entry*>(mem);
  new (&e->refs) std::atomic<uint32_t>(1);
  e->length = static_cast<uint32_t>(text.size());
  e->hash = hash;
  std::memcpy(e->data, text.data(), text.size());
  e->data[text.size()] = '\0';
  pool.entries.insert(e);
  pool.bytes += EntrySize(text.size());
  return e;
}

void Unref(Entry* e) {
  uint32_t r = e->refs.load(std::memory_order_relaxed);
  while (r > 1) {
    if (e->refs.compare_exchange_weak(r, r - 1, std::memory_order_acq_rel)) return;
  }
  Pool& pool = ThePool();
  std::lock_guard lock(pool.mu);
  if (e->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  pool.entries.erase(e);
  pool.bytes -= EntrySize(e->length);
  e->refs.~atomic();
  std::free(e);
}

}  // namespace

InternedString::InternedString(std::string_view text) : entry_(text.empty() ? nullptr : Acquire(text)) {}

InternedString::InternedString(const InternedString& other) : entry_(other.entry_) {
  if (entry_ != nullptr) entry_->refs.fetch_add(1, std::memory_order_relaxed);
}

InternedString& InternedString::operator=(const InternedString& other) {
  if (this == &other) return *this;
  if (other.entry_ != nullptr) other.entry_->refs.fetch_add(1, std::memory_order_relaxed);
  Release();
  entry_ = other.entry_;
  return *this;
}

InternedString& InternedString::operator=(InternedString&& other) noexcept {
  if (this == &other) return *this;
  Release();
  entry_ = other.entry_;
  other.entry_ = nullptr;
  return *this;
}

InternedString::~InternedString() { Release(); }

void InternedString::Release() {
  if (entry_ != nullptr) Unref(entry_);
  entry_ = nullptr;
}

std::string_view InternedString::view() const { return entry_ == nullptr ? std::string_view() : entry_->view(); }

size_t InternedString::PoolEntries() {
  std::lock_guard lock(ThePool().mu);
  return ThePool().entries.size();
}

size_t InternedString::PoolBytes() {
  std::lock_guard lock(ThePool().mu);
  // Entries plus the hash set's own node and bucket storage (an estimate).
  return ThePool().bytes + ThePool().entries.size() * 32 + ThePool().entries.bucket_count() * sizeof(void*);
}

}  // namespace ccm::kube
