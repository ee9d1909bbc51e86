#include "pkg/cloud/registrar/compact_ownership.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace ccm::cloud::registrar {
namespace {

// "10.0.0.1:30080" -> ("10.0.0.1", 30080); a key without a numeric port keeps port -1.
std::pair<std::string_view, int32_t> SplitKey(std::string_view key) {
  auto colon = key.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == key.size()) return {key, -1};
  int32_t port = 0;
  auto tail = key.substr(colon + 1);
  auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), port);
  if (ec != std::errc() || end != tail.data() + tail.size() || port < 0 || tail.front() == '+' ||
      (tail.size() > 1 && tail.front() == '0')) {
    return {key, -1};  // "0080" must round-trip as written
  }
  return {key.substr(0, colon), port};
}

}  // namespace

CompactOwnership::OwnedEntries::OwnedEntries(const std::vector<Entry>& sorted) {
  targets_.reserve(sorted.size());
  for (const auto& e : sorted) targets_.push_back(e.target);
  port_ = sorted.empty() ? -1 : sorted.front().port;
  bool uniform = std::all_of(sorted.begin(), sorted.end(), [&](const Entry& e) { return e.port == port_; });
  if (!uniform) {
    ports_.reserve(sorted.size());
    for (const auto& e : sorted) ports_.push_back(e.port);
  }
}

std::vector<CompactOwnership::Entry> CompactOwnership::OwnedEntries::Entries() const {
  std::vector<Entry> out;
  out.reserve(targets_.size());
  for (size_t i = 0; i < targets_.size(); ++i) out.push_back({targets_[i], ports_.empty() ? port_ : ports_[i]});
  return out;
}

uint32_t CompactOwnership::Intern(std::string_view target) {
  if (auto it = index_.find(target); it != index_.end()) return it->second;
  targets_.emplace_back(target);
  auto id = static_cast<uint32_t>(targets_.size() - 1);
  index_.emplace(targets_.back(), id);
  return id;
}

std::vector<CompactOwnership::Entry> CompactOwnership::Encode(const std::set<std::string>& keys) {
  std::vector<Entry> out;
  out.reserve(keys.size());
  for (const auto& key : keys) {
    auto [target, port] = SplitKey(key);
    out.push_back({Intern(target), port});
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<CompactOwnership::Entry> CompactOwnership::Lookup(const std::set<std::string>& keys) const {
  std::vector<Entry> out;
  out.reserve(keys.size());
  for (const auto& key : keys) {
    auto [target, port] = SplitKey(key);
    auto it = index_.find(target);
    out.push_back({it == index_.end() ? std::numeric_limits<uint32_t>::max() : it->second, port});
  }
  std::sort(out.begin(), out.end());
  return out;
}

void CompactOwnership::Put(const std::string& lb, const std::string& backend_set, const Ownership& o) {
  if (o.owned.empty() && o.drain_since.empty()) {
    Erase(lb, backend_set);
    return;
  }
  Record& r = sets_[SetKey{lb, backend_set}];
  r.owned = OwnedEntries(Encode(o.owned));
  r.drain_since = o.drain_since;
  r.sources = o.sources;
  MaybeCompact();
}

void CompactOwnership::Erase(const std::string& lb, const std::string& backend_set) {
  sets_.erase(SetKey{lb, backend_set});
  if (sets_.empty()) {
    targets_.clear();
    index_.clear();
    compacted_size_ = 0;
  }
}

Ownership CompactOwnership::Get(const std::string& lb, const std::string& backend_set) const {
  Ownership o;
  auto it = sets_.find(SetKey{lb, backend_set});
  if (it == sets_.end()) return o;
  for (const auto& e : it->second.owned.Entries()) {
    const std::string& target = targets_[e.target];
    o.owned.insert(o.owned.end(), e.port < 0 ? target : target + ":" + std::to_string(e.port));
  }
  o.drain_since = it->second.drain_since;
  o.sources = it->second.sources;
  return o;
}

bool CompactOwnership::Equals(const std::string& lb, const std::string& backend_set, const Ownership& o) const {
  auto it = sets_.find(SetKey{lb, backend_set});
  if (it == sets_.end()) return o.owned.empty() && o.drain_since.empty();
  const Record& r = it->second;
  return r.owned.size() == o.owned.size() && r.drain_since == o.drain_since && r.sources == o.sources &&
         r.owned.Entries() == Lookup(o.owned);
}

std::map<std::string, std::set<std::string>> CompactOwnership::Sources(const std::string& lb) const {
  std::map<std::string, std::set<std::string>> out;
  for (auto it = sets_.lower_bound(SetKey{lb, ""}); it != sets_.end() && it->first.first == lb; ++it) {
    out[it->first.second] = it->second.sources;
  }
  return out;
}

std::vector<std::string> CompactOwnership::LoadBalancers() const {
  std::vector<std::string> out;
  for (const auto& [key, r] : sets_) {
    if (out.empty() || out.back() != key.first) out.push_back(key.first);
  }
  return out;
}

void CompactOwnership::MaybeCompact() {
  if (targets_.size() < 2 * compacted_size_ + 1024) return;
  std::vector<uint32_t> remap(targets_.size(), std::numeric_limits<uint32_t>::max());
  std::deque<std::string> kept;
  for (auto& [name, r] : sets_) {
    r.owned.RemapTargets([&](uint32_t target) {
      if (remap[target] == std::numeric_limits<uint32_t>::max()) {
        remap[target] = static_cast<uint32_t>(kept.size());
        kept.push_back(std::move(targets_[target]));
      }
      return remap[target];
    });
  }
  targets_ = std::move(kept);
  index_.clear();
  for (uint32_t i = 0; i < targets_.size(); ++i) index_.emplace(targets_[i], i);
  compacted_size_ = targets_.size();
}

}  // namespace ccm::cloud::registrar
