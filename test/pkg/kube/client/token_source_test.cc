#include "pkg/kube/client/token_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <cstdio>
#include <fstream>

#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

void WriteWithMtime(const std::string& path, const std::string& data, time_t mtime) {
  std::ofstream(path, std::ios::trunc) << data;
  struct timeval times[2] = {{mtime, 0}, {mtime, 0}};
  ASSERT_EQ(utimes(path.c_str(), times), 0);
}

TEST(FileTokenSourceTest, RereadsWhenTheFileChanges) {
  std::string path = "/tmp/ccm-token-" + std::to_string(getpid());
  WriteWithMtime(path, "aaaa\n", 1000);
  ccm::testing::SimulatedClock clock;
  FileTokenSource source(path, clock);
  EXPECT_EQ(source.Token().value(), "aaaa");
  WriteWithMtime(path, "bbbbbb", 2000);
  EXPECT_EQ(source.Token().value(), "bbbbbb");
  std::remove(path.c_str());
}

TEST(FileTokenSourceTest, RereadsAfterMaxAgeEvenWithSameMtimeAndSize) {
  std::string path = "/tmp/ccm-token2-" + std::to_string(getpid());
  WriteWithMtime(path, "aaaa", 1000);
  ccm::testing::SimulatedClock clock;
  FileTokenSource source(path, clock, std::chrono::minutes(1));
  EXPECT_EQ(source.Token().value(), "aaaa");
  WriteWithMtime(path, "cccc", 1000);  // same size and mtime: invisible to stat
  EXPECT_EQ(source.Token().value(), "aaaa");
  clock.Advance(std::chrono::seconds(61));
  EXPECT_EQ(source.Token().value(), "cccc");
  std::remove(path.c_str());
}

TEST(FileTokenSourceTest, KeepsLastGoodTokenWhenFileDisappears) {
  std::string path = "/tmp/ccm-token3-" + std::to_string(getpid());
  WriteWithMtime(path, "good", 1000);
  ccm::testing::SimulatedClock clock;
  FileTokenSource source(path, clock);
  EXPECT_EQ(source.Token().value(), "good");
  std::remove(path.c_str());
  clock.Advance(std::chrono::minutes(2));
  EXPECT_EQ(source.Token().value(), "good");
}

TEST(FileTokenSourceTest, MissingFileIsUnauthenticatedWithoutLeakingContent) {
  ccm::testing::SimulatedClock clock;
  FileTokenSource source("/nonexistent/token", clock);
  auto t = source.Token();
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::kUnauthenticated);
  EXPECT_NE(t.error().message.find("/nonexistent/token"), std::string::npos);
}

}  // namespace
}  // namespace ccm::kube
