#include "pkg/cloud/oci_apis.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pkg/oci/auth/rsa_key.h"
#include "test/support/test_pki.h"

namespace ccm::cloud {
namespace {

class OciApisKeyErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = ccm::testing::GenerateRsaKey();
    ASSERT_TRUE(key);
    key_pem_ = key->key_pem;
    fingerprint_ = oci::RsaPrivateKey::FromPem(key_pem_, "", "test")->Fingerprint();
  }
  CloudConfig Config(const std::string& pem, const std::string& key_file, const std::string& passphrase) {
    CloudConfig c;
    c.auth = {.region = "us-phoenix-1", .tenancy = "ocid1.tenancy.oc1..t", .user = "ocid1.user.oc1..u",
              .private_key_pem = pem, .key_file = key_file, .fingerprint = fingerprint_, .passphrase = passphrase};
    c.compartment = "ocid1.compartment.oc1..c";
    return c;
  }
  std::string Encrypted(const std::string& passphrase) {
    char dir[] = "/tmp/oci-apis-test-XXXXXX";
    if (mkdtemp(dir) == nullptr) return "";
    std::string in = std::string(dir) + "/k.pem", out = std::string(dir) + "/e.pem";
    std::ofstream(in) << key_pem_;
    std::string cmd = "openssl pkey -in " + in + " -aes256 -passout pass:" + passphrase + " -out " + out;
    std::string pem;
    if (std::system(cmd.c_str()) == 0) {
      std::stringstream ss;
      ss << std::ifstream(out).rdbuf();
      pem = ss.str();
    }
    std::filesystem::remove_all(dir);
    return pem;
  }
  std::string key_pem_, fingerprint_;
};

TEST_F(OciApisKeyErrorsTest, AValidKeyIsAccepted) {
  auto apis = OciApis::Create(Config(key_pem_, "", ""), Clock::Real());
  EXPECT_TRUE(apis) << apis.error().ToString();
}

TEST_F(OciApisKeyErrorsTest, APublicKeyInTheKeyFileNamesAuthKeyFile) {
  auto pub = oci::RsaPrivateKey::FromPem(key_pem_, "", "test")->PublicKeyPem();
  auto apis = OciApis::Create(Config(pub, "/etc/oci/key.pem", ""), Clock::Real());
  ASSERT_FALSE(apis);
  EXPECT_NE(apis.error().message.find("auth.key_file /etc/oci/key.pem holds a PEM 'PUBLIC KEY' block"), std::string::npos)
      << apis.error().message;
}

TEST_F(OciApisKeyErrorsTest, EncryptedKeyProblemsNameAuthPassphraseAndNeverPrintIt) {
  std::string pem = Encrypted("right-passphrase");
  ASSERT_FALSE(pem.empty());
  for (const std::string passphrase : {"", "wrong-passphrase-xyz"}) {
    auto apis = OciApis::Create(Config(pem, "", passphrase), Clock::Real());
    ASSERT_FALSE(apis);
    EXPECT_TRUE(apis.error().message.starts_with("cloud-config auth.passphrase: auth.key ")) << apis.error().message;
    EXPECT_EQ(apis.error().message.find("wrong-passphrase-xyz"), std::string::npos);
  }
  EXPECT_TRUE(OciApis::Create(Config(pem, "", "right-passphrase"), Clock::Real()));
}

TEST_F(OciApisKeyErrorsTest, AMangledInlineKeyNamesAuthKey) {
  auto apis = OciApis::Create(
      Config("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA bad body\n-----END RSA PRIVATE KEY-----\n", "", ""),
      Clock::Real());
  ASSERT_FALSE(apis);
  EXPECT_NE(apis.error().message.find("cloud-config auth.key is not a valid PEM private key"), std::string::npos)
      << apis.error().message;
  EXPECT_EQ(apis.error().message.find("MIIEowIBAAKCAQEA"), std::string::npos);
}


// A rotated LBRegistrar key must not leave its old client behind: a stack lives while some
// load balancer's last call used it.
TEST_F(OciApisKeyErrorsTest, KeyedClientsAreReleasedWhenNoLoadBalancerUsesThem) {
  auto apis = OciApis::Create(Config(key_pem_, "", ""), Clock::Real());
  ASSERT_TRUE(apis) << apis.error().ToString();
  auto second = ccm::testing::GenerateRsaKey();
  ASSERT_TRUE(second);
  auto material = [&](const std::string& pem) {
    registrar::ApiKeyMaterial m;
    m.ref = {.user = "ocid1.user.oc1..k", .fingerprint = oci::RsaPrivateKey::FromPem(pem, "", "k")->Fingerprint(),
             .tenancy = "ocid1.tenancy.oc1..k", .region = "us-phoenix-1"};
    m.private_key_pem = pem;
    return m;
  };
  const auto key_a = material(key_pem_), key_b = material(second->key_pem);
  const std::string lb1 = "ocid1.loadbalancer.oc1.phx.one", lb2 = "ocid1.loadbalancer.oc1.phx.two";
  ASSERT_TRUE((*apis)->For(lb1, &key_a));
  ASSERT_TRUE((*apis)->For(lb2, &key_a));
  EXPECT_EQ((*apis)->KeyedStacks(), 1u) << "one key, one client";
  ASSERT_TRUE((*apis)->For(lb1, &key_b));
  EXPECT_EQ((*apis)->KeyedStacks(), 2u) << "lb2 still uses key A";
  ASSERT_TRUE((*apis)->For(lb2, &key_b));
  EXPECT_EQ((*apis)->KeyedStacks(), 1u) << "key A is used by no load balancer any more";
  ASSERT_TRUE((*apis)->For(lb1, nullptr));
  EXPECT_EQ((*apis)->KeyedStacks(), 1u) << "lb2 still uses key B";
  ASSERT_TRUE((*apis)->For(lb2, nullptr));
  EXPECT_EQ((*apis)->KeyedStacks(), 0u);
  for (int i = 0; i < 20; ++i) {
    auto rotated = ccm::testing::GenerateRsaKey();
    ASSERT_TRUE(rotated);
    auto m = material(rotated->key_pem);
    ASSERT_TRUE((*apis)->For(lb1, &m));
  }
  EXPECT_EQ((*apis)->KeyedStacks(), 1u) << "20 rotations of one load balancer's key";
}

}  // namespace
}  // namespace ccm::cloud
