#include "pkg/kube/informer/node_labels.h"

#include <algorithm>

namespace ccm::kube {
namespace {

template <typename It>
const InternedString* FindIn(It begin, It end, std::string_view key) {
  auto it = std::lower_bound(begin, end, key, [](const Label& l, std::string_view k) { return l.first.view() < k; });
  if (it == end || it->first.view() != key) return nullptr;
  return &it->second;
}

using TextPair = std::pair<std::string_view, std::string_view>;

}  // namespace

const InternedString* FindLabel(const Labels& labels, std::string_view key) {
  return FindIn(labels.begin(), labels.end(), key);
}

bool NodeLabels::IsPerNodeKey(std::string_view key) {
  // Set by the kubelet / OKE to the node's own name, address or instance; the rest of a
  // pool's labels (zone, shape, pool name, OS, ...) are the same on every node.
  static constexpr std::string_view kKeys[] = {
      "kubernetes.io/hostname", "node.kubernetes.io/instance-id", "hostname", "internal_addr", "displayName",
  };
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

NodeLabels NodeLabels::FromTexts(std::vector<TextPair>& pairs) {
  auto by_key = [](const TextPair& a, const TextPair& b) { return a.first < b.first; };
  // The API server writes keys sorted; sorting is for other writers.
  if (!std::is_sorted(pairs.begin(), pairs.end(), by_key)) std::sort(pairs.begin(), pairs.end(), by_key);
  std::vector<std::string_view> shared, own;
  shared.reserve(pairs.size() * 2);
  for (const auto& [k, v] : pairs) {
    auto& part = IsPerNodeKey(k) ? own : shared;
    part.push_back(k);
    part.push_back(v);
  }
  NodeLabels out;
  out.shared_ = SharedList<Label>::FromTexts(shared);
  out.own_ = SharedList<Label, false>::FromTexts(own);
  return out;
}

NodeLabels::NodeLabels(const Labels& labels) {
  std::vector<TextPair> pairs;
  pairs.reserve(labels.size());
  for (const auto& [k, v] : labels) pairs.emplace_back(k.view(), v.view());
  *this = FromTexts(pairs);
}

const InternedString* NodeLabels::Find(std::string_view key) const {
  if (IsPerNodeKey(key)) return FindIn(own_.begin(), own_.end(), key);
  return FindIn(shared_.begin(), shared_.end(), key);
}

}  // namespace ccm::kube
