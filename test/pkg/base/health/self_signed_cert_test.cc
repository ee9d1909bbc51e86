#include "pkg/base/health/self_signed_cert.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <set>

#include "pkg/base/health/openssl_ptr.h"
#include "pkg/base/health/serving_credentials.h"
#include "test/support/test_pki.h"

namespace ccm::health {
namespace {

using internal::BioPtr;
using internal::PkeyPtr;
using internal::X509Ptr;

X509Ptr ParseCert(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::set<std::string> SubjectAltNames(X509* cert) {
  std::set<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS) {
      out.insert("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                                       ASN1_STRING_length(n->d.dNSName)));
    } else if (n->type == GEN_IPADD && ASN1_STRING_length(n->d.iPAddress) == 4) {
      const unsigned char* b = ASN1_STRING_get0_data(n->d.iPAddress);
      out.insert("IP:" + std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(b[2]) + "." +
                 std::to_string(b[3]));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::string CommonName(X509* cert) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof(buf));
  return buf;
}

TEST(SelfSignedCertTest, NamesTheHostLocalhostAndLoopback) {
  auto pair = GenerateSelfSignedCertificate();
  ASSERT_TRUE(pair) << pair.error().ToString();
  X509Ptr cert = ParseCert(pair->cert_pem);
  ASSERT_TRUE(cert);
  std::string host = Hostname();
  EXPECT_EQ(CommonName(cert.get()), host.substr(0, 64));
  std::set<std::string> sans = SubjectAltNames(cert.get());
  EXPECT_TRUE(sans.contains("DNS:" + host)) << host;
  EXPECT_TRUE(sans.contains("DNS:localhost"));
  EXPECT_TRUE(sans.contains("IP:127.0.0.1"));
  // Self-issued, currently valid, a P-256 key that matches.
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(cert.get())), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(cert.get())), 0);
  PkeyPtr pub(X509_get_pubkey(cert.get()));
  EXPECT_EQ(EVP_PKEY_get_base_id(pub.get()), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(pub.get()), 256);
  EXPECT_EQ(X509_verify(cert.get(), pub.get()), 1);
  EXPECT_TRUE(ServingCredentials::FromPem(pair->cert_pem, pair->key_pem, "generated"));
}

TEST(SelfSignedCertTest, ExtraNamesAndFreshKeysEachTime) {
  auto a = GenerateSelfSignedCertificate({.common_name = "ccm", .dns_names = {"ccm.kube-system.svc"},
                                          .ip_addresses = {"10.0.0.5"}});
  auto b = GenerateSelfSignedCertificate();
  ASSERT_TRUE(a && b);
  X509Ptr cert = ParseCert(a->cert_pem);
  EXPECT_EQ(CommonName(cert.get()), "ccm");
  std::set<std::string> sans = SubjectAltNames(cert.get());
  EXPECT_TRUE(sans.contains("DNS:ccm.kube-system.svc"));
  EXPECT_TRUE(sans.contains("IP:10.0.0.5"));
  EXPECT_TRUE(sans.contains("IP:127.0.0.1"));
  EXPECT_NE(a->key_pem, b->key_pem);
  EXPECT_NE(a->cert_pem, b->cert_pem);
}

TEST(ServingCredentialsTest, RejectsMismatchedGarbageAndEncryptedKeys) {
  auto a = GenerateSelfSignedCertificate();
  auto b = GenerateSelfSignedCertificate();
  ASSERT_TRUE(a && b);
  auto mismatched = ServingCredentials::FromPem(a->cert_pem, b->key_pem, "pair");
  ASSERT_FALSE(mismatched);
  EXPECT_NE(mismatched.error().message.find("does not belong"), std::string::npos) << mismatched.error().message;
  EXPECT_EQ(mismatched.error().message.find("PRIVATE KEY"), std::string::npos);  // no key material

  auto garbage = ServingCredentials::FromPem("not a cert", a->key_pem, "pair");
  ASSERT_FALSE(garbage);
  EXPECT_NE(garbage.error().message.find("no PEM certificate"), std::string::npos);

  // An encrypted key fails at once instead of prompting on the terminal.
  PkeyPtr key;
  {
    BioPtr in(BIO_new_mem_buf(a->key_pem.data(), static_cast<int>(a->key_pem.size())));
    key.reset(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  }
  BioPtr out(BIO_new(BIO_s_mem()));
  static char pass[] = "secret";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(), pass, 6, nullptr, nullptr), 1);
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(out.get(), &mem);
  auto encrypted = ServingCredentials::FromPem(a->cert_pem, std::string(mem->data, mem->length), "pair");
  ASSERT_FALSE(encrypted);
  EXPECT_NE(encrypted.error().message.find("not an unencrypted PEM key"), std::string::npos);
}

TEST(ServingCredentialsTest, AcceptsACaIssuedChainAndExposesTheLeaf) {
  auto ca = testing::GenerateCa("test-ca");
  ASSERT_TRUE(ca);
  auto leaf = testing::IssueCertificate(*ca, {.common_name = "ccm", .dns_names = {"localhost"},
                                             .ip_addresses = {"127.0.0.1"}});
  ASSERT_TRUE(leaf);
  auto creds = ServingCredentials::FromPem(leaf->cert_pem + ca->cert_pem, leaf->key_pem, "chain");
  ASSERT_TRUE(creds) << creds.error().ToString();
  EXPECT_EQ(creds->leaf_pem(), leaf->cert_pem);
  auto missing = ServingCredentials::FromFiles("/nonexistent/tls.crt", "/nonexistent/tls.key");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("--tls-cert-file /nonexistent/tls.crt"), std::string::npos);
}

}  // namespace
}  // namespace ccm::health
