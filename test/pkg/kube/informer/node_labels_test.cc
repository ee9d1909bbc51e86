#include "pkg/kube/informer/node_labels.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace ccm::kube {
namespace {

using TextPairs = std::vector<std::pair<std::string_view, std::string_view>>;

std::vector<std::pair<std::string, std::string>> Texts(const NodeLabels& labels) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : labels) out.emplace_back(k.str(), v.str());
  return out;
}

TEST(NodeLabelsTest, IterationMergesBothPartsInKeyOrder) {
  TextPairs pairs = {{"topology.kubernetes.io/zone", "PHX-AD-1"},
                     {"kubernetes.io/hostname", "10.0.0.5"},
                     {"beta.kubernetes.io/arch", "amd64"},
                     {"node.kubernetes.io/instance-id", "ocid1.instance.oc1.phx.a"},
                     {"role", "web"}};
  NodeLabels labels = NodeLabels::FromTexts(pairs);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"beta.kubernetes.io/arch", "amd64"},
      {"kubernetes.io/hostname", "10.0.0.5"},
      {"node.kubernetes.io/instance-id", "ocid1.instance.oc1.phx.a"},
      {"role", "web"},
      {"topology.kubernetes.io/zone", "PHX-AD-1"}};
  EXPECT_EQ(Texts(labels), want);
  EXPECT_EQ(labels.size(), 5u);
  EXPECT_FALSE(labels.empty());
  EXPECT_EQ(labels.own().size(), 2u) << "hostname and instance-id name the node";
  EXPECT_EQ(labels.shared().size(), 3u);
  ASSERT_EQ(labels.ToVector().size(), 5u);
  EXPECT_EQ(labels.ToVector()[1].first, "kubernetes.io/hostname");
}

TEST(NodeLabelsTest, NodesOfAPoolShareOneCopyOfTheCommonLabels) {
  TextPairs a = {{"pool", "np-1"}, {"kubernetes.io/hostname", "10.0.0.5"}, {"zone", "ad-1"}};
  TextPairs b = {{"zone", "ad-1"}, {"kubernetes.io/hostname", "10.0.0.6"}, {"pool", "np-1"}};
  NodeLabels first = NodeLabels::FromTexts(a);
  NodeLabels second = NodeLabels::FromTexts(b);
  EXPECT_TRUE(first.shared().SharesStorageWith(second.shared()));
  EXPECT_FALSE(first == second) << "the hostnames differ";
  TextPairs c = {{"pool", "np-1"}, {"kubernetes.io/hostname", "10.0.0.5"}, {"zone", "ad-1"}};
  EXPECT_TRUE(first == NodeLabels::FromTexts(c));
  TextPairs other_pool = {{"pool", "np-2"}, {"kubernetes.io/hostname", "10.0.0.5"}, {"zone", "ad-1"}};
  EXPECT_FALSE(first == NodeLabels::FromTexts(other_pool));
}

TEST(NodeLabelsTest, FindTellsAbsentFromEmpty) {
  NodeLabels labels({{InternedString("node.kubernetes.io/exclude-from-external-load-balancers"), InternedString("")},
                     {InternedString("kubernetes.io/hostname"), InternedString("n1")},
                     {InternedString("role"), InternedString("web")}});
  const InternedString* excluded = labels.Find("node.kubernetes.io/exclude-from-external-load-balancers");
  ASSERT_NE(excluded, nullptr);
  EXPECT_TRUE(excluded->empty());
  ASSERT_NE(labels.Find("kubernetes.io/hostname"), nullptr);
  EXPECT_EQ(*labels.Find("kubernetes.io/hostname"), "n1");
  ASSERT_NE(labels.Find("role"), nullptr);
  EXPECT_EQ(*labels.Find("role"), "web");
  EXPECT_EQ(labels.Find("rol"), nullptr);
  EXPECT_EQ(labels.Find("roles"), nullptr);
  EXPECT_EQ(labels.Find("hostname"), nullptr);
  EXPECT_EQ(NodeLabels().Find("role"), nullptr);
  const NodeLabels none;
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(none.begin() == none.end());
}

TEST(NodeLabelsTest, PerNodeKeysAreTheOnesThatNameTheNode) {
  for (const char* key : {"kubernetes.io/hostname", "node.kubernetes.io/instance-id", "hostname", "internal_addr",
                          "displayName"}) {
    EXPECT_TRUE(NodeLabels::IsPerNodeKey(key)) << key;
  }
  for (const char* key : {"", "kubernetes.io/os", "topology.kubernetes.io/zone", "node.kubernetes.io/instance-type",
                          "displayname", "kubernetes.io/hostname2"}) {
    EXPECT_FALSE(NodeLabels::IsPerNodeKey(key)) << key;
  }
}

TEST(NodeLabelsTest, FindLabelSearchesASortedVector) {
  Labels sorted = {{InternedString("a"), InternedString("1")},
                   {InternedString("b"), InternedString("")},
                   {InternedString("c"), InternedString("3")}};
  ASSERT_NE(FindLabel(sorted, "a"), nullptr);
  EXPECT_EQ(*FindLabel(sorted, "a"), "1");
  ASSERT_NE(FindLabel(sorted, "b"), nullptr);
  EXPECT_TRUE(FindLabel(sorted, "b")->empty());
  EXPECT_EQ(*FindLabel(sorted, "c"), "3");
  EXPECT_EQ(FindLabel(sorted, "bb"), nullptr);
  EXPECT_EQ(FindLabel(sorted, "d"), nullptr);
  EXPECT_EQ(FindLabel({}, "a"), nullptr);
}

}  // namespace
}  // namespace ccm::kube
