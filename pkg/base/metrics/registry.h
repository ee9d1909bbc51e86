// The process's metrics, rendered in the Prometheus text exposition format 0.0.4 for /metrics.
//
// Usage: register families once at startup and keep the handles:
//   auto& syncs = registry.AddCounter("ccm_backend_set_syncs_total", "Backend set syncs.", {"result"});
//   Counter& ok = syncs.WithLabels({"success"});   // keep; ok.Inc() is one atomic add
//
// Registering the same name again with the same type, labels and buckets returns the existing
// family, so independent modules may share one. An invalid name or a conflicting
// re-registration is a programming error and aborts with a message naming the metric.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pkg/base/metrics/buckets.h"
#include "pkg/base/metrics/family.h"
#include "pkg/base/mutex.h"

namespace ccm::metrics {

// Samples produced at scrape time: label values (in label-name order) and a value.
using GaugeSamples = std::vector<std::pair<std::vector<std::string>, double>>;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  Family<Counter>& AddCounter(std::string name, std::string help, std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  // `buckets`: strictly increasing finite upper bounds; a trailing +Inf is accepted and dropped.
  Family<Histogram>& AddHistogram(std::string name, std::string help, std::vector<std::string> label_names = {},
                                  std::vector<double> buckets = DefaultBuckets());

  // Gauges computed when scraped (queue depths, cache sizes). `read` runs on the HTTP
  // server's thread: it must be thread-safe, quick, and must not call back into the registry.
  // Whatever it captures must outlive the registration (see RemoveGaugeCallback).
  void AddGaugeCallback(std::string name, std::string help, std::function<double()> read);
  void AddGaugeCallback(std::string name, std::string help, std::vector<std::string> label_names,
                        std::function<GaugeSamples()> read);
  // A counter read at scrape time (CPU seconds); `read` must never decrease.
  void AddCounterCallback(std::string name, std::string help, std::function<double()> read);
  // Unregisters a callback gauge or counter; after it returns the callback is no longer called.
  void RemoveGaugeCallback(const std::string& name);

  // Families in name order, children in label-value order: identical state renders identically.
  std::string Render() const;

 private:
  template <typename T>
  Family<T>& Add(std::string name, std::string help, std::vector<std::string> label_names, MetricType type,
                 std::vector<double> buckets);
  void Insert(std::shared_ptr<FamilyBase> family);

  mutable Mutex mu_;
  std::map<std::string, std::shared_ptr<FamilyBase>> families_ GUARDED_BY(mu_);
  // Held while a callback gauge renders, so RemoveGaugeCallback can wait out a running scrape.
  mutable Mutex render_mu_;
};

}  // namespace ccm::metrics
