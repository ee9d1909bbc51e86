// NodeLabels: a node's labels, split so that nodes of one pool share one copy.
//
// Nodes of a pool carry the same ~30 labels except a few that name the node itself
// (kubernetes.io/hostname, node.kubernetes.io/instance-id, ...). The common part is an
// interned SharedList (one object for the whole pool, equality by pointer); the per-node part
// is a small owned list. Iteration yields all labels as (key, value) pairs sorted by key, as a
// sorted vector would; Find() is a binary search in each part.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/kube/informer/interned_string.h"
#include "pkg/kube/informer/shared_list.h"

namespace ccm::kube {

using Label = std::pair<InternedString, InternedString>;
// A plain sorted label vector (builders and tests); NodeLabels converts from it.
using Labels = std::vector<Label>;
// Returns nullptr when absent (distinguishes "absent" from "empty value"). `labels` sorted by key.
const InternedString* FindLabel(const Labels& labels, std::string_view key);

template <>
struct ListElementTraits<Label> {
  static constexpr size_t kArity = 2;
  static std::array<std::string_view, 2> Texts(const Label& l) { return {l.first.view(), l.second.view()}; }
  static Label FromTexts(const std::string_view* t) { return {InternedString(t[0]), InternedString(t[1])}; }
};

class NodeLabels {
 public:
  using value_type = Label;
  using size_type = size_t;

  // Walks the two sorted parts in key order.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Label;
    using difference_type = std::ptrdiff_t;
    using pointer = const Label*;
    using reference = const Label&;

    const_iterator() = default;
    const_iterator(const Label* a, const Label* a_end, const Label* b, const Label* b_end)
        : a_(a), a_end_(a_end), b_(b), b_end_(b_end) {}
    reference operator*() const { return *Current(); }
    pointer operator->() const { return Current(); }
    const_iterator& operator++() {
      if (FromA()) {
        ++a_;
      } else {
        ++b_;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const const_iterator& o) const { return a_ == o.a_ && b_ == o.b_; }

   private:
    bool FromA() const { return a_ != a_end_ && (b_ == b_end_ || a_->first.view() < b_->first.view()); }
    const Label* Current() const { return FromA() ? a_ : b_; }
    const Label* a_ = nullptr;
    const Label* a_end_ = nullptr;
    const Label* b_ = nullptr;
    const Label* b_end_ = nullptr;
  };
  using iterator = const_iterator;

  NodeLabels() = default;
  NodeLabels(const Labels& labels);  // NOLINT: drop-in for a label vector; any order
  NodeLabels(std::initializer_list<Label> labels) : NodeLabels(Labels(labels)) {}

  // From decoded (key, value) text; any order, keys unique. Reorders `pairs`.
  static NodeLabels FromTexts(std::vector<std::pair<std::string_view, std::string_view>>& pairs);

  // Keys whose values name one node: kept per node so the rest can be shared by the pool.
  static bool IsPerNodeKey(std::string_view key);

  // nullptr when absent.
  const InternedString* Find(std::string_view key) const;
  size_t size() const { return shared_.size() + own_.size(); }
  bool empty() const { return shared_.empty() && own_.empty(); }
  const_iterator begin() const { return {shared_.begin(), shared_.end(), own_.begin(), own_.end()}; }
  const_iterator end() const { return {shared_.end(), shared_.end(), own_.end(), own_.end()}; }
  Labels ToVector() const { return Labels(begin(), end()); }

  // Equal content implies the same shared part (interned) and equal own parts (split by key).
  bool operator==(const NodeLabels& o) const { return shared_ == o.shared_ && own_ == o.own_; }

  const SharedList<Label>& shared() const { return shared_; }
  const SharedList<Label, false>& own() const { return own_; }

 private:
  SharedList<Label> shared_;       // sorted by key; interned
  SharedList<Label, false> own_;   // sorted by key; per-node keys only
};

}  // namespace ccm::kube
