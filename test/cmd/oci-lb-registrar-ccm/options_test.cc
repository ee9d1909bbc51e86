#include "cmd/oci-lb-registrar-ccm/options.h"

#include <gtest/gtest.h>

namespace ccm::app {
namespace {

TEST(ResolveControllersTest, RouteIsAcceptedAndNeverRun) {
  auto star = ResolveControllers("*,route");
  ASSERT_TRUE(star) << star.error().message;
  EXPECT_EQ(star->enabled, (std::set<std::string>{"cloud-node", "cloud-node-lifecycle", "service"}));
  EXPECT_TRUE(star->route_requested);

  auto minus = ResolveControllers("*,-route");
  ASSERT_TRUE(minus);
  EXPECT_EQ(minus->enabled.size(), 3u);
  EXPECT_FALSE(minus->route_requested);

  auto only = ResolveControllers("route");
  ASSERT_TRUE(only);
  EXPECT_TRUE(only->enabled.empty());
}

TEST(ResolveControllersTest, ReservedIPRunsOnlyWhenNamed) {
  auto star = ResolveControllers("*");
  ASSERT_TRUE(star);
  EXPECT_FALSE(star->enabled.contains("reservedip"));
  auto named = ResolveControllers("*,reservedip");
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_EQ(named->enabled,
            (std::set<std::string>{"cloud-node", "cloud-node-lifecycle", "service", "reservedip"}));
  auto alone = ResolveControllers("reservedip");
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->enabled, std::set<std::string>{"reservedip"});
  auto off = ResolveControllers("reservedip,-reservedip");
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->enabled.empty());
}

TEST(ResolveControllersTest, UnknownNamesAreErrorsNamingTheKnownOnes) {
  auto bad = ResolveControllers("*,nodeipamx");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("unknown controller \"nodeipamx\""), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("route is accepted"), std::string::npos) << bad.error().message;
}

TEST(ScanForHelpOrVersionTest, RecognisesTheKubernetesSpellings) {
  auto scan = [](std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return ScanForHelpOrVersion(static_cast<int>(argv.size()), argv.data());
  };
  EXPECT_EQ(scan({"bin", "--help"}), EarlyExit::kHelp);
  EXPECT_EQ(scan({"bin", "-h"}), EarlyExit::kHelp);
  EXPECT_EQ(scan({"bin", "--cloud-config=x", "--version"}), EarlyExit::kVersion);
  EXPECT_EQ(scan({"bin", "--version=false"}), EarlyExit::kNone);
  EXPECT_EQ(scan({"bin", "--cloud-config=--help"}), EarlyExit::kNone);
  EXPECT_EQ(scan({"bin", "--", "--help"}), EarlyExit::kNone);
}

TEST(HelpPageTest, ListsOurFlagsDashedAndGroupedWithoutLibraryInternals) {
  std::string help = HelpPage();
  // glog's flags (the Logging group) are checked on the binary (bad_config_test): whether this
  // test binary registers them depends on how glog is linked.
  for (const char* want : {"Generic flags:", "Leader election flags:", "Controllers flags:", "OCI flags:",
                           "--cloud-config string", "--cloud-provider string",
                           "--use-service-account-credentials", "--leader-elect-lease-duration duration",
                           "--concurrent-service-syncs int"}) {
    EXPECT_NE(help.find(want), std::string::npos) << want << " missing in:\n" << help;
  }
  EXPECT_LT(help.find("Generic flags:"), help.find("Leader election flags:"));
  EXPECT_LT(help.find("Controllers flags:"), help.find("OCI flags:"));
  for (const char* unwanted : {"cloud_config", "flagfile", "tryfromenv", "stderrthreshold", "log_dir", ".cc", "/work/",
                               "gflags", "--helpxml"}) {
    EXPECT_EQ(help.find(unwanted), std::string::npos) << unwanted << " shown in:\n" << help;
  }
}

}  // namespace
}  // namespace ccm::app
