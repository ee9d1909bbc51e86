#include "cmd/oci-lb-registrar-ccm/help_text.h"

#include <gtest/gtest.h>

namespace ccm::app {
namespace {

TEST(HelpTextTest, GroupsInOrderWithAlignedDescriptionsAndDefaults) {
  std::vector<HelpGroup> groups = {
      {.title = "Generic",
       .flags = {{.name = "cloud-config", .type = "string", .default_value = "", .description = "Path to the file."},
                 {.name = "secure-port", .type = "int", .default_value = "10258", .description = "Port."}}},
      {.title = "Empty", .flags = {}},
      {.title = "Leader election",
       .flags = {{.name = "leader-elect", .type = "", .default_value = "true", .description = "Elect."},
                 {.name = "leader-elect-resource-lock", .type = "string", .default_value = "leases",
                  .description = "Lock."}}},
  };
  std::string help = RenderHelp("Usage: x", groups);
  EXPECT_EQ(help,
            "Usage: x\n"
            "\nGeneric flags:\n\n"
            "      --cloud-config string                 Path to the file.\n"
            "      --secure-port int                     Port. (default 10258)\n"
            "\nLeader election flags:\n\n"
            "      --leader-elect                        Elect. (default true)\n"
            "      --leader-elect-resource-lock string   Lock. (default \"leases\")\n");
}

TEST(HelpTextTest, FalseAndEmptyDefaultsAreNotShown) {
  std::string help = RenderHelp("", {{.title = "G",
                                      .flags = {{.name = "a", .type = "", .default_value = "false", .description = "A."},
                                                {.name = "b", .type = "string", .default_value = "", .description = "B."}}}});
  EXPECT_EQ(help.find("default"), std::string::npos) << help;
}

TEST(HelpTextTest, LongDescriptionsWrapUnderTheDescriptionColumn) {
  std::string words;
  for (int i = 0; i < 30; ++i) words += "word" + std::to_string(i) + " ";
  std::string help = RenderHelp("", {{.title = "G", .flags = {{.name = "flag", .type = "string", .description = words}}}}, 60);
  // "      --flag string   " is 22 columns: every continuation line starts there.
  size_t lines = 0;
  size_t pos = help.find("      --flag string   word0");
  ASSERT_NE(pos, std::string::npos) << help;
  for (size_t nl = help.find('\n', pos); nl != std::string::npos && nl + 1 < help.size(); nl = help.find('\n', nl + 1)) {
    std::string_view line(help.data() + nl + 1, help.find('\n', nl + 1) - nl - 1);
    EXPECT_LE(line.size(), 60u) << line;
    EXPECT_TRUE(line.starts_with(std::string(22, ' ') + "word")) << line;
    ++lines;
  }
  EXPECT_GE(lines, 3u) << help;
  EXPECT_NE(help.find("word29"), std::string::npos);
}

TEST(HelpTextTest, VersionLineIsNameAndVersionOnly) { EXPECT_EQ(VersionLine("1.2.3"), "oci-lb-registrar-ccm v1.2.3\n"); }

}  // namespace
}  // namespace ccm::app
