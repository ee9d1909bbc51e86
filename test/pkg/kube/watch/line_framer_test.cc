#include "pkg/kube/watch/line_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ccm::kube::watch {
namespace {

std::vector<std::string> Frame(LineFramer& framer, const std::vector<std::string_view>& chunks) {
  std::vector<std::string> lines;
  for (auto c : chunks) {
    framer.Feed(c, [&](std::string_view l) {
      lines.emplace_back(l);
      return true;
    });
  }
  return lines;
}

TEST(LineFramerTest, CarriesPartialLinesAcrossChunks) {
  LineFramer framer;
  auto lines = Frame(framer, {"ab", "c\nde", "f\r\n\ng", "h"});
  EXPECT_EQ(lines, (std::vector<std::string>{"abc", "def"}));
  EXPECT_EQ(framer.carried_bytes(), 2u);  // "gh" waits for its newline
  lines = Frame(framer, {"\n"});
  EXPECT_EQ(lines, (std::vector<std::string>{"gh"}));
}

TEST(LineFramerTest, OverlongLineIsRejected) {
  LineFramer framer(8);
  EXPECT_FALSE(framer.Feed("0123456789", [](std::string_view) { return true; }));
  EXPECT_TRUE(framer.overflowed());
}

// Found by test/fuzz/line_framer: the limit held only for lines split across chunks.
TEST(LineFramerTest, OverlongLineIsRejectedWhateverTheChunking) {
  for (std::vector<std::string_view> chunks :
       {std::vector<std::string_view>{"ok\n0123456789\nnext\n"}, {"ok\n01234", "56789\nnext\n"}}) {
    LineFramer framer(8);
    std::vector<std::string> lines;
    bool ok = true;
    for (auto c : chunks) {
      ok = framer.Feed(c, [&](std::string_view l) {
        lines.emplace_back(l);
        return true;
      });
      if (!ok) break;
    }
    EXPECT_FALSE(ok);
    EXPECT_TRUE(framer.overflowed());
    EXPECT_EQ(lines, (std::vector<std::string>{"ok"}));
  }
  LineFramer framer(8);
  EXPECT_FALSE(framer.Feed("01234567\r\n", [](std::string_view) { return true; }));  // 9 bytes with the CR
}

}  // namespace
}  // namespace ccm::kube::watch
