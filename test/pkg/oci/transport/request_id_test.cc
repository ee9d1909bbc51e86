#include "pkg/oci/transport/request_id.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ccm::oci {
namespace {

bool IsUpperHex32(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

TEST(RequestIdTest, ThirtyTwoUpperCaseHexDigitsAsTheSdksSend) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewRequestId();
    EXPECT_TRUE(IsUpperHex32(id)) << id;
  }
}

TEST(RequestIdTest, IdsDoNotRepeatAcrossCallsOrThreads) {
  std::mutex mu;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 1000; ++i) mine.push_back(NewRequestId());
      std::lock_guard lock(mu);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 4000u);
}

}  // namespace
}  // namespace ccm::oci
