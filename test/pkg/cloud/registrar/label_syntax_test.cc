#include "pkg/cloud/registrar/label_syntax.h"

#include <gtest/gtest.h>

namespace ccm::cloud::registrar {
namespace {

TEST(LabelSyntaxTest, LabelKeys) {
  for (const char* ok : {"role", "node.kubernetes.io/instance-type", "topology.kubernetes.io/zone", "A_b.c-9"}) {
    EXPECT_TRUE(IsLabelKey(ok)) << ok;
  }
  for (const char* bad : {"", "role in (web,api)", "-role", "role-", "Example.com/x", "/x", "a/", "a/b/c",
                          "web servers", "x\n"}) {
    EXPECT_FALSE(IsLabelKey(bad)) << bad;
  }
  EXPECT_FALSE(IsLabelKey(std::string(64, 'a')));
}

TEST(LabelSyntaxTest, LabelValues) {
  for (const char* ok : {"", "web", "v1.2_3-a", "True"}) EXPECT_TRUE(IsLabelValue(ok)) << ok;
  for (const char* bad : {"web servers", "web ", "-web", "web.", "w\xc3\xa9" "b", "a=b"}) EXPECT_FALSE(IsLabelValue(bad)) << bad;
  EXPECT_FALSE(IsLabelValue(std::string(64, 'a')));
}

TEST(LabelSyntaxTest, BackendSetNames) {
  for (const char* ok : {"web-http", "web_http", "bs.1", "A"}) EXPECT_TRUE(IsBackendSetName(ok)) << ok;
  for (const char* bad : {"", "web http", "web\xe2\x80\x93http", "a/b"}) EXPECT_FALSE(IsBackendSetName(bad)) << bad;
  EXPECT_FALSE(IsBackendSetName(std::string(33, 'a')));
}

}  // namespace
}  // namespace ccm::cloud::registrar
