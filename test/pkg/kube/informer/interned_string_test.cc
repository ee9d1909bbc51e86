#include "pkg/kube/informer/interned_string.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace ccm::kube {
namespace {

// The pool is process-wide: each test compares against the count it started with, using
// texts no other test interns.
std::string Text(const char* test, int i) { return std::string(test) + "/" + std::to_string(i); }

TEST(InternedStringTest, EqualTextIsOneEntry) {
  const size_t before = InternedString::PoolEntries();
  InternedString a("interned-equal/zone-a");
  InternedString b("interned-equal/zone-a");
  InternedString c("interned-equal/zone-b");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.view().data(), b.view().data()) << "one copy of the text";
  EXPECT_FALSE(a == c);
  EXPECT_EQ(InternedString::PoolEntries(), before + 2);
  EXPECT_EQ(a.view(), "interned-equal/zone-a");
  EXPECT_EQ(a.str(), "interned-equal/zone-a");
  EXPECT_TRUE(a == std::string_view("interned-equal/zone-a"));
  EXPECT_TRUE(a < c);
  EXPECT_FALSE(c < a);
}

TEST(InternedStringTest, TheEmptyStringTakesNoEntry) {
  const size_t before = InternedString::PoolEntries();
  InternedString empty("");
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty, InternedString());
  EXPECT_EQ(empty.view(), "");
  EXPECT_EQ(InternedString::PoolEntries(), before);
}

TEST(InternedStringTest, TextWithANulByteKeepsItsLength) {
  const std::string text("interned-nul/a\0b", 16);
  InternedString s(text);
  EXPECT_EQ(s.view().size(), 16u);
  EXPECT_EQ(s.view(), text);
  EXPECT_FALSE(s == InternedString("interned-nul/a"));
}

TEST(InternedStringTest, TheLastUserFreesTheEntry) {
  const size_t entries = InternedString::PoolEntries();
  const size_t bytes = InternedString::PoolBytes();
  {
    InternedString a("interned-last-user/value");
    EXPECT_EQ(InternedString::PoolEntries(), entries + 1);
    EXPECT_GT(InternedString::PoolBytes(), bytes);
    InternedString copy(a);
    InternedString assigned;
    assigned = a;
    InternedString moved(std::move(copy));
    EXPECT_TRUE(copy.empty()) << "moved from";  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(moved, a);
    EXPECT_EQ(assigned, a);
    a = InternedString();
    EXPECT_EQ(InternedString::PoolEntries(), entries + 1) << "two users left";
    assigned = moved;
    moved = InternedString();
    EXPECT_EQ(InternedString::PoolEntries(), entries + 1) << "one user left";
    EXPECT_EQ(assigned.view(), "interned-last-user/value");
  }
  EXPECT_EQ(InternedString::PoolEntries(), entries);
}

TEST(InternedStringTest, SelfAssignmentKeepsTheEntry) {
  const size_t entries = InternedString::PoolEntries();
  InternedString a("interned-self/value");
  InternedString& same = a;
  a = same;
  a = std::move(same);
  EXPECT_EQ(a.view(), "interned-self/value");
  EXPECT_EQ(InternedString::PoolEntries(), entries + 1);
}

// Thousands of entries grow the table; releasing most of them, interleaved, shrinks it and
// shifts probe chains back. Every surviving entry must still be found as itself.
TEST(InternedStringTest, ChurnKeepsEverySurvivorFindable) {
  InternedString sentinel("interned-churn/sentinel");  // the table exists before the baseline
  const size_t entries = InternedString::PoolEntries();
  const size_t bytes = InternedString::PoolBytes();
  constexpr int kCount = 5000;
  std::vector<InternedString> held;
  held.reserve(kCount);
  for (int i = 0; i < kCount; ++i) held.emplace_back(Text("interned-churn", i));
  EXPECT_EQ(InternedString::PoolEntries(), entries + kCount);
  for (int i = 0; i < kCount; ++i) {
    if (i % 7 != 0) held[i] = InternedString();
  }
  const size_t survivors = (kCount + 6) / 7;
  EXPECT_EQ(InternedString::PoolEntries(), entries + survivors);
  for (int i = 0; i < kCount; i += 7) {
    InternedString again(Text("interned-churn", i));
    EXPECT_EQ(again, held[i]) << i;
    EXPECT_EQ(again.view().data(), held[i].view().data()) << i;
  }
  EXPECT_EQ(InternedString::PoolEntries(), entries + survivors) << "lookups add nothing";
  held.clear();
  EXPECT_EQ(InternedString::PoolEntries(), entries);
  EXPECT_EQ(InternedString::PoolBytes(), bytes) << "the table shrinks back after churn";
}

TEST(InternedStringTest, ConcurrentUsersShareAndReleaseEntries) {
  const size_t entries = InternedString::PoolEntries();
  constexpr int kThreads = 4;
  constexpr int kTexts = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([] {
      for (int round = 0; round < 20; ++round) {
        std::vector<InternedString> mine;
        for (int i = 0; i < kTexts; ++i) mine.emplace_back(Text("interned-concurrent", i));
        for (int i = 0; i < kTexts; ++i) {
          if (mine[i].view() != Text("interned-concurrent", i)) ADD_FAILURE() << i;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(InternedString::PoolEntries(), entries);
}

}  // namespace
}  // namespace ccm::kube
