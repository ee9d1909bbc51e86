#include "pkg/base/metrics/registry.h"

#include <glog/logging.h>

#include <cmath>
#include <set>

#include "pkg/base/mutex.h"

namespace ccm::metrics {
namespace {

void CheckNames(const std::string& name, const std::vector<std::string>& label_names, MetricType type) {
  CHECK(IsValidMetricName(name)) << "invalid metric name \"" << name
                                 << "\": use letters, digits, _ and :, not starting with a digit";
  std::set<std::string> seen;
  for (const auto& label : label_names) {
    CHECK(IsValidLabelName(label)) << "metric " << name << ": invalid label name \"" << label
                                   << "\": use letters, digits and _, not starting with a digit or __";
    CHECK(seen.insert(label).second) << "metric " << name << ": label \"" << label << "\" is listed twice";
    CHECK(!(type == MetricType::kHistogram && label == "le")) << "metric " << name
                                                              << ": histograms reserve the label \"le\"";
  }
}

std::vector<double> CheckBuckets(const std::string& name, std::vector<double> buckets) {
  if (!buckets.empty() && std::isinf(buckets.back()) && buckets.back() > 0) buckets.pop_back();
  for (size_t i = 0; i < buckets.size(); ++i) {
    CHECK(std::isfinite(buckets[i])) << "histogram " << name << ": bucket bounds must be finite";
    CHECK(i == 0 || buckets[i - 1] < buckets[i]) << "histogram " << name
                                                  << ": bucket bounds must be strictly increasing";
  }
  return buckets;
}

class CallbackFamily final : public FamilyBase {
 public:
  CallbackFamily(std::string name, std::string help, std::vector<std::string> label_names, MetricType type,
                 std::function<GaugeSamples()> read)
      : FamilyBase(std::move(name), std::move(help), std::move(label_names), type),
        read_(std::move(read)) {}

  void Render(std::string& out) const override {
    GaugeSamples samples = read_();
    std::erase_if(samples, [&](const auto& s) { return s.first.size() != label_names_.size(); });
    if (samples.empty()) return;
    std::sort(samples.begin(), samples.end(),
              [](const auto& a, const auto& b) { return LabelValuesLess()(a.first, b.first); });
    AppendHeader(out);
    for (const auto& [values, value] : samples) {
      out += name_;
      AppendLabels(out, label_names_, values);
      out += ' ';
      AppendValue(out, value);
      out += '\n';
    }
  }

 private:
  std::function<GaugeSamples()> read_;
};

}  // namespace

template <typename T>
Family<T>& Registry::Add(std::string name, std::string help, std::vector<std::string> label_names, MetricType type,
                         std::vector<double> buckets) {
  CheckNames(name, label_names, type);
  if (type == MetricType::kHistogram) buckets = CheckBuckets(name, std::move(buckets));
  MutexLock lock(mu_);
  if (auto it = families_.find(name); it != families_.end()) {
    auto* existing = dynamic_cast<Family<T>*>(it->second.get());
    CHECK(existing != nullptr && existing->label_names() == label_names && existing->buckets() == buckets)
        << "metric " << name << " is already registered with a different type, labels or buckets";
    return *existing;
  }
  auto family = std::make_shared<Family<T>>(std::move(name), std::move(help), std::move(label_names), type,
                                            std::move(buckets));
  Family<T>& ref = *family;
  families_.emplace(family->name(), std::move(family));
  return ref;
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help, std::vector<std::string> label_names) {
  return Add<Counter>(std::move(name), std::move(help), std::move(label_names), MetricType::kCounter, {});
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help, std::vector<std::string> label_names) {
  return Add<Gauge>(std::move(name), std::move(help), std::move(label_names), MetricType::kGauge, {});
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help, std::vector<std::string> label_names,
                                          std::vector<double> buckets) {
  return Add<Histogram>(std::move(name), std::move(help), std::move(label_names), MetricType::kHistogram,
                        std::move(buckets));
}

void Registry::AddGaugeCallback(std::string name, std::string help, std::function<double()> read) {
  AddGaugeCallback(std::move(name), std::move(help), {}, [read = std::move(read)]() {
    return GaugeSamples{{{}, read()}};
  });
}

void Registry::AddGaugeCallback(std::string name, std::string help, std::vector<std::string> label_names,
                                std::function<GaugeSamples()> read) {
  CheckNames(name, label_names, MetricType::kGauge);
  CHECK(read) << "metric " << name << ": callback is empty";
  Insert(std::make_shared<CallbackFamily>(std::move(name), std::move(help), std::move(label_names),
                                          MetricType::kGauge, std::move(read)));
}

void Registry::AddCounterCallback(std::string name, std::string help, std::function<double()> read) {
  CheckNames(name, {}, MetricType::kCounter);
  CHECK(read) << "metric " << name << ": callback is empty";
  Insert(std::make_shared<CallbackFamily>(std::move(name), std::move(help), std::vector<std::string>{},
                                          MetricType::kCounter,
                                          [read = std::move(read)]() { return GaugeSamples{{{}, read()}}; }));
}

void Registry::Insert(std::shared_ptr<FamilyBase> family) {
  MutexLock lock(mu_);
  CHECK(!families_.contains(family->name())) << "metric " << family->name() << " is already registered";
  families_.emplace(family->name(), std::move(family));
}

void Registry::RemoveGaugeCallback(const std::string& name) {
  std::shared_ptr<FamilyBase> removed;
  {
    MutexLock lock(mu_);
    auto it = families_.find(name);
    if (it == families_.end() || dynamic_cast<CallbackFamily*>(it->second.get()) == nullptr) return;
    removed = std::move(it->second);
    families_.erase(it);
  }
  // A scrape that copied the family before the erase may still be calling it: wait it out.
  MutexLock wait(render_mu_);
}

std::string Registry::Render() const {
  // Taken before the copy: RemoveGaugeCallback then either sees this scrape finish or
  // removes the family before the copy is made, so a removed callback is never called.
  MutexLock render(render_mu_);
  std::vector<std::shared_ptr<FamilyBase>> families;
  {
    MutexLock lock(mu_);
    families.reserve(families_.size());
    for (const auto& [name, family] : families_) families.push_back(family);
  }
  // Rendering happens outside mu_ so a callback or a slow scrape never blocks registration.
  std::string out;
  for (const auto& family : families) family->Render(out);
  return out;
}

}  // namespace ccm::metrics
