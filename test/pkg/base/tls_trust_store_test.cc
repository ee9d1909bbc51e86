#include "pkg/base/tls_trust_store.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "test/support/test_pki.h"

namespace ccm {
namespace {

int CertificatesIn(const TlsTrustStore& trust) {
  return sk_X509_OBJECT_num(X509_STORE_get0_objects(trust.get()));
}

// Verifies a leaf against the store, as a TLS handshake would.
bool Verifies(const TlsTrustStore& trust, const std::string& leaf_pem) {
  BIO* bio = BIO_new_mem_buf(leaf_pem.data(), static_cast<int>(leaf_pem.size()));
  X509* leaf = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (leaf == nullptr) return false;
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, trust.get(), leaf, nullptr);
  bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_free(leaf);
  return ok;
}

TEST(TlsTrustStoreTest, TrustsExactlyTheGivenCasWithoutSystemRoots) {
  auto a = testing::GenerateCa("ca-a");
  auto b = testing::GenerateCa("ca-b");
  ASSERT_TRUE(a && b);
  auto leaf = testing::IssueCertificate(*a, {.common_name = "localhost"});
  ASSERT_TRUE(leaf);

  auto only_b = TlsTrustStore::Build({.ca_pem = b->cert_pem, .system_roots = false});
  ASSERT_TRUE(only_b) << only_b.error().ToString();
  EXPECT_EQ((*only_b)->system_roots_origin(), "none");
  EXPECT_FALSE(Verifies(**only_b, leaf->cert_pem));

  auto both = TlsTrustStore::Build({.ca_pem = b->cert_pem + a->cert_pem, .system_roots = false});
  ASSERT_TRUE(both);
  EXPECT_EQ((*both)->pem_certificates(), 2);
  EXPECT_TRUE(Verifies(**both, leaf->cert_pem));
}

TEST(TlsTrustStoreTest, DataWithoutACertificateIsAnError) {
  for (const char* bad : {"not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}) {
    auto trust = TlsTrustStore::Build({.ca_pem = bad, .system_roots = true});
    ASSERT_FALSE(trust) << bad;
    EXPECT_EQ(trust.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(trust.error().message.find("no PEM certificate"), std::string::npos) << trust.error().message;
  }
}

// The point of the shared store: system roots come from the hashed directory on demand, not
// as a parsed copy of the whole bundle (~0.85 MB) per connection.
TEST(TlsTrustStoreTest, SystemRootsAreLoadedLazilyWhenTheDirectoryIsHashed) {
  auto ca = testing::GenerateCa("extra");
  ASSERT_TRUE(ca);
  auto trust = TlsTrustStore::Build({.ca_pem = ca->cert_pem, .system_roots = true});
  ASSERT_TRUE(trust) << trust.error().ToString();
  const std::string& origin = (*trust)->system_roots_origin();
  if (origin == "none") GTEST_SKIP() << "this machine has no system CA directory or bundle";
  if (!origin.starts_with("directory ")) GTEST_SKIP() << "system roots come from " << origin;
  EXPECT_EQ(CertificatesIn(**trust), 1) << "only the extra CA is parsed up front";
}

}  // namespace
}  // namespace ccm
