#include "pkg/kube/informer/interned_string.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__GLIBC__)
#include <malloc.h>

#include "pkg/base/mutex.h"
#endif

namespace ccm::kube {

// 12-byte header: a short value (an IP, a zone) fits one 32-byte allocator chunk.
struct InternedString::Entry {
  std::atomic<uint32_t> refs;
  uint32_t length;
  uint32_t hash;
  char data[1];
  std::string_view view() const { return {data, length}; }
};

namespace {

using Entry = InternedString::Entry;

uint32_t Hash32(std::string_view s) {
  uint64_t h = std::hash<std::string_view>{}(s);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

// Heap footprint of one malloc'd block, allocator header and rounding included, so the pool
// figure is comparable with what operator-new accounting sees for the rest of the cache.
size_t Footprint(void* p, size_t requested) {
#if defined(__GLIBC__)
  (void)requested;
  return malloc_usable_size(p) + sizeof(size_t);
#else
  (void)p;
  return requested + sizeof(size_t);
#endif
}

// An open-addressing (linear probing) set of entries, allocated with malloc so the pool's
// memory is exactly what PoolBytes() reports. 8 bytes per slot, at most 3/4 full.
// Decrements that could reach zero and lookups that increment both happen under `mu`, so an
// entry is never found and freed at the same time.
class Pool {
 public:
  Mutex mu;

  Entry* Acquire(std::string_view text) {
    const uint32_t hash = Hash32(text);
    MutexLock lock(mu);
    size_t i = hash & mask_;
    for (; slots_ != nullptr && slots_[i] != nullptr; i = (i + 1) & mask_) {
      Entry* e = slots_[i];
      if (e->hash == hash && e->view() == text) {
        e->refs.fetch_add(1, std::memory_order_relaxed);
        return e;
      }
    }
    if (slots_ == nullptr || (count_ + 1) * 4 > (mask_ + 1) * 3) {
      Resize(slots_ == nullptr ? 64 : (mask_ + 1) * 2);
      for (i = hash & mask_; slots_[i] != nullptr; i = (i + 1) & mask_) {
      }
    }
    const size_t size = offsetof(Entry, data) + text.size() + 1;
    void* mem = std::malloc(size);
    if (mem == nullptr) throw std::bad_alloc();
    Entry* e = static_cast<Entry*>(mem);
    new (&e->refs) std::atomic<uint32_t>(1);
    e->length = static_cast<uint32_t>(text.size());
    e->hash = hash;
    std::memcpy(e->data, text.data(), text.size());
    e->data[text.size()] = '\0';
    slots_[i] = e;
    ++count_;
    entry_bytes_ += Footprint(mem, size);
    return e;
  }

  // Called with `mu` held once the last reference is gone.
  void Erase(Entry* e) REQUIRES(mu) {
    size_t i = e->hash & mask_;
    while (slots_[i] != e) i = (i + 1) & mask_;
    // Backward-shift deletion: keeps every probe chain unbroken without tombstones.
    for (size_t j = (i + 1) & mask_; slots_[j] != nullptr; j = (j + 1) & mask_) {
      size_t home = slots_[j]->hash & mask_;
      bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i] = nullptr;
    --count_;
    entry_bytes_ -= Footprint(e, offsetof(Entry, data) + e->length + 1);
    e->refs.~atomic();
    std::free(e);
    if (mask_ + 1 > 64 && count_ * 8 < mask_ + 1) Resize((mask_ + 1) / 2);  // give back after churn
  }

  size_t entries() const REQUIRES(mu) { return count_; }
  size_t bytes() const REQUIRES(mu) {
    return entry_bytes_ + (slots_ == nullptr ? 0 : (mask_ + 1) * sizeof(Entry*) + sizeof(size_t));
  }

 private:
  void Resize(size_t capacity) REQUIRES(mu) {
    auto* fresh = static_cast<Entry**>(std::calloc(capacity, sizeof(Entry*)));
    if (fresh == nullptr) throw std::bad_alloc();
    const size_t new_mask = capacity - 1;
    if (slots_ != nullptr) {
      for (size_t k = 0; k <= mask_; ++k) {
        Entry* e = slots_[k];
        if (e == nullptr) continue;
        size_t i = e->hash & new_mask;
        while (fresh[i] != nullptr) i = (i + 1) & new_mask;
        fresh[i] = e;
      }
      std::free(slots_);
    }
    slots_ = fresh;
    mask_ = new_mask;
  }

  Entry** slots_ GUARDED_BY(mu) = nullptr;
  size_t mask_ GUARDED_BY(mu) = 0;
  size_t count_ GUARDED_BY(mu) = 0;
  size_t entry_bytes_ GUARDED_BY(mu) = 0;
};

Pool& ThePool() {
  static Pool* pool = new Pool();  // never destroyed: cached objects may outlive statics
  return *pool;
}

void Unref(Entry* e) {
  uint32_t r = e->refs.load(std::memory_order_relaxed);
  while (r > 1) {
    if (e->refs.compare_exchange_weak(r, r - 1, std::memory_order_acq_rel)) return;
  }
  Pool& pool = ThePool();
  MutexLock lock(pool.mu);
  if (e->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  pool.Erase(e);
}

}  // namespace

InternedString::InternedString(std::string_view text)
    : entry_(text.empty() ? nullptr : ThePool().Acquire(text)) {}

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
  Pool& pool = ThePool();
  MutexLock lock(pool.mu);
  return pool.entries();
}

size_t InternedString::PoolBytes() {
  Pool& pool = ThePool();
  MutexLock lock(pool.mu);
  return pool.bytes();
}

}  // namespace ccm::kube
