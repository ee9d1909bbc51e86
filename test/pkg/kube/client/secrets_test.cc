#include "pkg/kube/client/secrets.h"

#include <gtest/gtest.h>

#include "pkg/base/base64.h"
#include "pkg/kube/client/http_rest_client.h"
#include "test/pkg/kube/client/fake_http_transport.h"

namespace ccm::kube {
namespace {

TEST(SecretsTest, ReturnsDecodedKeyAndNamesMissingKey) {
  testing::FakeHttpTransport t;
  std::string body = R"({"kind":"Secret","data":{"privateKey":")" + Base64Encode("-----BEGIN KEY-----") + R"("}})";
  t.Push({.body = body});
  t.Push({.body = body});
  t.Push({.status = 404, .body = R"({"kind":"Status","reason":"NotFound","code":404,"message":"not found"})"});
  HttpRestClient client(RestConfig{.host = "https://h"}, t, Clock::Real());
  auto v = GetSecretKey(client, "ns", "oci", "privateKey");
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_EQ(*v, "-----BEGIN KEY-----");
  EXPECT_EQ(t.requests()[0].url, "https://h/api/v1/namespaces/ns/secrets/oci");
  auto missing = GetSecretKey(client, "ns", "oci", "other");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(missing.error().message.find("'other'"), std::string::npos);
  auto gone = GetSecretKey(client, "ns", "nope", "k");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(gone.error().message.find("ns/nope"), std::string::npos);
}

}  // namespace
}  // namespace ccm::kube
