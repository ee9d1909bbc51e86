#include "pkg/cloud/registrar/compact_ownership.h"

#include <gtest/gtest.h>

namespace ccm::cloud::registrar {
namespace {

Ownership Record(std::set<std::string> owned, std::set<std::string> sources = {"LBRegistrar/web"}) {
  Ownership o;
  o.owned = std::move(owned);
  o.sources = std::move(sources);
  return o;
}

TEST(CompactOwnershipTest, RoundTripsEveryKeyShape) {
  CompactOwnership c;
  Ownership o = Record({"10.0.0.1:30080", "10.0.0.1:30443", "ocid1.instance.oc1.phx.abc:30080", "[fd00::1]:8080",
                        "no-port", "trailing:", "zero-padded:0080", "10.0.0.2:0"});
  o.drain_since["10.0.0.1:30080"] = WallTime{} + std::chrono::seconds(42);
  c.Put("lb1", "http", o);
  EXPECT_EQ(c.Get("lb1", "http"), o);
  EXPECT_TRUE(c.Equals("lb1", "http", o));
}

TEST(CompactOwnershipTest, TargetsAreSharedAcrossSets) {
  CompactOwnership c;
  for (int set = 0; set < 50; ++set) {
    std::set<std::string> keys;
    for (int n = 0; n < 100; ++n) keys.insert("ocid1.instance.oc1.phx.node" + std::to_string(n) + ":" + std::to_string(30000 + set));
    c.Put("lb1", "set-" + std::to_string(set), Record(keys));
  }
  // A second load balancer naming the same instances adds no target.
  c.Put("lb2", "other", Record({"ocid1.instance.oc1.phx.node3:31000", "ocid1.instance.oc1.phx.node99:31000"}));
  EXPECT_EQ(c.targets(), 100u);
  EXPECT_EQ(c.Get("lb1", "set-7").owned.size(), 100u);
  EXPECT_EQ(c.Get("lb2", "other").owned,
            (std::set<std::string>{"ocid1.instance.oc1.phx.node3:31000", "ocid1.instance.oc1.phx.node99:31000"}));
  EXPECT_EQ(c.Get("lb2", "set-7"), Ownership{});
  EXPECT_EQ(c.LoadBalancers(), (std::vector<std::string>{"lb1", "lb2"}));
  EXPECT_EQ(c.Sources("lb2"), (std::map<std::string, std::set<std::string>>{{"other", {"LBRegistrar/web"}}}));
  EXPECT_EQ(c.Sources("lb1").size(), 50u);
  EXPECT_TRUE(c.Get("lb1", "set-7").owned.contains("ocid1.instance.oc1.phx.node42:30007"));
}

TEST(CompactOwnershipTest, EqualsNoticesEveryDifference) {
  CompactOwnership c;
  Ownership o = Record({"10.0.0.1:30080", "10.0.0.2:30080"});
  c.Put("lb1", "http", o);
  EXPECT_FALSE(c.Equals("lb1", "http", Record({"10.0.0.1:30080"})));
  EXPECT_FALSE(c.Equals("lb1", "http", Record({"10.0.0.1:30080", "10.0.0.3:30080"})));  // an unknown target
  EXPECT_FALSE(c.Equals("lb1", "http", Record({"10.0.0.1:30080", "10.0.0.2:30081"})));
  EXPECT_FALSE(c.Equals("lb1", "http", Record({"10.0.0.1:30080", "10.0.0.2:30080"}, {"Service/a/b"})));
  Ownership draining = o;
  draining.drain_since["10.0.0.2:30080"] = WallTime{} + std::chrono::seconds(1);
  EXPECT_FALSE(c.Equals("lb1", "http", draining));
  EXPECT_FALSE(c.Equals("lb1", "other", o));
  EXPECT_TRUE(c.Equals("lb1", "other", Ownership{}));
  EXPECT_FALSE(c.Equals("lb2", "http", o));  // the same set name on another load balancer
}

TEST(CompactOwnershipTest, AnEmptyRecordRemovesTheSet) {
  CompactOwnership c;
  c.Put("lb1", "http", Record({"10.0.0.1:30080"}));
  c.Put("lb1", "http", Ownership{});
  EXPECT_FALSE(c.Contains("lb1", "http"));
  EXPECT_TRUE(c.empty());
  EXPECT_TRUE(c.LoadBalancers().empty());
  EXPECT_EQ(c.Get("lb1", "http"), Ownership{});
}

TEST(CompactOwnershipTest, CompactionDropsTargetsNoRecordUsesAndKeepsTheRest) {
  CompactOwnership c;
  c.Put("lb1", "keep", Record({"10.9.9.9:30080"}));
  c.Put("lb1", "mixed", Record({"10.9.9.9:30443", "10.9.9.8:30080", "no-port"}));
  // Node churn: every round registers 100 new nodes and forgets the previous ones.
  for (int round = 0; round < 50; ++round) {
    std::set<std::string> keys;
    for (int n = 0; n < 100; ++n) keys.insert("10.1." + std::to_string(round) + "." + std::to_string(n) + ":30080");
    c.Put("lb1", "churn", Record(keys));
  }
  EXPECT_LT(c.targets(), 2u * 103 + 1024 + 100);
  EXPECT_EQ(c.Get("lb1", "keep").owned, (std::set<std::string>{"10.9.9.9:30080"}));
  EXPECT_EQ(c.Get("lb1", "mixed").owned, (std::set<std::string>{"10.9.9.9:30443", "10.9.9.8:30080", "no-port"}));
  EXPECT_TRUE(c.Equals("lb1", "mixed", Record({"10.9.9.9:30443", "10.9.9.8:30080", "no-port"})));
  EXPECT_TRUE(c.Get("lb1", "churn").owned.contains("10.1.49.7:30080"));
  EXPECT_FALSE(c.Get("lb1", "churn").owned.contains("10.1.48.7:30080"));
  EXPECT_EQ(c.Get("lb1", "churn").owned.size(), 100u);
}

}  // namespace
}  // namespace ccm::cloud::registrar
