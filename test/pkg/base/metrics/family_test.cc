#include "pkg/base/metrics/family.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::metrics {
namespace {

std::string Render(const FamilyBase& family) {
  std::string out;
  family.Render(out);
  return out;
}

TEST(FamilyTest, AnUnlabelledFamilyExportsZeroFromTheStart) {
  Family<Counter> family("ccm_syncs_total", "Syncs.\nSecond line \\ here.", {}, MetricType::kCounter);
  EXPECT_EQ(Render(family),
            "# HELP ccm_syncs_total Syncs.\\nSecond line \\\\ here.\n# TYPE ccm_syncs_total counter\nccm_syncs_total 0\n");
  family.Get().Inc(2);
  EXPECT_EQ(Render(family),
            "# HELP ccm_syncs_total Syncs.\\nSecond line \\\\ here.\n# TYPE ccm_syncs_total counter\nccm_syncs_total 2\n");
  EXPECT_EQ(&family.Get(), &family.Get());
}

TEST(FamilyTest, ALabelledFamilyExportsItsChildrenOrderedByLabelValues) {
  Family<Gauge> family("ccm_backends", "Backends.", {"lb", "set"}, MetricType::kGauge);
  EXPECT_EQ(Render(family), "") << "nothing until a child is used";
  family.WithLabels({"lb-b", "http"}).Set(3);
  family.WithLabels({"lb-a", "say \"hi\""}).Set(1);
  EXPECT_EQ(Render(family),
            "# HELP ccm_backends Backends.\n# TYPE ccm_backends gauge\n"
            "ccm_backends{lb=\"lb-a\",set=\"say \\\"hi\\\"\"} 1\n"
            "ccm_backends{lb=\"lb-b\",set=\"http\"} 3\n");
  Gauge& kept = family.WithLabels({"lb-b", "http"});
  EXPECT_EQ(&kept, &family.WithLabels(std::vector<std::string>{"lb-b", "http"})) << "one child per label values";
}

TEST(FamilyTest, RemoveStopsExportingAChildAndItsLabelsStartAgainFromZero) {
  Family<Counter> family("ccm_writes_total", "Writes.", {"lb"}, MetricType::kCounter);
  Counter& old = family.WithLabels({"gone"});
  old.Inc(5);
  family.WithLabels({"kept"}).Inc();
  family.Remove({"gone"});
  family.Remove({"never-used"});
  EXPECT_EQ(Render(family), "# HELP ccm_writes_total Writes.\n# TYPE ccm_writes_total counter\nccm_writes_total{lb=\"kept\"} 1\n");
  old.Inc();  // a reference handed out before stays usable
  EXPECT_EQ(family.WithLabels({"gone"}).Value(), 0);
}

TEST(FamilyTest, AnUnlabelledChildIsNeverRemoved) {
  Family<Counter> family("ccm_plain_total", "Plain.", {}, MetricType::kCounter);
  family.Get().Inc();
  family.Remove({});
  EXPECT_EQ(Render(family), "# HELP ccm_plain_total Plain.\n# TYPE ccm_plain_total counter\nccm_plain_total 1\n");
}

TEST(FamilyTest, HistogramsExportCumulativeBucketsSumAndCount) {
  Family<Histogram> family("ccm_sync_seconds", "Sync time.", {"kind"}, MetricType::kHistogram, {0.5, 2});
  family.WithLabels({"lb"}).Observe(0.5);
  family.WithLabels({"lb"}).Observe(1);
  family.WithLabels({"lb"}).Observe(3);
  EXPECT_EQ(Render(family),
            "# HELP ccm_sync_seconds Sync time.\n# TYPE ccm_sync_seconds histogram\n"
            "ccm_sync_seconds_bucket{kind=\"lb\",le=\"0.5\"} 1\n"
            "ccm_sync_seconds_bucket{kind=\"lb\",le=\"2\"} 2\n"
            "ccm_sync_seconds_bucket{kind=\"lb\",le=\"+Inf\"} 3\n"
            "ccm_sync_seconds_sum{kind=\"lb\"} 4.5\n"
            "ccm_sync_seconds_count{kind=\"lb\"} 3\n");
  EXPECT_EQ(family.buckets(), (std::vector<double>{0.5, 2}));
  EXPECT_EQ(family.type(), MetricType::kHistogram);
  EXPECT_EQ(family.label_names(), (std::vector<std::string>{"kind"}));
}

TEST(FamilyTest, TypeNames) {
  EXPECT_STREQ(MetricTypeName(MetricType::kCounter), "counter");
  EXPECT_STREQ(MetricTypeName(MetricType::kGauge), "gauge");
  EXPECT_STREQ(MetricTypeName(MetricType::kHistogram), "histogram");
}

}  // namespace
}  // namespace ccm::metrics
