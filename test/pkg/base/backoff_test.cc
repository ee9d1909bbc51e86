#include "pkg/base/backoff.h"

#include <gtest/gtest.h>

namespace ccm {
namespace {

TEST(BackoffTest, DoublesWithJitterUpToTheCap) {
  Backoff b({.initial = std::chrono::milliseconds(100), .max = std::chrono::milliseconds(1000),
             .factor = 2.0, .jitter = 0.5},
            42);
  int64_t expected_base[] = {100, 200, 400, 800, 1000, 1000};
  for (int64_t base : expected_base) {
    auto d = b.Next().count();
    EXPECT_GE(d, base);
    EXPECT_LE(d, std::min<int64_t>(1000, base + base / 2));
  }
}

TEST(BackoffTest, ResetStartsOver) {
  Backoff b({.initial = std::chrono::milliseconds(10), .max = std::chrono::milliseconds(10000),
             .factor = 2.0, .jitter = 0.0},
            1);
  b.Next();
  b.Next();
  EXPECT_EQ(b.Next().count(), 40);
  b.Reset();
  EXPECT_EQ(b.Next().count(), 10);
}

}  // namespace
}  // namespace ccm
