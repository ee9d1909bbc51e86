#include "pkg/oci/auth/api_key_signer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "pkg/oci/auth/signing.h"
#include "test/mocks/simulated_clock.h"
#include "test/pkg/oci/auth/oracle_test_vectors.h"

namespace ccm::oci {
namespace {

namespace v = ccm::testing::oracle_vectors;
using ::testing::HasSubstr;

class ApiKeySignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.SetWall(std::chrono::system_clock::time_point(std::chrono::seconds(v::kDateUnixSeconds)));
  }
  ApiKeyConfig Config() const {
    ApiKeyConfig config;
    config.tenancy = v::kTenancy;
    config.user = v::kUser;
    config.fingerprint = v::kRealFingerprint;
    config.private_key_pem = v::kPrivateKeyPem;
    return config;
  }
  ccm::testing::SimulatedClock clock_;
};

// Oracle's vectors carry the date "Thu, 05 Jan 2014" (a wrong weekday: it was a Sunday), which
// no clock produces, so the signer is checked against the pure signing path that reproduces
// the vectors byte for byte (signing_test.cc) at the clock's date.
TEST_F(ApiKeySignerTest, ExplicitKeyIdSignsLikeThePureSigner) {
  auto key = RsaPrivateKey::FromPem(v::kPrivateKeyPem, "", "test key");
  ASSERT_TRUE(key);
  const std::string key_id = std::string(v::kTenancy) + "/" + v::kUser + "/" + v::kKeyIdFingerprint;
  ApiKeySigner signer(key_id, *key, clock_);

  for (const char* method : {"GET", "POST"}) {
    HttpRequest request;
    request.method = method;
    request.url = method == std::string("GET") ? v::kGetUrl : v::kPostUrl;
    if (method == std::string("POST")) request.body = v::kPostBody;
    HttpRequest expected = request;
    ASSERT_TRUE(signer.Sign(request));
    ASSERT_TRUE(SignRequest(expected, "Sun, 05 Jan 2014 21:31:40 GMT", *key, key_id));
    EXPECT_EQ(request.headers, expected.headers) << method;
    EXPECT_THAT(*FindHeader(request.headers, "authorization"), HasSubstr("keyId=\"" + key_id + "\""));
  }
}

TEST_F(ApiKeySignerTest, DateFollowsTheInjectedClock) {
  auto signer = ApiKeySigner::Create(Config(), clock_);
  ASSERT_TRUE(signer) << signer.error().ToString();
  HttpRequest request;
  request.url = v::kGetUrl;
  ASSERT_TRUE((*signer)->Sign(request));
  EXPECT_EQ(*FindHeader(request.headers, "date"), "Sun, 05 Jan 2014 21:31:40 GMT");
  const std::string first = *FindHeader(request.headers, "authorization");

  clock_.SetWall(std::chrono::system_clock::time_point(std::chrono::seconds(v::kDateUnixSeconds + 86400 + 3661)));
  ASSERT_TRUE((*signer)->Sign(request));
  EXPECT_EQ(*FindHeader(request.headers, "date"), "Mon, 06 Jan 2014 22:32:41 GMT");
  EXPECT_NE(*FindHeader(request.headers, "authorization"), first);
}

TEST_F(ApiKeySignerTest, CreateBuildsKeyIdFromConfig) {
  auto config = Config();
  config.fingerprint = " 73:61:A2:21:67:E0:DF:BE:7E:4B:93:1E:15:98:A5:B7 ";  // console copy-paste
  auto signer = ApiKeySigner::Create(config, clock_);
  ASSERT_TRUE(signer) << signer.error().ToString();
  EXPECT_EQ((*signer)->key_id(), std::string(v::kTenancy) + "/" + v::kUser + "/" + v::kRealFingerprint);
  HttpRequest request;
  request.url = v::kGetUrl;
  ASSERT_TRUE((*signer)->Sign(request));
  EXPECT_THAT(*FindHeader(request.headers, "authorization"),
              HasSubstr(std::string("keyId=\"") + (*signer)->key_id() + "\""));
}

TEST_F(ApiKeySignerTest, FingerprintMismatchNamesBothAndSaysWhatToDo) {
  auto config = Config();
  config.fingerprint = v::kKeyIdFingerprint;
  auto signer = ApiKeySigner::Create(config, clock_);
  ASSERT_FALSE(signer);
  EXPECT_EQ(signer.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_THAT(signer.error().message, HasSubstr(v::kKeyIdFingerprint));
  EXPECT_THAT(signer.error().message, HasSubstr(v::kRealFingerprint));
  EXPECT_THAT(signer.error().message, HasSubstr("set fingerprint to"));
  EXPECT_THAT(signer.error().message, ::testing::Not(HasSubstr("MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj")));
}

TEST_F(ApiKeySignerTest, MissingFieldsAreNamed) {
  for (auto [field, clear] : std::vector<std::pair<std::string, std::string ApiKeyConfig::*>>{
           {"tenancy", &ApiKeyConfig::tenancy},
           {"user", &ApiKeyConfig::user},
           {"fingerprint", &ApiKeyConfig::fingerprint},
           {"private key", &ApiKeyConfig::private_key_pem}}) {
    auto config = Config();
    config.*clear = "";
    auto signer = ApiKeySigner::Create(config, clock_);
    ASSERT_FALSE(signer) << field;
    EXPECT_THAT(signer.error().message, HasSubstr(field));
  }
}

TEST_F(ApiKeySignerTest, ReadsKeyFromFile) {
  const std::string path = ::testing::TempDir() + "/api_key_signer_test_key.pem";
  {
    std::ofstream out(path);
    out << v::kPrivateKeyPem;
  }
  auto config = Config();
  config.private_key_pem.clear();
  config.private_key_path = path;
  auto signer = ApiKeySigner::Create(config, clock_);
  std::remove(path.c_str());
  ASSERT_TRUE(signer) << signer.error().ToString();

  config.private_key_path = path + ".missing";
  auto missing = ApiKeySigner::Create(config, clock_);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr(path + ".missing"));
}

TEST_F(ApiKeySignerTest, BadKeyErrorNamesTheFile) {
  const std::string path = ::testing::TempDir() + "/api_key_signer_test_bad.pem";
  {
    std::ofstream out(path);
    out << "garbage";
  }
  auto config = Config();
  config.private_key_pem.clear();
  config.private_key_path = path;
  auto signer = ApiKeySigner::Create(config, clock_);
  std::remove(path.c_str());
  ASSERT_FALSE(signer);
  EXPECT_THAT(signer.error().message, HasSubstr(path));
  EXPECT_THAT(signer.error().message, HasSubstr("not a PEM private key"));
}

TEST_F(ApiKeySignerTest, InvalidUrlIsAnError) {
  auto signer = ApiKeySigner::Create(Config(), clock_);
  ASSERT_TRUE(signer);
  HttpRequest request;
  request.url = "/20160918/instances";
  auto status = (*signer)->Sign(request);
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("absolute"));
  EXPECT_EQ(FindHeader(request.headers, "authorization"), nullptr);
}

}  // namespace
}  // namespace ccm::oci
