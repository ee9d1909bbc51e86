#include "pkg/kube/informer/store.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

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

// Random upserts/removals checked against std::map after every step: exercises growth,
// shrinking, probe chains and backward-shift removal of both the items and an index.
TEST(StoreTest, MatchesAReferenceMapUnderRandomChurn) {
  Store<Obj> store;
  store.AddIndex("tag", [](const Obj& o) { return o.tags; });
  std::map<std::string, std::vector<std::string>> model;
  std::mt19937 rng(42);
  auto check_all = [&] {
    ASSERT_EQ(store.size(), model.size());
    auto keys = store.Keys();
    ASSERT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), model.size());
    for (const auto& [key, tags] : model) {
      auto got = store.Get(key);
      ASSERT_NE(got, nullptr) << key;
      ASSERT_EQ(got->tags, tags) << key;
    }
    for (int t = 0; t < 8; ++t) {
      std::string tag = "t" + std::to_string(t);
      size_t want = 0;
      for (const auto& [key, tags] : model) want += std::count(tags.begin(), tags.end(), tag) > 0 ? 1 : 0;
      auto got = store.ByIndex("tag", tag);
      ASSERT_EQ(got.size(), want) << tag;
      for (const auto& o : got) ASSERT_NE(std::count(o->tags.begin(), o->tags.end(), tag), 0);
    }
  };
  for (int step = 0; step < 4000; ++step) {
    std::string key = "k" + std::to_string(rng() % 300);
    if (rng() % 3 == 0) {
      auto removed = store.Remove(key);
      ASSERT_EQ(removed != nullptr, model.erase(key) == 1) << key;
    } else {
      std::vector<std::string> tags;
      for (int t = 0, n = static_cast<int>(rng() % 3); t < n; ++t) tags.push_back("t" + std::to_string(rng() % 8));
      auto old = store.Upsert(key, std::make_shared<Obj>(Obj{key, tags}));
      ASSERT_EQ(old != nullptr, model.contains(key)) << key;
      model[key] = tags;
    }
    if (step % 97 == 0) check_all();
  }
  check_all();
  for (const auto& [key, tags] : model) ASSERT_NE(store.Remove(key), nullptr);
  EXPECT_EQ(store.size(), 0u);
  EXPECT_TRUE(store.ByIndex("tag", "t1").empty());
  EXPECT_TRUE(store.List().empty());
}

TEST(StoreTest, HeapBytesCountsTablesAndKeys) {
  Store<Obj> store;
  size_t empty = store.HeapBytes();
  for (int i = 0; i < 100; ++i) store.Upsert("key-" + std::to_string(i), std::make_shared<Obj>(Obj{"", {}}));
  EXPECT_GE(store.HeapBytes(), empty + 100 * (sizeof(std::shared_ptr<Obj>) + 5));
}

}  // namespace
}  // namespace ccm::kube
