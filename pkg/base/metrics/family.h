// A metric family: one name, HELP text and label names, with one child per combination of
// label values. Children live as long as the family, so a reference returned by WithLabels
// can be kept and updated without any further lookup.
#pragma once

#include <glog/logging.h>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "pkg/base/metrics/metric.h"
#include "pkg/base/metrics/text_format.h"
#include "pkg/base/mutex.h"

namespace ccm::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };
const char* MetricTypeName(MetricType type);

class FamilyBase {
 public:
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  MetricType type() const { return type_; }
  const std::vector<double>& buckets() const { return buckets_; }

  // Appends HELP, TYPE and every sample, children ordered by label values.
  virtual void Render(std::string& out) const = 0;

 protected:
  FamilyBase(std::string name, std::string help, std::vector<std::string> label_names, MetricType type,
             std::vector<double> buckets = {});
  void AppendHeader(std::string& out) const;

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const MetricType type_;
  const std::vector<double> buckets_;  // histograms only
};

// Orders label-value lists of std::string or std::string_view alike, so lookups need no copy.
struct LabelValuesLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

template <typename T>
class Family final : public FamilyBase {
  static_assert(std::is_same_v<T, Counter> || std::is_same_v<T, Gauge> || std::is_same_v<T, Histogram>);

 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names, MetricType type,
         std::vector<double> buckets = {})
      : FamilyBase(std::move(name), std::move(help), std::move(label_names), type, std::move(buckets)) {
    // An unlabelled family exports its single sample (0) from the start, like a plain
    // Prometheus counter; labelled families export nothing until a child is used.
    if (label_names_.empty()) unlabelled_ = &Lookup(std::span<const std::string_view>());
  }

  // Values in the order of label_names(); a wrong count is a programming error (fatal).
  T& WithLabels(std::initializer_list<std::string_view> values) {
    return Lookup(std::span<const std::string_view>(values.begin(), values.size()));
  }
  T& WithLabels(std::span<const std::string> values) { return Lookup(values); }
  T& WithLabels(const std::vector<std::string>& values) { return Lookup(std::span<const std::string>(values)); }

  // The only child of a family without labels (no lookup at all).
  T& Get() {
    CHECK(unlabelled_ != nullptr) << "metric " << name_ << " has labels: use WithLabels";
    return *unlabelled_;
  }

  // Stops exporting one child (e.g. a deleted load balancer's series). References already
  // handed out stay valid but are no longer exported; using the labels again starts from zero.
  void Remove(std::initializer_list<std::string_view> values) {
    WriterLock lock(mu_);
    auto it = children_.find(std::span<const std::string_view>(values.begin(), values.size()));
    if (it == children_.end() || it->second.get() == unlabelled_) return;
    retired_.push_back(std::move(it->second));
    children_.erase(it);
  }

  void Render(std::string& out) const override {
    ReaderLock lock(mu_);
    if (children_.empty()) return;
    AppendHeader(out);
    for (const auto& [values, child] : children_) RenderChild(out, values, *child);
  }

 private:
  template <typename Values>
  T& Lookup(const Values& values) {
    CHECK_EQ(values.size(), label_names_.size()) << "metric " << name_ << " takes " << label_names_.size()
                                                 << " label values";
    {
      ReaderLock lock(mu_);
      if (auto it = children_.find(values); it != children_.end()) return *it->second;
    }
    WriterLock lock(mu_);
    if (auto it = children_.find(values); it != children_.end()) return *it->second;
    std::vector<std::string> key(values.begin(), values.end());
    auto child = MakeChild();
    T& ref = *child;
    children_.emplace(std::move(key), std::move(child));
    return ref;
  }

  std::unique_ptr<T> MakeChild() const {
    if constexpr (std::is_same_v<T, Histogram>) {
      return std::make_unique<Histogram>(std::span<const double>(buckets_));
    } else {
      return std::make_unique<T>();
    }
  }

  void RenderChild(std::string& out, const std::vector<std::string>& values, const T& child) const {
    if constexpr (std::is_same_v<T, Histogram>) {
      Histogram::Snapshot s = child.Snap();
      std::string le;
      for (size_t i = 0; i <= s.upper_bounds.size(); ++i) {
        le.clear();
        if (i < s.upper_bounds.size()) AppendValue(le, s.upper_bounds[i]);
        else le = "+Inf";
        out += name_;
        out += "_bucket";
        AppendLabels(out, label_names_, values, "le", le);
        out += ' ';
        AppendValue(out, s.cumulative_counts[i]);
        out += '\n';
      }
      out += name_;
      out += "_sum";
      AppendLabels(out, label_names_, values);
      out += ' ';
      AppendValue(out, s.sum);
      out += '\n';
      out += name_;
      out += "_count";
      AppendLabels(out, label_names_, values);
      out += ' ';
      AppendValue(out, s.count);
      out += '\n';
    } else {
      out += name_;
      AppendLabels(out, label_names_, values);
      out += ' ';
      AppendValue(out, child.Value());
      out += '\n';
    }
  }

  mutable SharedMutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>, LabelValuesLess> children_ GUARDED_BY(mu_);
  std::vector<std::unique_ptr<T>> retired_ GUARDED_BY(mu_);
  T* unlabelled_ = nullptr;
};

}  // namespace ccm::metrics
