#include "pkg/oci/auth/rsa_key.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "pkg/base/base64.h"
#include "test/pkg/oci/auth/oracle_test_vectors.h"

namespace ccm::oci {
namespace {

namespace v = ccm::testing::oracle_vectors;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassphrase[] = "correct horse battery staple";

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free_all(bio);
  return out;
}

// PEM encodings of one key in each format OCI users have on disk.
struct Encodings {
  std::string pkcs1, pkcs1_encrypted, pkcs8, pkcs8_encrypted;
};

Encodings Encode(EVP_PKEY* key) {
  Encodings e;
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey_traditional(b, key, nullptr, nullptr, 0, nullptr, nullptr);
  e.pkcs1 = BioText(b);
  b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey_traditional(b, key, EVP_aes_128_cbc(),
                                       reinterpret_cast<unsigned char*>(const_cast<char*>(kPassphrase)),
                                       static_cast<int>(sizeof(kPassphrase) - 1), nullptr, nullptr);
  e.pkcs1_encrypted = BioText(b);
  b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
  e.pkcs8 = BioText(b);
  b = BIO_new(BIO_s_mem());
  PEM_write_bio_PKCS8PrivateKey(b, key, EVP_aes_256_cbc(), nullptr, 0, nullptr, const_cast<char*>(kPassphrase));
  e.pkcs8_encrypted = BioText(b);
  return e;
}

class RsaKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = RsaPrivateKey::FromPem(v::kPrivateKeyPem, "", "test key");
    ASSERT_TRUE(key) << key.error().ToString();
    encodings_ = Encode(key->get());
    ASSERT_THAT(encodings_.pkcs1, HasSubstr("BEGIN RSA PRIVATE KEY"));
    ASSERT_THAT(encodings_.pkcs1_encrypted, HasSubstr("Proc-Type: 4,ENCRYPTED"));
    ASSERT_THAT(encodings_.pkcs8, HasSubstr("BEGIN PRIVATE KEY"));
    ASSERT_THAT(encodings_.pkcs8_encrypted, HasSubstr("BEGIN ENCRYPTED PRIVATE KEY"));
  }
  Encodings encodings_;
};

TEST_F(RsaKeyTest, FingerprintIsMd5OfSubjectPublicKeyInfo) {
  auto key = RsaPrivateKey::FromPem(v::kPrivateKeyPem, "", "test key");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->Fingerprint(), v::kRealFingerprint);
  EXPECT_EQ(key->PublicKeyPem(), v::kPublicKeyPem);
  EXPECT_EQ(key->bits(), 1024);
}

TEST_F(RsaKeyTest, LoadsEveryFormatToTheSameKey) {
  struct Case {
    const std::string* pem;
    const char* passphrase;
  } cases[] = {{&encodings_.pkcs1, ""},
               {&encodings_.pkcs1_encrypted, kPassphrase},
               {&encodings_.pkcs8, ""},
               {&encodings_.pkcs8_encrypted, kPassphrase},
               {&encodings_.pkcs8, "ignored for a plain key"}};
  for (const auto& c : cases) {
    auto key = RsaPrivateKey::FromPem(*c.pem, c.passphrase, "key");
    ASSERT_TRUE(key) << key.error().ToString() << "\n" << *c.pem;
    EXPECT_EQ(key->Fingerprint(), v::kRealFingerprint);
    auto sig = key->SignSha256("hello");
    ASSERT_TRUE(sig);
    EXPECT_EQ(sig->size(), 128u);
  }
}

TEST_F(RsaKeyTest, SignaturesAreDeterministicPkcs1v15) {
  auto a = RsaPrivateKey::FromPem(encodings_.pkcs8, "", "key");
  auto b = RsaPrivateKey::FromPem(encodings_.pkcs1_encrypted, kPassphrase, "key");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a->SignSha256("data"), *b->SignSha256("data"));
  EXPECT_NE(*a->SignSha256("data"), *a->SignSha256("other"));
}

void ExpectSafeError(const Result<RsaPrivateKey>& key, const std::string& pem, const std::string& needle) {
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_THAT(key.error().message, HasSubstr("my key file"));
  EXPECT_THAT(key.error().message, HasSubstr(needle));
  EXPECT_THAT(key.error().message, Not(HasSubstr(kPassphrase)));
  EXPECT_THAT(key.error().message, Not(HasSubstr("wrong-pass")));
  // No line of the key's base64 body may appear in the message.
  size_t start = pem.find('\n');
  while (start != std::string::npos && start + 1 < pem.size()) {
    size_t end = pem.find('\n', start + 1);
    std::string line = pem.substr(start + 1, end - start - 1);
    if (line.size() > 16 && line.find("-----") == std::string::npos && line.find(':') == std::string::npos) {
      EXPECT_THAT(key.error().message, Not(HasSubstr(line.substr(0, 16))));
    }
    start = end;
  }
}

TEST_F(RsaKeyTest, WrongPassphrase) {
  ExpectSafeError(RsaPrivateKey::FromPem(encodings_.pkcs8_encrypted, "wrong-pass", "my key file"),
                  encodings_.pkcs8_encrypted, "passphrase");
  ExpectSafeError(RsaPrivateKey::FromPem(encodings_.pkcs1_encrypted, "wrong-pass", "my key file"),
                  encodings_.pkcs1_encrypted, "passphrase");
}

TEST_F(RsaKeyTest, MissingPassphrase) {
  ExpectSafeError(RsaPrivateKey::FromPem(encodings_.pkcs8_encrypted, "", "my key file"), encodings_.pkcs8_encrypted,
                  "encrypted but no passphrase");
  ExpectSafeError(RsaPrivateKey::FromPem(encodings_.pkcs1_encrypted, "", "my key file"), encodings_.pkcs1_encrypted,
                  "encrypted but no passphrase");
}

TEST_F(RsaKeyTest, GarbagePem) {
  ExpectSafeError(RsaPrivateKey::FromPem("not a key at all", "", "my key file"), "", "not a PEM private key");
  std::string corrupt = encodings_.pkcs8;
  corrupt.replace(40, 20, "!!!!!!!!!!!!!!!!!!!!");
  ExpectSafeError(RsaPrivateKey::FromPem(corrupt, "", "my key file"), corrupt, "does not decode");
  ExpectSafeError(RsaPrivateKey::FromPem(v::kPublicKeyPem, "", "my key file"), v::kPublicKeyPem,
                  "'PUBLIC KEY' block but no private key");
}

// Found by test/fuzz/pem_keys: a BEGIN line without its closing dashes made the "label" run
// into the key's base64 lines, and the error quoted them.
TEST_F(RsaKeyTest, DamagedArmorLineNeverQuotesKeyText) {
  std::string no_dashes = encodings_.pkcs1;
  no_dashes.replace(0, std::string("-----BEGIN RSA PRIVATE KEY-----").size(), "-----BEGIN RSA PRIVATE KEY");
  ExpectSafeError(RsaPrivateKey::FromPem(no_dashes, "", "my key file"), no_dashes,
                  "the 'RSA PRIVATE KEY' block does not decode");
  std::string public_run_on = v::kPublicKeyPem;
  size_t armor_end = public_run_on.find("KEY-----\n") + 3;
  public_run_on.replace(armor_end, 6, "---");  // "PUBLIC KEY---MIIB..." on one line
  auto key = RsaPrivateKey::FromPem(public_run_on, "", "my key file");
  ExpectSafeError(key, public_run_on, "'PUBLIC KEY' block but no private key");
  EXPECT_EQ(key.error().message.find('\n'), std::string::npos);
}

// Found by test/fuzz/pem_keys: an encrypted key whose bytes were damaged decrypted to an RSA
// key whose n is not p*q; it loaded, and only signing failed.
TEST_F(RsaKeyTest, DamagedKeyIsRefusedWhenLoaded) {
  const char* root = std::getenv("CCM_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "run under ctest (CCM_SOURCE_DIR)";
  std::ifstream f(std::string(root) + "/test/fuzz/corpus/pem_keys/regression-damaged-key-decodes-but-cannot-sign");
  std::string pem((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_THAT(pem, HasSubstr("Proc-Type: 4,ENCRYPTED"));
  ExpectSafeError(RsaPrivateKey::FromPem(pem, "fuzz-seed-passphrase", "my key file"), pem, "is a damaged RSA key");
}

TEST_F(RsaKeyTest, NonRsaKey) {
  EVP_PKEY* ec = EVP_EC_gen("P-256");
  ASSERT_NE(ec, nullptr);
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, ec, nullptr, nullptr, 0, nullptr, nullptr);
  std::string pem = BioText(b);
  EVP_PKEY_free(ec);
  ExpectSafeError(RsaPrivateKey::FromPem(pem, "", "my key file"), pem, "is a EC key; OCI API signing keys must be RSA");
  ExpectSafeError(RsaPrivateKey::FromPem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", "",
                                         "my key file"),
                  "", "must be RSA");
}

TEST_F(RsaKeyTest, GeneratesFreshKeys) {
  auto a = RsaPrivateKey::Generate(1024);
  auto b = RsaPrivateKey::Generate(1024);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->bits(), 1024);
  EXPECT_NE(a->Fingerprint(), b->Fingerprint());
  auto der = Base64Encode(a->PublicKeyDer());
  EXPECT_THAT(a->PublicKeyPem(), HasSubstr(der.substr(0, 64)));
}

TEST(ColonHexTest, LowerCasePairs) {
  EXPECT_EQ(ColonHex(std::string("\x00\xab\x1f", 3)), "00:ab:1f");
  EXPECT_EQ(ColonHex(""), "");
}

}  // namespace
}  // namespace ccm::oci
