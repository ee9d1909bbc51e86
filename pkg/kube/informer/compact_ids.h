// Compact forms of two per-object identifiers that every cached object carries:
//   Uid             metadata.uid: a canonical UUID is kept as 16 bytes (not a 37-byte heap
//                   string); any other text is kept as an interned string, so nothing is lost.
//   ResourceVersion metadata.resourceVersion: the API server's etcd revisions are decimal
//                   integers and are kept as one; other text is kept as an interned string.
// Both read back exactly the text they were given.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "pkg/kube/informer/interned_string.h"

namespace ccm::kube {

class Uid {
 public:
  Uid() = default;
  explicit Uid(std::string_view text) { *this = text; }
  Uid& operator=(std::string_view text);

  std::string str() const;
  operator std::string() const { return str(); }  // NOLINT: used where a uid string is expected
  bool empty() const { return !IsBinary() && text_.empty(); }
  // True when stored as 16 bytes (observability and tests).
  bool IsBinary() const { return (hi_ | lo_) != 0; }

  bool operator==(const Uid& o) const { return hi_ == o.hi_ && lo_ == o.lo_ && text_ == o.text_; }
  bool operator==(std::string_view text) const { return str() == text; }

 private:
  // Binary when non-zero (the all-zero UUID, never assigned by the API server, is kept as text).
  uint64_t hi_ = 0, lo_ = 0;
  InternedString text_;
};

class ResourceVersion {
 public:
  ResourceVersion() = default;
  explicit ResourceVersion(std::string_view text) { *this = text; }
  ResourceVersion& operator=(std::string_view text);

  std::string str() const;
  operator std::string() const { return str(); }  // NOLINT: used where the text is expected
  bool empty() const { return number_ == 0 && text_.empty(); }
  bool IsNumeric() const { return number_ != 0; }

  bool operator==(const ResourceVersion& o) const { return number_ == o.number_ && text_ == o.text_; }
  bool operator==(std::string_view text) const { return str() == text; }

 private:
  uint64_t number_ = 0;  // 0: not numeric (see text_)
  InternedString text_;
};

inline std::ostream& operator<<(std::ostream& os, const Uid& u) { return os << u.str(); }
inline std::ostream& operator<<(std::ostream& os, const ResourceVersion& v) { return os << v.str(); }

}  // namespace ccm::kube
