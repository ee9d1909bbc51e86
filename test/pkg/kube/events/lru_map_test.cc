#include "pkg/kube/events/lru_map.h"

#include <gtest/gtest.h>

namespace ccm::kube {
namespace {

TEST(LruMapTest, EvictsLeastRecentlyUsed) {
  LruMap<int> m(2);
  m.Put("a", 1);
  m.Put("b", 2);
  ASSERT_NE(m.Find("a"), nullptr);  // a is now the most recent
  m.Put("c", 3);
  EXPECT_EQ(m.Find("b"), nullptr);
  EXPECT_EQ(*m.Find("a"), 1);
  EXPECT_EQ(*m.Find("c"), 3);
  EXPECT_EQ(m.size(), 2u);
  m.Put("a", 10);
  EXPECT_EQ(*m.Find("a"), 10);
  m.Erase("a");
  EXPECT_EQ(m.Find("a"), nullptr);
  EXPECT_EQ(m.size(), 1u);
}

}  // namespace
}  // namespace ccm::kube
