#include "pkg/base/metrics/process_metrics.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

#include "test/pkg/base/metrics/exposition_parser.h"

namespace ccm::metrics {
namespace {

TEST(ProcessMetricsTest, ReportsThisProcess) {
  Registry r;
  RegisterProcessMetrics(r);
  auto e = testing::ParseExposition(r.Render());
  ASSERT_EQ(e.error, "");
  EXPECT_EQ(e.type["process_cpu_seconds_total"], "counter");
  EXPECT_EQ(e.type["process_open_fds"], "gauge");
  double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  double start = *e.Value("process_start_time_seconds");
  EXPECT_LE(start, now + 1);
  EXPECT_GT(start, now - 3600);  // a test binary started within the hour
  EXPECT_GT(*e.Value("process_resident_memory_bytes"), 1024 * 1024);
  EXPECT_GE(*e.Value("process_virtual_memory_bytes"), *e.Value("process_resident_memory_bytes"));
  EXPECT_GT(*e.Value("process_max_fds"), 0);

  // Values are read at scrape time: opening files and burning CPU show up.
  double fds = *e.Value("process_open_fds");
  double cpu = *e.Value("process_cpu_seconds_total");
  int a = open("/dev/null", O_RDONLY), b = open("/dev/null", O_RDONLY);
  volatile double sink = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (std::chrono::steady_clock::now() < until) sink = sink + 1;
  auto later = testing::ParseExposition(r.Render());
  EXPECT_EQ(*later.Value("process_open_fds"), fds + 2);
  EXPECT_GT(*later.Value("process_cpu_seconds_total"), cpu);
  close(a);
  close(b);
}

}  // namespace
}  // namespace ccm::metrics
