#include "pkg/kube/informer/store.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::kube {
namespace {

struct Obj {
  std::string key;
  std::vector<std::string> tags;
};

TEST(StoreTest, IndexesTrackUpsertsAndRemovals) {
  Store<Obj> store;
  store.AddIndex("tag", [](const Obj& o) { return o.tags; });
  store.Upsert("a", std::make_shared<Obj>(Obj{"a", {"x", "y"}}));
  store.Upsert("b", std::make_shared<Obj>(Obj{"b", {"y"}}));
  EXPECT_EQ(store.ByIndex("tag", "y").size(), 2u);
  EXPECT_EQ(store.ByIndex("tag", "x").size(), 1u);
  auto old = store.Upsert("a", std::make_shared<Obj>(Obj{"a", {"z"}}));
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->tags, (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(store.ByIndex("tag", "x").empty());
  EXPECT_EQ(store.ByIndex("tag", "y").size(), 1u);
  EXPECT_EQ(store.ByIndex("tag", "z")[0]->key, "a");
  EXPECT_NE(store.Remove("b"), nullptr);
  EXPECT_TRUE(store.ByIndex("tag", "y").empty());
  EXPECT_EQ(store.Remove("b"), nullptr);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_TRUE(store.ByIndex("nope", "z").empty());
}

TEST(StoreTest, IndexAddedLaterCoversExistingObjects) {
  Store<Obj> store;
  store.Upsert("a", std::make_shared<Obj>(Obj{"a", {"x"}}));
  store.AddIndex("tag", [](const Obj& o) { return o.tags; });
  EXPECT_EQ(store.ByIndex("tag", "x").size(), 1u);
}

TEST(StoreTest, SnapshotsSurviveReplacement) {
  Store<Obj> store;
  store.Upsert("a", std::make_shared<Obj>(Obj{"a", {"1"}}));
  auto snap = store.Get("a");
  store.Upsert("a", std::make_shared<Obj>(Obj{"a", {"2"}}));
  EXPECT_EQ(snap->tags[0], "1");
  EXPECT_EQ(store.Get("a")->tags[0], "2");
}

}  // namespace
}  // namespace ccm::kube
