#include "pkg/oci/auth/x509_federation_client.h"

#include <gtest/gtest.h>

#include "pkg/base/json.h"

namespace ccm::oci {
namespace {

TEST(X509FederationClientTest, TheDefaultEndpointIsTheRegionsAuthServiceInItsRealm) {
  EXPECT_EQ(DefaultFederationEndpoint("us-phoenix-1"), "https://auth.us-phoenix-1.oraclecloud.com");
  EXPECT_EQ(DefaultFederationEndpoint("uk-gov-london-1"), "https://auth.uk-gov-london-1.oraclegovcloud.uk");
  EXPECT_EQ(DefaultFederationEndpoint("eu-frankfurt-2"), "https://auth.eu-frankfurt-2.oraclecloud.eu");
  EXPECT_EQ(DefaultFederationEndpoint("PHX"), "https://auth.us-phoenix-1.oraclecloud.com") << "short codes too";
}

TEST(X509FederationClientTest, RequestBodyCarriesEveryCertificate) {
  const std::string body = FederationRequestBody("LEAF", "PUB", {"INT1", "INT2"});
  EXPECT_EQ(body,
            R"({"certificate":"LEAF","publicKey":"PUB","intermediateCertificates":["INT1","INT2"],)"
            R"("fingerprintAlgorithm":"SHA256"})");
  auto doc = json::Parse(FederationRequestBody("a\"b", "c\nd", {}), "body");
  ASSERT_TRUE(doc);
  EXPECT_EQ(std::string((*doc)["certificate"].GetString()), "a\"b");
  EXPECT_EQ(std::string((*doc)["publicKey"].GetString()), "c\nd");
  EXPECT_EQ((*doc)["intermediateCertificates"].Size(), 0u);
}

}  // namespace
}  // namespace ccm::oci
