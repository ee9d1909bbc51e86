#include "pkg/kube/informer/compact_ids.h"

#include <gtest/gtest.h>

#include <string>

namespace ccm::kube {
namespace {

TEST(UidTest, ACanonicalUuidIsBinaryAndReadsBackExactly) {
  for (const char* uuid : {"3f2b1c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d", "00000000-0000-0000-0000-000000000001",
                           "ffffffff-ffff-ffff-ffff-ffffffffffff", "10000000-0000-0000-0000-000000000000"}) {
    Uid uid(uuid);
    EXPECT_TRUE(uid.IsBinary()) << uuid;
    EXPECT_EQ(uid.str(), uuid);
    EXPECT_FALSE(uid.empty());
    EXPECT_TRUE(uid == std::string_view(uuid));
  }
}

TEST(UidTest, AnyOtherTextIsKeptAsText) {
  for (const char* text : {"3F2B1C4D-5E6F-4A8B-9C0D-1E2F3A4B5C6D",   // upper case would read back lower
                           "00000000-0000-0000-0000-000000000000",   // the all-zero marker
                           "3f2b1c4d5e6f-4a8b-9c0d-1e2f3a4b5c6d-",   // dashes elsewhere
                           "3f2b1c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6",    // 35 characters
                           "3f2b1c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d0",  // 37 characters
                           "3f2b1c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6g", "u-n1", "x"}) {
    Uid uid(text);
    EXPECT_FALSE(uid.IsBinary()) << text;
    EXPECT_EQ(uid.str(), text);
    EXPECT_FALSE(uid.empty());
  }
  Uid empty("");
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.str(), "");
  EXPECT_TRUE(Uid().empty());
}

TEST(UidTest, EqualityFollowsTheText) {
  const char* uuid = "3f2b1c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
  EXPECT_EQ(Uid(uuid), Uid(uuid));
  EXPECT_NE(Uid(uuid), Uid("3f2b1c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6e"));
  EXPECT_NE(Uid(uuid), Uid("3F2B1C4D-5E6F-4A8B-9C0D-1E2F3A4B5C6D"));
  EXPECT_EQ(Uid("u-1"), Uid("u-1"));
  EXPECT_NE(Uid("u-1"), Uid("u-2"));
  Uid reassigned(uuid);
  reassigned = "u-1";
  EXPECT_FALSE(reassigned.IsBinary());
  EXPECT_EQ(reassigned, Uid("u-1")) << "assignment drops the previous binary form";
  std::string as_string = Uid(uuid);
  EXPECT_EQ(as_string, uuid);
}

TEST(ResourceVersionTest, DecimalRevisionsAreNumericAndReadBackExactly) {
  for (const char* rv : {"1", "12345", "9999999999999999999"}) {
    ResourceVersion v(rv);
    EXPECT_TRUE(v.IsNumeric()) << rv;
    EXPECT_EQ(v.str(), rv);
    EXPECT_FALSE(v.empty());
  }
}

TEST(ResourceVersionTest, TextThatWouldNotReadBackIsKeptAsText) {
  for (const char* rv : {"0", "007", "18446744073709551615", "10000000000000000000", "12a", "-1", "+1", " 1",
                         "abc"}) {
    ResourceVersion v(rv);
    EXPECT_FALSE(v.IsNumeric()) << rv;
    EXPECT_EQ(v.str(), rv);
    EXPECT_FALSE(v.empty()) << rv;
  }
  EXPECT_TRUE(ResourceVersion("").empty());
  EXPECT_TRUE(ResourceVersion().empty());
}

TEST(ResourceVersionTest, EqualityFollowsTheText) {
  EXPECT_EQ(ResourceVersion("42"), ResourceVersion("42"));
  EXPECT_NE(ResourceVersion("42"), ResourceVersion("43"));
  EXPECT_NE(ResourceVersion("42"), ResourceVersion("042"));
  EXPECT_TRUE(ResourceVersion("42") == std::string_view("42"));
  ResourceVersion v("abc");
  v = "7";
  EXPECT_TRUE(v.IsNumeric());
  EXPECT_EQ(v, ResourceVersion("7"));
  v = "x";
  EXPECT_EQ(v, ResourceVersion("x")) << "assignment drops the previous number";
}

}  // namespace
}  // namespace ccm::kube
