// SharedList<T>: an immutable, reference-counted array of small records made of interned
// strings (taints, node conditions, labels), 8 bytes per holder.
//
// Interned lists (the default) are content-addressed: every list with the same elements in
// the same order is ONE object, however many cached objects hold it. Healthy nodes all carry
// the same conditions (Ready=True, MemoryPressure=False, ...) and nodes of one pool the same
// taints, so the cache keeps one copy. Equality is a pointer compare. A list is freed when its
// last holder goes away. Thread-safe.
//
// Owned lists (SharedList<T, false>) are not interned (for content unique to one object):
// copies still share the array, equality compares content.
//
// Element types specialize ListElementTraits<T>:
//   static constexpr size_t kArity;                                  // texts per element
//   static std::array<std::string_view, kArity> Texts(const T&);
//   static T FromTexts(const std::string_view* texts);               // kArity texts
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <new>
#include <span>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "pkg/base/mutex.h"

namespace ccm::kube {

template <typename T>
struct ListElementTraits;

namespace shared_list_internal {

inline size_t Mix(size_t h, std::string_view text) {
  return (h ^ std::hash<std::string_view>{}(text)) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
}

// Heap held by interned lists of every element type (blocks; the pools' own sets are small).
inline std::atomic<size_t>& InternedBytes() {
  static std::atomic<size_t> bytes{0};
  return bytes;
}

template <typename T>
struct Block {
  std::atomic<uint32_t> refs;
  uint32_t size;
  T* items() { return reinterpret_cast<T*>(this + 1); }
  static size_t BytesFor(size_t n) { return sizeof(Block) + n * sizeof(T); }
};

template <typename T>
Block<T>* NewBlock(size_t n) {
  static_assert(alignof(T) <= sizeof(Block<T>), "elements must fit the header's alignment");
  void* mem = ::operator new(Block<T>::BytesFor(n));
  auto* b = static_cast<Block<T>*>(mem);
  new (&b->refs) std::atomic<uint32_t>(1);
  b->size = 0;  // counts constructed items, so a throwing constructor leaves it consistent
  return b;
}

template <typename T>
void DeleteBlock(Block<T>* b) {
  T* items = b->items();
  for (uint32_t i = 0; i < b->size; ++i) items[i].~T();
  b->refs.~atomic();
  ::operator delete(static_cast<void*>(b));
}

template <typename T>
size_t HashItems(const T* items, size_t n) {
  size_t h = n;
  for (size_t i = 0; i < n; ++i) {
    for (std::string_view t : ListElementTraits<T>::Texts(items[i])) h = Mix(h, t);
  }
  return h;
}

inline size_t HashTexts(std::span<const std::string_view> texts, size_t n) {
  size_t h = n;
  for (std::string_view t : texts) h = Mix(h, t);
  return h;
}

// The intern table of one element type. Decrements that could reach zero and lookups that
// increment both happen under `mu`, so a list is never found and freed at the same time.
template <typename T>
class Pool {
 public:
  using B = Block<T>;
  static constexpr size_t kArity = ListElementTraits<T>::kArity;

  static Pool& Get() {
    static Pool* pool = new Pool();  // never destroyed: cached objects may outlive statics
    return *pool;
  }

  // texts: kArity texts per element, in element order.
  B* Acquire(std::span<const std::string_view> texts) {
    const size_t n = texts.size() / kArity;
    Key key{texts, n, HashTexts(texts, n)};
    MutexLock lock(mu_);
    auto it = set_.find(key);
    if (it != set_.end()) {
      (*it)->refs.fetch_add(1, std::memory_order_relaxed);
      return *it;
    }
    B* b = NewBlock<T>(n);
    try {
      for (size_t i = 0; i < n; ++i) {
        new (b->items() + i) T(ListElementTraits<T>::FromTexts(texts.data() + i * kArity));
        ++b->size;
      }
      set_.insert(b);
    } catch (...) {
      DeleteBlock(b);
      throw;
    }
    InternedBytes().fetch_add(B::BytesFor(n), std::memory_order_relaxed);
    return b;
  }

  void Unref(B* b) {
    uint32_t r = b->refs.load(std::memory_order_relaxed);
    while (r > 1) {
      if (b->refs.compare_exchange_weak(r, r - 1, std::memory_order_acq_rel)) return;
    }
    {
      MutexLock lock(mu_);
      if (b->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
      set_.erase(b);
    }
    InternedBytes().fetch_sub(B::BytesFor(b->size), std::memory_order_relaxed);
    DeleteBlock(b);  // outside the lock: releases interned strings, which take their own lock
  }

  size_t size() {
    MutexLock lock(mu_);
    return set_.size();
  }

 private:
  struct Key {
    std::span<const std::string_view> texts;
    size_t n;
    size_t hash;
  };
  // Not noexcept on purpose: the set then caches each block's hash instead of recomputing it.
  struct Hash {
    using is_transparent = void;
    size_t operator()(const B* b) const { return HashItems(const_cast<B*>(b)->items(), b->size); }
    size_t operator()(const Key& k) const { return k.hash; }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(const B* a, const B* b) const { return a == b; }
    bool operator()(const Key& k, const B* b) const { return Matches(k, b); }
    bool operator()(const B* b, const Key& k) const { return Matches(k, b); }
    static bool Matches(const Key& k, const B* b) {
      if (b->size != k.n) return false;
      const T* items = const_cast<B*>(b)->items();
      for (size_t i = 0; i < k.n; ++i) {
        auto texts = ListElementTraits<T>::Texts(items[i]);
        for (size_t j = 0; j < kArity; ++j) {
          if (texts[j] != k.texts[i * kArity + j]) return false;
        }
      }
      return true;
    }
  };

  Mutex mu_;
  std::unordered_set<B*, Hash, Eq> set_ GUARDED_BY(mu_);
};

}  // namespace shared_list_internal

template <typename T, bool kInterned = true>
class SharedList {
  using B = shared_list_internal::Block<T>;
  using Traits = ListElementTraits<T>;

 public:
  using value_type = T;
  using size_type = size_t;
  using difference_type = std::ptrdiff_t;
  using reference = const T&;
  using const_reference = const T&;
  using iterator = const T*;
  using const_iterator = const T*;

  SharedList() = default;
  SharedList(std::initializer_list<T> items) : SharedList(std::span<const T>(items.begin(), items.size())) {}
  SharedList(const std::vector<T>& items) : SharedList(std::span<const T>(items)) {}  // NOLINT: drop-in for a vector
  explicit SharedList(std::span<const T> items) {
    if (items.empty()) return;
    if constexpr (kInterned) {
      std::vector<std::string_view> texts;
      texts.reserve(items.size() * Traits::kArity);
      for (const T& item : items) {
        for (std::string_view t : Traits::Texts(item)) texts.push_back(t);
      }
      block_ = shared_list_internal::Pool<T>::Get().Acquire(texts);
    } else {
      block_ = shared_list_internal::NewBlock<T>(items.size());
      for (const T& item : items) {
        new (block_->items() + block_->size) T(item);
        ++block_->size;
      }
    }
  }

  // Builds a list from decoded text without materializing elements that already exist:
  // kArity texts per element. For interned lists a hit costs one hash and one lookup.
  static SharedList FromTexts(std::span<const std::string_view> texts) {
    SharedList out;
    if (texts.empty()) return out;
    if constexpr (kInterned) {
      out.block_ = shared_list_internal::Pool<T>::Get().Acquire(texts);
    } else {
      const size_t n = texts.size() / Traits::kArity;
      out.block_ = shared_list_internal::NewBlock<T>(n);
      for (size_t i = 0; i < n; ++i) {
        new (out.block_->items() + i) T(Traits::FromTexts(texts.data() + i * Traits::kArity));
        ++out.block_->size;
      }
    }
    return out;
  }

  SharedList(const SharedList& o) : block_(o.block_) {
    if (block_ != nullptr) block_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  SharedList(SharedList&& o) noexcept : block_(o.block_) { o.block_ = nullptr; }
  SharedList& operator=(const SharedList& o) {
    if (this != &o) {
      if (o.block_ != nullptr) o.block_->refs.fetch_add(1, std::memory_order_relaxed);
      Release();
      block_ = o.block_;
    }
    return *this;
  }
  SharedList& operator=(SharedList&& o) noexcept {
    if (this != &o) {
      Release();
      block_ = o.block_;
      o.block_ = nullptr;
    }
    return *this;
  }
  ~SharedList() { Release(); }

  const T* begin() const { return block_ == nullptr ? nullptr : block_->items(); }
  const T* end() const { return block_ == nullptr ? nullptr : block_->items() + block_->size; }
  const T* data() const { return begin(); }
  size_t size() const { return block_ == nullptr ? 0 : block_->size; }
  bool empty() const { return block_ == nullptr; }
  const T& operator[](size_t i) const { return begin()[i]; }
  const T& front() const { return *begin(); }
  const T& back() const { return end()[-1]; }

  // Lists are immutable: this replaces the list with a copy plus `item`.
  void push_back(const T& item) {
    std::vector<T> items(begin(), end());
    items.push_back(item);
    *this = SharedList(items);
  }

  bool operator==(const SharedList& o) const {
    if (block_ == o.block_) return true;
    if constexpr (kInterned) {
      return false;  // interned: equal content is the same block
    } else {
      if (size() != o.size()) return false;
      for (size_t i = 0; i < size(); ++i) {
        if (!((*this)[i] == o[i])) return false;
      }
      return true;
    }
  }

  // True when both hold the very same array (not just equal content).
  bool SharesStorageWith(const SharedList& o) const { return block_ != nullptr && block_ == o.block_; }
  // Bytes of the array (0 when empty). For interned lists they are shared by every holder.
  size_t StorageBytes() const { return block_ == nullptr ? 0 : B::BytesFor(block_->size); }

 private:
  void Release() {
    if (block_ == nullptr) return;
    if constexpr (kInterned) {
      shared_list_internal::Pool<T>::Get().Unref(block_);
    } else if (block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      shared_list_internal::DeleteBlock(block_);
    }
    block_ = nullptr;
  }

  B* block_ = nullptr;
};

// Heap held by all interned lists (their arrays), shared by every object that holds them.
inline size_t SharedListPoolBytes() { return shared_list_internal::InternedBytes().load(std::memory_order_relaxed); }

}  // namespace ccm::kube
