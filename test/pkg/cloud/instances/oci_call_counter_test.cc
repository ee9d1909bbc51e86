#include "pkg/cloud/instances/oci_call_counter.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace ccm::cloud::instances {
namespace {

TEST(OciCallCounterTest, CountsPerNodeAndPerOperationFailuresIncluded) {
  OciCallCounter counter;
  counter.RecordOciCall("node-1", "GetInstance", true);
  counter.RecordOciCall("node-1", "GetInstance", false);
  counter.RecordOciCall("node-1", "ListVnicAttachments", true);
  counter.RecordOciCall("node-2", "GetInstance", true);
  EXPECT_EQ(counter.Calls("node-1"), 3u);
  EXPECT_EQ(counter.Calls("node-1", "GetInstance"), 2u);
  EXPECT_EQ(counter.Calls("node-1", "ListVnicAttachments"), 1u);
  EXPECT_EQ(counter.Calls("node-1", "GetVnic"), 0u);
  EXPECT_EQ(counter.Calls("node-2"), 1u);
  EXPECT_EQ(counter.Calls("node-3"), 0u);
  EXPECT_EQ(counter.Calls("node-3", "GetInstance"), 0u);
  EXPECT_EQ(counter.Calls("node"), 0u) << "no prefix matching";
}

TEST(OciCallCounterTest, ForgetDropsOnlyThatNode) {
  OciCallCounter counter;
  counter.RecordOciCall("node-1", "GetInstance", true);
  counter.RecordOciCall("node-2", "GetInstance", true);
  counter.Forget("node-1");
  counter.Forget("never-seen");
  EXPECT_EQ(counter.Calls("node-1"), 0u);
  EXPECT_EQ(counter.Calls("node-1", "GetInstance"), 0u);
  EXPECT_EQ(counter.Calls("node-2"), 1u);
  counter.RecordOciCall("node-1", "GetVnic", true);
  EXPECT_EQ(counter.Calls("node-1"), 1u) << "a node that comes back starts from zero";
}

TEST(OciCallCounterTest, ConcurrentRecordsAreAllCounted) {
  OciCallCounter counter;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&counter, t] {
      for (int i = 0; i < 500; ++i) counter.RecordOciCall(t % 2 == 0 ? "even" : "odd", "GetInstance", i % 3 != 0);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter.Calls("even"), 1000u);
  EXPECT_EQ(counter.Calls("odd", "GetInstance"), 1000u);
}

}  // namespace
}  // namespace ccm::cloud::instances
