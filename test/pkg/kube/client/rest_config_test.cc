#include "pkg/kube/client/rest_config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "pkg/base/base64.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

const std::string kCa = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
const std::string kCert = "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n";

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ccm-restcfg-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& data) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p) << data;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Kubeconfig(const std::string& cluster_extra, const std::string& user_body,
                       const std::string& server = "https://k8s.example:6443") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: main\n"
         "contexts:\n- name: main\n  context: {cluster: c1, user: u1}\n"
         "- name: other\n  context: {cluster: c2, user: u1}\n"
         "clusters:\n- name: c1\n  cluster:\n    server: " + server + "\n" + cluster_extra +
         "- name: c2\n  cluster:\n    server: https://other.example\n"
         "users:\n- name: u1\n  user:\n" + user_body;
}

TEST(RestConfigTest, KubeconfigWithInlineCaAndToken) {
  auto cfg = ParseKubeconfig(
      Kubeconfig("    certificate-authority-data: " + Base64Encode(kCa) + "\n", "    token: abc\n"), "", {},
      Clock::Real());
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->host, "https://k8s.example:6443");
  EXPECT_EQ(cfg->tls.ca_pem, kCa);
  EXPECT_FALSE(cfg->tls.system_roots) << "a cluster CA is trusted alone, as client-go does";
  ASSERT_NE(cfg->token_source, nullptr);
  EXPECT_EQ(cfg->token_source->Token().value(), "abc");
  EXPECT_TRUE(cfg->tls.client_cert_pem.empty());
}

TEST(RestConfigTest, KubeconfigWithRelativeFilesAndClientCertificate) {
  TempDir dir;
  dir.Write("ca.crt", kCa);
  dir.Write("client.crt", kCert);
  dir.Write("client.key", kKey);
  std::string path = dir.Write(
      "config", Kubeconfig("    certificate-authority: ca.crt\n",
                           "    client-certificate: client.crt\n    client-key: " + dir.path() + "/client.key\n"));
  auto cfg = LoadKubeconfig({.path = path}, Clock::Real());
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->tls.ca_pem, kCa);
  EXPECT_EQ(cfg->tls.client_cert_pem, kCert);
  EXPECT_EQ(cfg->tls.client_key_pem, kKey);
  EXPECT_EQ(cfg->token_source, nullptr);
}

TEST(RestConfigTest, KubeconfigInlineClientCertificateData) {
  auto cfg = ParseKubeconfig(Kubeconfig("", "    client-certificate-data: " + Base64Encode(kCert) +
                                                "\n    client-key-data: " + Base64Encode(kKey) + "\n"),
                             "", {}, Clock::Real());
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->tls.client_cert_pem, kCert);
  EXPECT_EQ(cfg->tls.client_key_pem, kKey);
  EXPECT_TRUE(cfg->tls.system_roots) << "without a cluster CA the system's roots are the only trust";
}

TEST(RestConfigTest, MasterOverridesServerAndContextCanBeChosen) {
  auto cfg = ParseKubeconfig(Kubeconfig("", "    token: abc\n"), "", {.master = "https://10.1.1.1:443/"}, Clock::Real());
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->host, "https://10.1.1.1:443");
  auto other = ParseKubeconfig(Kubeconfig("", "    token: abc\n"), "", {.context = "other"}, Clock::Real());
  ASSERT_TRUE(other);
  EXPECT_EQ(other->host, "https://other.example");
}

TEST(RestConfigTest, TokenFileIsReadAndReRead) {
  TempDir dir;
  std::string token_path = dir.Write("token", "first\n");
  ccm::testing::SimulatedClock clock;
  auto cfg = ParseKubeconfig(Kubeconfig("", "    tokenFile: " + token_path + "\n"), "", {}, clock);
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->token_source->Token().value(), "first");
  dir.Write("token", "second-token\n");
  EXPECT_EQ(cfg->token_source->Token().value(), "second-token");
}

struct BadCase {
  std::string name;
  std::string yaml;
  std::string must_mention;
};

TEST(RestConfigTest, BadKubeconfigsNameTheField) {
  std::vector<BadCase> cases = {
      {"insecure", Kubeconfig("    insecure-skip-tls-verify: true\n", "    token: t\n"),
       "clusters[c1].cluster.insecure-skip-tls-verify"},
      {"exec", Kubeconfig("", "    exec:\n      command: aws\n"), "users[u1].user.exec is unsupported"},
      {"auth-provider", Kubeconfig("", "    auth-provider:\n      name: gcp\n"),
       "users[u1].user.auth-provider is unsupported"},
      {"username", Kubeconfig("", "    username: admin\n    password: pw\n"), "users[u1].user.username is unsupported"},
      {"password", Kubeconfig("", "    password: pw\n"), "users[u1].user.password is unsupported"},
      {"http", Kubeconfig("", "    token: t\n", "http://k8s.example"), "plain http"},
      {"bad base64", Kubeconfig("    certificate-authority-data: '!!!'\n", "    token: t\n"),
       "certificate-authority-data is not valid base64"},
      {"ca not pem", Kubeconfig("    certificate-authority-data: " + Base64Encode("junk") + "\n", "    token: t\n"),
       "certificate-authority does not hold PEM"},
      {"missing ca file", Kubeconfig("    certificate-authority: /nonexistent/ca.crt\n", "    token: t\n"),
       "/nonexistent/ca.crt"},
      {"cert without key", Kubeconfig("", "    client-certificate-data: " + Base64Encode(kCert) + "\n"),
       "client-certificate is set without client-key"},
      {"missing token file", Kubeconfig("", "    tokenFile: /nonexistent/token\n"), "/nonexistent/token"},
      {"no context", "apiVersion: v1\nkind: Config\nclusters: []\n", "current-context"},
      {"unknown context", "current-context: nope\ncontexts: []\n", "context 'nope'"},
      {"unknown cluster", "current-context: a\ncontexts:\n- name: a\n  context: {cluster: zz, user: u}\n",
       "cluster 'zz'"},
      {"not yaml", "a: [b\n", "not valid YAML"},
  };
  for (const auto& c : cases) {
    auto cfg = ParseKubeconfig(c.yaml, "", {}, Clock::Real());
    ASSERT_FALSE(cfg) << c.name;
    EXPECT_EQ(cfg.error().kind, ErrorKind::kInvalidArgument) << c.name;
    EXPECT_NE(cfg.error().message.find(c.must_mention), std::string::npos)
        << c.name << ": " << cfg.error().message;
  }
}

TEST(RestConfigTest, InClusterReadsOverriddenPaths) {
  TempDir dir;
  auto token = dir.Write("token", "sa-token");
  auto ca = dir.Write("ca.crt", kCa);
  auto cfg = LoadInClusterConfig({.token_file = token, .ca_file = ca, .host = "fd00::1", .port = "443"}, Clock::Real());
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->host, "https://[fd00::1]:443");
  EXPECT_EQ(cfg->tls.ca_pem, kCa);
  EXPECT_FALSE(cfg->tls.system_roots);
  EXPECT_EQ(cfg->token_source->Token().value(), "sa-token");
}

TEST(RestConfigTest, InClusterFromEnvironment) {
  TempDir dir;
  auto token = dir.Write("token", "sa-token");
  auto ca = dir.Write("ca.crt", kCa);
  setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  auto cfg = BuildRestConfig("", "", Clock::Real(), {.token_file = token, .ca_file = ca});
  unsetenv("KUBERNETES_SERVICE_HOST");
  unsetenv("KUBERNETES_SERVICE_PORT");
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->host, "https://10.96.0.1:443");
  auto outside = LoadInClusterConfig({.token_file = token, .ca_file = ca}, Clock::Real());
  ASSERT_FALSE(outside);
  EXPECT_NE(outside.error().message.find("KUBERNETES_SERVICE_HOST"), std::string::npos);
}

TEST(RestConfigTest, KubeconfigPathResolution) {
  setenv("KUBECONFIG", "/a/first:/b/second", 1);
  EXPECT_EQ(ResolveKubeconfigPath(""), "/a/first");
  EXPECT_EQ(ResolveKubeconfigPath("/explicit"), "/explicit");
  unsetenv("KUBECONFIG");
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(ResolveKubeconfigPath(""), "/home/someone/.kube/config");
}

TEST(RestConfigTest, BuildRestConfigUsesExplicitKubeconfig) {
  TempDir dir;
  auto path = dir.Write("kc", Kubeconfig("", "    token: abc\n"));
  auto cfg = BuildRestConfig(path, "https://override:6443", Clock::Real());
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->host, "https://override:6443");
  auto missing = BuildRestConfig(dir.path() + "/missing", "", Clock::Real());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing"), std::string::npos);
}

}  // namespace
}  // namespace ccm::kube
