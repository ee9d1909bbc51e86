// The binary refuses to start half-configured: each bad flag or cloud-config field is named
// on stderr and the process exits 2 before touching Kubernetes or OCI.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test/envtest/control_plane.h"

namespace ccm::app {
namespace {

class BadConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ccm-badconfig-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs the binary; returns exit code and fills `output`.
  int Run(const std::vector<std::string>& args, std::string& output) {
    const char* bin_dir = std::getenv("CCM_BINARY_DIR");
    std::vector<std::string> argv = {std::string(bin_dir ? bin_dir : "build") + "/bin/oci-lb-registrar-ccm"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::string log = dir_ + "/out.log";
    std::filesystem::remove(log);
    auto pid = envtest::SpawnChild(argv, log);
    EXPECT_TRUE(pid);
    int status = 0;
    waitpid(*pid, &status, 0);
    std::ifstream f(log);
    std::stringstream ss;
    ss << f.rdbuf();
    output = ss.str();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
    return dir_ + "/" + name;
  }
  std::string dir_;
};

TEST_F(BadConfigTest, MalformedCloudConfigNamesTheFieldAndExits2) {
  std::string cfg = Write("cloud.yaml",
                          "auth:\n  region: us-phoenix-1\n  tenancy: not-an-ocid\n  user: ocid1.user.oc1..u\n"
                          "  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIC\n    -----END RSA PRIVATE KEY-----\n"
                          "  fingerprint: 12:34\ncompartment: ocid1.compartment.oc1..c\nregistrar:\n  drainPeriod: soon\n");
  std::string out;
  EXPECT_EQ(Run({"--cloud-config=" + cfg, "--kubeconfig=/nonexistent"}, out), 2);
  for (const char* field : {"auth.tenancy", "auth.fingerprint", "registrar.drainPeriod"}) {
    EXPECT_NE(out.find(field), std::string::npos) << field << " not named in:\n" << out;
  }
  EXPECT_EQ(out.find("MIIC"), std::string::npos) << "key material leaked:\n" << out;
}

TEST_F(BadConfigTest, MissingCloudConfigAndBadFlagsAreNamed) {
  std::string out;
  EXPECT_EQ(Run({"--controllers=service,-bogus", "--leader-elect-lease-duration=5s", "--leader-elect-renew-deadline=10s"},
                out),
            2);
  EXPECT_NE(out.find("--cloud-config is required"), std::string::npos) << out;
  EXPECT_NE(out.find("unknown controller \"bogus\""), std::string::npos) << out;
  EXPECT_NE(out.find("--leader-elect-lease-duration must be greater"), std::string::npos) << out;
}

TEST_F(BadConfigTest, CloudConfigThatIsNotYamlIsAnError) {
  std::string cfg = Write("cloud.yaml", "auth: [unclosed\n");
  std::string out;
  EXPECT_EQ(Run({"--cloud-config=" + cfg}, out), 2);
  EXPECT_NE(out.find("not valid YAML"), std::string::npos) << out;
}

TEST_F(BadConfigTest, WrongKeyFingerprintIsCaughtAtStartup) {
  std::string key = Write("key.pem", "");
  std::string cmd = "openssl genrsa -out " + key + " 2048 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::string cfg = Write("cloud.yaml", "auth:\n  region: us-phoenix-1\n  tenancy: ocid1.tenancy.oc1..t\n"
                                        "  user: ocid1.user.oc1..u\n  key_file: " + key +
                                            "\n  fingerprint: 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\n"
                                            "compartment: ocid1.compartment.oc1..c\n");
  std::string kubeconfig = Write("kubeconfig", "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
                                               "    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context:\n"
                                               "    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n    token: t\n"
                                               "current-context: c\n");
  std::string out;
  EXPECT_EQ(Run({"--cloud-config=" + cfg, "--kubeconfig=" + kubeconfig}, out), 2);
  EXPECT_NE(out.find("00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff"), std::string::npos) << out;
  EXPECT_EQ(out.find("PRIVATE KEY"), std::string::npos) << out;
}

TEST_F(BadConfigTest, HelpListsOurGroupedDashedFlagsOnly) {
  std::string out;
  EXPECT_EQ(Run({"--help"}, out), 0);
  EXPECT_TRUE(out.starts_with("oci-lb-registrar-ccm: ")) << out;
  for (const char* want : {"Generic flags:", "Leader election flags:", "Controllers flags:", "OCI flags:",
                           "Logging flags:", "--cloud-config string", "--use-service-account-credentials", "--v int"}) {
    EXPECT_NE(out.find(want), std::string::npos) << want << " missing:\n" << out;
  }
  for (const char* unwanted : {"cloud_config", "gflags", "flagfile", "log_dir", ".cc", "/work/", "/build"}) {
    EXPECT_EQ(out.find(unwanted), std::string::npos) << unwanted << " shown:\n" << out;
  }
}

TEST_F(BadConfigTest, VersionPrintsNameAndVersionOnly) {
  std::string out;
  EXPECT_EQ(Run({"--version"}, out), 0);
  EXPECT_EQ(out, std::string("oci-lb-registrar-ccm v") + CCM_VERSION + "\n");
}

TEST_F(BadConfigTest, AnotherCloudProviderIsRefusedNamingTheAcceptedOnes) {
  std::string out;
  EXPECT_EQ(Run({"--cloud-provider=aws", "--cloud-config=/nonexistent"}, out), 2);
  EXPECT_NE(out.find("--cloud-provider=aws: must be 'oci' or 'external'"), std::string::npos) << out;
}

TEST_F(BadConfigTest, MissingRegionAndCompartmentWithoutInstanceMetadataNameTheFields) {
  auto port = envtest::FreePort();
  ASSERT_TRUE(port);
  std::string key = Write("key.pem", "");
  std::string cmd = "openssl genrsa -out " + key + " 2048 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  // Oracle's cloud-provider.yaml without region and compartment, off OCI (nothing listens).
  std::string cfg = Write("cloud.yaml", "auth:\n  tenancy: ocid1.tenancy.oc1..t\n  user: ocid1.user.oc1..u\n  key_file: " +
                                            key + "\n  fingerprint: 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\n"
                                            "endpoints:\n  metadata: http://127.0.0.1:" + std::to_string(*port) +
                                            "/opc/v2\n");
  std::string out;
  EXPECT_EQ(Run({"--cloud-config=" + cfg, "--kubeconfig=/nonexistent"}, out), 2);
  for (const char* want : {"auth.region and compartment", "instance metadata",
                           "set auth.region and compartment in the cloud-config"}) {
    EXPECT_NE(out.find(want), std::string::npos) << want << " not in:\n" << out;
  }
}

}  // namespace
}  // namespace ccm::app
