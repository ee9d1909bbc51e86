#include "pkg/base/metrics/registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "test/pkg/base/metrics/exposition_parser.h"

namespace ccm::metrics {
namespace {

using testing::Exposition;
using testing::ParseExposition;

Exposition Scrape(const Registry& registry) {
  Exposition e = ParseExposition(registry.Render());
  EXPECT_EQ(e.error, "") << registry.Render();
  return e;
}

TEST(RegistryTest, CountersExportHelpTypeAndLabelledValues) {
  Registry r;
  auto& syncs = r.AddCounter("ccm_syncs_total", "Backend set syncs.", {"load_balancer", "result"});
  Counter& ok = syncs.WithLabels({"lb-a", "success"});
  ok.Inc();
  ok.Inc(2.5);
  syncs.WithLabels({"lb-b", "error"}).Inc();
  ok.Inc(-4);  // ignored: counters only go up
  ok.Inc(std::nan(""));

  Exposition e = Scrape(r);
  EXPECT_EQ(e.help["ccm_syncs_total"], "Backend set syncs.");
  EXPECT_EQ(e.type["ccm_syncs_total"], "counter");
  EXPECT_EQ(e.Value("ccm_syncs_total", {{"load_balancer", "lb-a"}, {"result", "success"}}), 3.5);
  EXPECT_EQ(e.Value("ccm_syncs_total", {{"load_balancer", "lb-b"}, {"result", "error"}}), 1);
  EXPECT_EQ(e.samples.size(), 2u);
  // The handle is the same child as a fresh lookup.
  EXPECT_EQ(&ok, &syncs.WithLabels(std::vector<std::string>{"lb-a", "success"}));
}

TEST(RegistryTest, GaugesGoBothWays) {
  Registry r;
  Gauge& depth = r.AddGauge("ccm_queue_depth", "Keys waiting.").Get();
  depth.Set(10);
  depth.Inc();
  depth.Sub(4);
  depth.Dec();
  depth.Add(0.5);
  EXPECT_EQ(Scrape(r).Value("ccm_queue_depth"), 6.5);
  EXPECT_EQ(Scrape(r).type["ccm_queue_depth"], "gauge");
}

TEST(RegistryTest, UnlabelledFamiliesExportZeroLabelledFamiliesExportNothingUntilUsed) {
  Registry r;
  r.AddCounter("plain_total", "A plain counter.");
  r.AddCounter("labelled_total", "A labelled counter.", {"kind"});
  Exposition e = Scrape(r);
  EXPECT_EQ(e.Value("plain_total"), 0);
  EXPECT_FALSE(e.type.contains("labelled_total"));
  EXPECT_FALSE(e.help.contains("labelled_total"));
}

TEST(RegistryTest, LabelValuesAndHelpAreEscaped) {
  Registry r;
  std::string tricky = "a\\b \"quoted\"\nnext line";
  r.AddGauge("escaped", "Help with a backslash \\ and\na newline; \"quotes\" stay.", {"v"}).WithLabels({tricky}).Set(1);
  std::string text = r.Render();
  // Raw text: the three escapes, and no raw newline inside the sample line.
  EXPECT_NE(text.find(R"(escaped{v="a\\b \"quoted\"\nnext line"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(# HELP escaped Help with a backslash \\ and\na newline; "quotes" stay.)"), std::string::npos)
      << text;
  // And a parser gets the original strings back.
  Exposition e = Scrape(r);
  EXPECT_EQ(e.Value("escaped", {{"v", tricky}}), 1);
  EXPECT_EQ(e.help["escaped"], "Help with a backslash \\ and\na newline; \"quotes\" stay.");
}

TEST(RegistryTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry r;
  auto& latency = r.AddHistogram("ccm_wait_seconds", "Work request waits.", {"op"}, {0.1, 1, 10});
  Histogram& h = latency.WithLabels({"update"});
  for (double v : {0.05, 0.1, 0.5, 1.0, 3.0, 20.0, 100.0}) h.Observe(v);
  h.Observe(std::nan(""));  // ignored

  Exposition e = Scrape(r);
  EXPECT_EQ(e.type["ccm_wait_seconds"], "histogram");
  auto bucket = [&](const std::string& le) { return e.Value("ccm_wait_seconds_bucket", {{"op", "update"}, {"le", le}}); };
  EXPECT_EQ(bucket("0.1"), 2);  // 0.05 and 0.1 (a bound is inclusive)
  EXPECT_EQ(bucket("1"), 4);
  EXPECT_EQ(bucket("10"), 5);
  EXPECT_EQ(bucket("+Inf"), 7);
  EXPECT_EQ(e.Value("ccm_wait_seconds_count", {{"op", "update"}}), 7);
  EXPECT_DOUBLE_EQ(*e.Value("ccm_wait_seconds_sum", {{"op", "update"}}), 124.65);
  // Bucket lines come in increasing le order, +Inf last, then _sum and _count.
  std::vector<std::string> order;
  for (const auto& s : e.samples) order.push_back(s.name + (s.labels.contains("le") ? ":" + s.labels.at("le") : ""));
  EXPECT_EQ(order, (std::vector<std::string>{"ccm_wait_seconds_bucket:0.1", "ccm_wait_seconds_bucket:1",
                                             "ccm_wait_seconds_bucket:10", "ccm_wait_seconds_bucket:+Inf",
                                             "ccm_wait_seconds_sum", "ccm_wait_seconds_count"}));
}

TEST(RegistryTest, HistogramDefaultsAndTrailingInfBound) {
  Registry r;
  r.AddHistogram("defaults_seconds", "Default buckets.").Get().Observe(0.3);
  r.AddHistogram("explicit_inf", "Trailing +Inf dropped.", {}, {1, INFINITY}).Get().Observe(2);
  Exposition e = Scrape(r);
  EXPECT_EQ(e.Value("defaults_seconds_bucket", {{"le", "0.25"}}), 0);
  EXPECT_EQ(e.Value("defaults_seconds_bucket", {{"le", "0.5"}}), 1);
  EXPECT_EQ(e.Value("defaults_seconds_bucket", {{"le", "0.005"}}), 0);
  EXPECT_EQ(e.Value("defaults_seconds_bucket", {{"le", "10"}}), 1);
  EXPECT_EQ(e.Value("explicit_inf_bucket", {{"le", "1"}}), 0);
  EXPECT_EQ(e.Value("explicit_inf_bucket", {{"le", "+Inf"}}), 1);
  int inf_buckets = 0;
  for (const auto& s : e.samples) inf_buckets += s.name == "explicit_inf_bucket" && s.labels.at("le") == "+Inf";
  EXPECT_EQ(inf_buckets, 1);
}

TEST(RegistryTest, OutputOrderIsDeterministic) {
  Registry a, b;
  a.AddGauge("zeta", "z.", {"k"}).WithLabels({"2"}).Set(1);
  a.AddGauge("zeta", "z.", {"k"}).WithLabels({"10"}).Set(1);
  a.AddCounter("alpha_total", "a.", {"k"}).WithLabels({"y"}).Inc();
  a.AddCounter("alpha_total", "a.", {"k"}).WithLabels({"x"}).Inc();
  // Same state, opposite insertion order.
  b.AddCounter("alpha_total", "a.", {"k"}).WithLabels({"x"}).Inc();
  b.AddCounter("alpha_total", "a.", {"k"}).WithLabels({"y"}).Inc();
  b.AddGauge("zeta", "z.", {"k"}).WithLabels({"10"}).Set(1);
  b.AddGauge("zeta", "z.", {"k"}).WithLabels({"2"}).Set(1);
  EXPECT_EQ(a.Render(), b.Render());
  Exposition e = Scrape(a);
  EXPECT_EQ(e.family_order, (std::vector<std::string>{"alpha_total", "zeta"}));
  EXPECT_EQ(e.samples[0].labels.at("k"), "x");
  EXPECT_EQ(e.samples[2].labels.at("k"), "10");  // lexicographic, not numeric: stable either way
}

TEST(RegistryTest, ReRegistrationSharesTheFamily) {
  Registry r;
  auto& first = r.AddCounter("shared_total", "Shared.", {"a"});
  auto& second = r.AddCounter("shared_total", "Shared.", {"a"});
  EXPECT_EQ(&first, &second);
  second.WithLabels({"x"}).Inc();
  EXPECT_EQ(first.WithLabels({"x"}).Value(), 1);
}

TEST(RegistryDeathTest, ProgrammingErrorsAbortWithTheMetricName) {
  EXPECT_DEATH(
      {
        Registry r;
        r.AddCounter("clash", "c.");
        r.AddGauge("clash", "g.");
      },
      "metric clash is already registered");
  EXPECT_DEATH(
      {
        Registry r;
        r.AddCounter("labels_total", "c.", {"a"});
        r.AddCounter("labels_total", "c.", {"b"});
      },
      "labels_total");
  EXPECT_DEATH({ Registry().AddCounter("9bad", "c."); }, "invalid metric name");
  EXPECT_DEATH({ Registry().AddCounter("ok_total", "c.", {"bad-label"}); }, "invalid label name");
  EXPECT_DEATH({ Registry().AddCounter("ok_total", "c.", {"__reserved"}); }, "invalid label name");
  EXPECT_DEATH({ Registry().AddHistogram("h", "h.", {"le"}); }, "reserve the label");
  EXPECT_DEATH({ Registry().AddHistogram("h", "h.", {}, {1, 1}); }, "strictly increasing");
  EXPECT_DEATH({ Registry().AddCounter("n_total", "c.", {"a", "b"}).WithLabels({"only-one"}); }, "takes 2 label values");
  EXPECT_DEATH({ Registry().AddCounter("n_total", "c.", {"a"}).Get(); }, "use WithLabels");
}

TEST(RegistryTest, ValuesUseShortestRoundTripAndPrometheusSpecials) {
  Registry r;
  auto& g = r.AddGauge("v", "v.", {"k"});
  g.WithLabels({"tenth"}).Set(0.1);
  g.WithLabels({"big"}).Set(1e21);
  g.WithLabels({"int"}).Set(42);
  g.WithLabels({"nan"}).Set(std::nan(""));
  g.WithLabels({"pinf"}).Set(INFINITY);
  g.WithLabels({"ninf"}).Set(-INFINITY);
  Exposition e = Scrape(r);
  std::map<std::string, std::string> text;
  for (const auto& s : e.samples) text[s.labels.at("k")] = s.value_text;
  EXPECT_EQ(text["tenth"], "0.1");
  EXPECT_EQ(text["big"], "1e+21");
  EXPECT_EQ(text["int"], "42");
  EXPECT_EQ(text["nan"], "NaN");
  EXPECT_EQ(text["pinf"], "+Inf");
  EXPECT_EQ(text["ninf"], "-Inf");
}

TEST(RegistryTest, RemovedChildrenStopExportingButHandlesStayUsable) {
  Registry r;
  auto& f = r.AddGauge("backends", "Backends.", {"lb"});
  Gauge& gone = f.WithLabels({"lb-gone"});
  gone.Set(3);
  f.WithLabels({"lb-kept"}).Set(4);
  f.Remove({"lb-gone"});
  gone.Set(5);  // must not crash or reappear
  Exposition e = Scrape(r);
  EXPECT_FALSE(e.Value("backends", {{"lb", "lb-gone"}}).has_value());
  EXPECT_EQ(e.Value("backends", {{"lb", "lb-kept"}}), 4);
  EXPECT_EQ(f.WithLabels({"lb-gone"}).Value(), 0);  // a new series starts from zero
}

TEST(RegistryTest, CallbackGaugesAreReadAtScrapeTimeAndCanBeRemoved) {
  Registry r;
  double cache_size = 7;
  r.AddGaugeCallback("cache_objects", "Cached objects.", [&] { return cache_size; });
  r.AddGaugeCallback("queue_depth", "Depth per queue.", {"queue"}, [] {
    return GaugeSamples{{{"services"}, 2}, {{"nodes"}, 1}, {{"wrong", "arity"}, 9}};
  });
  Exposition e = Scrape(r);
  EXPECT_EQ(e.Value("cache_objects"), 7);
  EXPECT_EQ(e.type["cache_objects"], "gauge");
  EXPECT_EQ(e.Value("queue_depth", {{"queue", "nodes"}}), 1);
  EXPECT_EQ(e.Value("queue_depth", {{"queue", "services"}}), 2);
  EXPECT_EQ(e.samples.size(), 3u);  // the wrong-arity sample is dropped
  cache_size = 8;
  EXPECT_EQ(Scrape(r).Value("cache_objects"), 8);
  r.RemoveGaugeCallback("cache_objects");
  EXPECT_FALSE(Scrape(r).type.contains("cache_objects"));
}

TEST(RegistryTest, ConcurrentUpdatesAreNotLost) {
  Registry r;
  auto& counter = r.AddCounter("hits_total", "Hits.", {"worker"});
  auto& hist = r.AddHistogram("obs", "Obs.", {}, {0.5});
  constexpr int kThreads = 4, kPerThread = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Counter& shared = counter.WithLabels({"shared"});
      for (int i = 0; i < kPerThread; ++i) {
        shared.Inc();
        counter.WithLabels({std::to_string(t)}).Inc();  // lookups race with creation
        hist.Get().Observe(i % 2 ? 1.0 : 0.25);
      }
    });
  }
  std::thread scraper([&] {
    for (int i = 0; i < 50; ++i) EXPECT_EQ(ParseExposition(r.Render()).error, "");
  });
  for (auto& t : threads) t.join();
  scraper.join();
  Exposition e = Scrape(r);
  EXPECT_EQ(e.Value("hits_total", {{"worker", "shared"}}), kThreads * kPerThread);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(e.Value("hits_total", {{"worker", std::to_string(t)}}), kPerThread);
  EXPECT_EQ(e.Value("obs_count"), kThreads * kPerThread);
  EXPECT_EQ(e.Value("obs_bucket", {{"le", "0.5"}}), kThreads * kPerThread / 2);
  EXPECT_EQ(e.Value("obs_sum"), kThreads * (kPerThread / 2) * 1.25);
}

}  // namespace
}  // namespace ccm::metrics
