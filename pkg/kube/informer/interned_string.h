// A reference-counted, process-wide interned string: 8 bytes per use, one copy of the text
// however many cached objects carry it. Cache projections use it for values that repeat
// across objects (label keys and values, taint keys, condition types, protocols, node names
// in endpoint slices). An entry is freed when its last user goes away, so unique values that
// churn (e.g. hostnames of replaced nodes) do not accumulate. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ccm::kube {

class InternedString {
 public:
  InternedString() = default;
  explicit InternedString(std::string_view text);
  InternedString(const InternedString& other);
  InternedString(InternedString&& other) noexcept : entry_(other.entry_) { other.entry_ = nullptr; }
  InternedString& operator=(const InternedString& other);
  InternedString& operator=(InternedString&& other) noexcept;
  ~InternedString();

  std::string_view view() const;
  operator std::string_view() const { return view(); }  // NOLINT: a string is what it is
  std::string str() const { return std::string(view()); }
  bool empty() const { return entry_ == nullptr; }

  // Equal text implies the same entry, so comparison is a pointer compare.
  bool operator==(const InternedString& other) const { return entry_ == other.entry_; }
  bool operator==(std::string_view text) const { return view() == text; }
  bool operator<(const InternedString& other) const { return view() < other.view(); }

  // Pool statistics for memory accounting: distinct strings, and the heap the pool holds
  // (entries with allocator overhead, plus its table). The pool allocates with malloc, not
  // operator new, so this is the only place its memory is counted.
  static size_t PoolEntries();
  static size_t PoolBytes();

  struct Entry;

 private:
  void Release();
  Entry* entry_ = nullptr;
};

}  // namespace ccm::kube
