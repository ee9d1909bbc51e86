// ProbeTable<Slot>: the open-addressing (linear probing) array behind Store's items and
// indexes. Slots live inline in one array at most 3/4 full, so an entry costs its slot
// (24 bytes for a key pointer + shared_ptr) instead of a separately allocated hash node plus
// bucket (~80-100 bytes with allocator overhead). Removal shifts later entries back, so there
// are no tombstones and probe chains stay short under churn. Not thread-safe (Store locks).
//
// Slot: default-constructed = empty; bool empty() const; size_t hash() const; movable.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace ccm::kube::store_internal {

template <typename Slot>
class ProbeTable {
 public:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  size_t size() const { return count_; }
  size_t HeapBytes() const { return slots_.capacity() * sizeof(Slot); }
  Slot& at(size_t i) { return slots_[i]; }
  const Slot& at(size_t i) const { return slots_[i]; }

  // Visits the occupied slots of `hash`'s probe chain (same-home entries and others mixed in)
  // until `stop(slot)` returns true; returns that slot's index, or kNone.
  template <typename F>
  size_t Probe(size_t hash, F&& stop) const {
    if (slots_.empty()) return kNone;
    for (size_t i = hash & mask(); !slots_[i].empty(); i = (i + 1) & mask()) {
      if (stop(slots_[i])) return i;
    }
    return kNone;
  }

  Slot& Insert(Slot slot) {
    if ((count_ + 1) * 4 > slots_.size() * 3) Rehash(slots_.empty() ? 16 : slots_.size() * 2);
    size_t i = slot.hash() & mask();
    while (!slots_[i].empty()) i = (i + 1) & mask();
    slots_[i] = std::move(slot);
    ++count_;
    return slots_[i];
  }

  // Removes slot i and returns its content.
  Slot EraseAt(size_t i) {
    Slot out = std::move(slots_[i]);
    slots_[i] = Slot();
    for (size_t j = (i + 1) & mask(); !slots_[j].empty(); j = (j + 1) & mask()) {
      size_t home = slots_[j].hash() & mask();
      // slots_[j] may move into the hole only if the hole lies on its path from `home`.
      bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      slots_[i] = std::move(slots_[j]);
      slots_[j] = Slot();
      i = j;
    }
    --count_;
    if (slots_.size() > 16 && count_ * 8 < slots_.size()) Rehash(slots_.size() / 2);  // give back after churn
    return out;
  }

  template <typename F>
  void ForEach(F&& f) const {
    for (const Slot& s : slots_) {
      if (!s.empty()) f(s);
    }
  }

 private:
  size_t mask() const { return slots_.size() - 1; }

  void Rehash(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_ = std::vector<Slot>(capacity);
    for (Slot& s : old) {
      if (s.empty()) continue;
      size_t i = s.hash() & mask();
      while (!slots_[i].empty()) i = (i + 1) & mask();
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;  // size is 0 or a power of two
  size_t count_ = 0;
};

}  // namespace ccm::kube::store_internal
