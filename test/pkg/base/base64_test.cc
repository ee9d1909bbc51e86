#include "pkg/base/base64.h"

#include <gtest/gtest.h>

namespace ccm {
namespace {

TEST(Base64Test, RoundTripsEveryLength) {
  std::string data;
  for (int i = 0; i < 70; ++i) {
    auto decoded = Base64Decode(Base64Encode(data));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, data);
    data.push_back(static_cast<char>(i * 37));
  }
}

TEST(Base64Test, KnownVectorsAndWhitespace) {
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Decode("Zm9v\nYmE=\n").value(), "fooba");
}

TEST(Base64Test, RejectsGarbage) {
  EXPECT_FALSE(Base64Decode("Zm9v!"));
  EXPECT_FALSE(Base64Decode("Zm9"));
}

TEST(Base64Test, UrlVariantWithoutPadding) {
  EXPECT_EQ(Base64UrlDecode("eyJleHAiOjF9").value(), R"({"exp":1})");
  EXPECT_EQ(Base64UrlDecode("-_8").value(), std::string("\xfb\xff", 2));
}

}  // namespace
}  // namespace ccm
