#include "pkg/oci/auth/signing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "test/pkg/oci/auth/oracle_test_vectors.h"

namespace ccm::oci {
namespace {

namespace v = ccm::testing::oracle_vectors;
using ::testing::HasSubstr;

std::string KeyId() { return std::string(v::kTenancy) + "/" + v::kUser + "/" + v::kKeyIdFingerprint; }

RsaPrivateKey TestKey() {
  auto key = RsaPrivateKey::FromPem(v::kPrivateKeyPem, "", "test key");
  EXPECT_TRUE(key.has_value()) << key.error().ToString();
  return *key;
}

TEST(SigningTest, OracleGetVectorByteForByte) {
  HttpRequest request;
  request.method = "GET";
  request.url = v::kGetUrl;
  ASSERT_TRUE(SignRequest(request, v::kDate, TestKey(), KeyId()));
  ASSERT_NE(FindHeader(request.headers, "authorization"), nullptr);
  EXPECT_EQ(*FindHeader(request.headers, "authorization"), v::kGetAuthorization);
  EXPECT_EQ(*FindHeader(request.headers, "date"), v::kDate);
  EXPECT_EQ(*FindHeader(request.headers, "host"), "iaas.us-phoenix-1.oraclecloud.com");
  EXPECT_EQ(FindHeader(request.headers, "x-content-sha256"), nullptr);
  EXPECT_EQ(FindHeader(request.headers, "content-length"), nullptr);
}

TEST(SigningTest, OraclePostVectorByteForByte) {
  HttpRequest request;
  request.method = "POST";
  request.url = v::kPostUrl;
  request.body = v::kPostBody;
  ASSERT_EQ(request.body.size(), 316u);
  ASSERT_TRUE(SignRequest(request, v::kDate, TestKey(), KeyId()));
  EXPECT_EQ(*FindHeader(request.headers, "authorization"), v::kPostAuthorization);
  EXPECT_EQ(*FindHeader(request.headers, "content-length"), "316");
  EXPECT_EQ(*FindHeader(request.headers, "content-type"), "application/json");
  EXPECT_EQ(*FindHeader(request.headers, "x-content-sha256"), "V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=");
}

TEST(SigningTest, SigningStringsMatchOracle) {
  auto get_url = ParseRequestUrl(v::kGetUrl);
  ASSERT_TRUE(get_url);
  HttpHeaders get_headers = {{"Date", v::kDate}, {"Host", get_url->host}};
  auto get = BuildSigningString("GET", get_url->request_target, get_headers, DefaultSignedHeaders("GET"));
  ASSERT_TRUE(get);
  EXPECT_EQ(*get, v::kGetSigningString);

  auto post_url = ParseRequestUrl(v::kPostUrl);
  ASSERT_TRUE(post_url);
  HttpHeaders post_headers = {{"date", v::kDate},
                              {"host", post_url->host},
                              {"content-length", "316"},
                              {"content-type", "application/json"},
                              {"x-content-sha256", ContentSha256(v::kPostBody)}};
  auto post = BuildSigningString("POST", post_url->request_target, post_headers, DefaultSignedHeaders("post"));
  ASSERT_TRUE(post);
  EXPECT_EQ(*post, v::kPostSigningString);
}

TEST(SigningTest, HeaderSetsPerMethod) {
  const std::vector<std::string> plain = {"date", "(request-target)", "host"};
  const std::vector<std::string> body = {"date", "(request-target)", "host", "content-length", "content-type", "x-content-sha256"};
  EXPECT_EQ(DefaultSignedHeaders("GET"), plain);
  EXPECT_EQ(DefaultSignedHeaders("HEAD"), plain);
  EXPECT_EQ(DefaultSignedHeaders("DELETE"), plain);
  EXPECT_EQ(DefaultSignedHeaders("PUT"), body);
  EXPECT_EQ(DefaultSignedHeaders("POST"), body);
  EXPECT_EQ(DefaultSignedHeaders("patch"), body);
}

TEST(SigningTest, EmptyBodyStillCarriesContentHash) {
  HttpRequest request;
  request.method = "PUT";
  request.url = "https://iaas.us-ashburn-1.oraclecloud.com/20160918/x";
  ASSERT_TRUE(SignRequest(request, v::kDate, TestKey(), KeyId()));
  EXPECT_EQ(*FindHeader(request.headers, "x-content-sha256"), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(*FindHeader(request.headers, "content-length"), "0");
  EXPECT_THAT(*FindHeader(request.headers, "authorization"),
              HasSubstr("headers=\"date (request-target) host content-length content-type x-content-sha256\""));
}

TEST(SigningTest, ResigningReplacesHeadersInsteadOfDuplicating) {
  HttpRequest request;
  request.method = "POST";
  request.url = v::kPostUrl;
  request.body = v::kPostBody;
  request.headers = {{"Authorization", "stale"}, {"Date", "Mon, 01 Jan 2001 00:00:00 GMT"}, {"Content-Length", "3"}};
  ASSERT_TRUE(SignRequest(request, v::kDate, TestKey(), KeyId()));
  ASSERT_TRUE(SignRequest(request, v::kDate, TestKey(), KeyId()));
  int authorizations = 0, dates = 0;
  for (const auto& [k, val] : request.headers) {
    authorizations += k == "authorization" || k == "Authorization";
    dates += k == "date" || k == "Date";
  }
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(dates, 1);
  EXPECT_EQ(*FindHeader(request.headers, "authorization"), v::kPostAuthorization);
}

TEST(SigningTest, KeepsCallerContentType) {
  HttpRequest request;
  request.method = "PATCH";
  request.url = "https://x.example.com/a";
  request.body = "abc";
  request.headers = {{"Content-Type", "application/merge-patch+json"}};
  ASSERT_TRUE(SignRequest(request, v::kDate, TestKey(), KeyId()));
  EXPECT_EQ(*FindHeader(request.headers, "content-type"), "application/merge-patch+json");
  EXPECT_EQ(*FindHeader(request.headers, "x-content-sha256"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST(SigningTest, FormatsImfFixdate) {
  using namespace std::chrono;
  // Oracle's vector says "Thu", but 5 January 2014 was a Sunday; servers ignore the weekday.
  EXPECT_EQ(FormatHttpDate(system_clock::time_point(seconds(v::kDateUnixSeconds))), "Sun, 05 Jan 2014 21:31:40 GMT");
  EXPECT_EQ(FormatHttpDate(system_clock::time_point(seconds(v::kDateUnixSeconds) + milliseconds(999))),
            "Sun, 05 Jan 2014 21:31:40 GMT");
  EXPECT_EQ(FormatHttpDate(system_clock::time_point(seconds(951782400))), "Tue, 29 Feb 2000 00:00:00 GMT");
}

TEST(SigningTest, ParsesUrls) {
  struct Case {
    const char* url;
    const char* host;
    const char* target;
  } cases[] = {
      {"https://Host.Example.COM/a/b?c=d", "host.example.com", "/a/b?c=d"},
      {"https://h.example.com:443/x", "h.example.com", "/x"},
      {"http://h.example.com:80/x", "h.example.com", "/x"},
      {"https://h.example.com:8443/x", "h.example.com:8443", "/x"},
      {"http://127.0.0.1:34567/20170115/loadBalancers", "127.0.0.1:34567", "/20170115/loadBalancers"},
      {"https://[::1]:8443/p", "[::1]:8443", "/p"},
      {"https://h.example.com", "h.example.com", "/"},
      {"https://h.example.com?q=1", "h.example.com", "/?q=1"},
      {"https://h.example.com/p%3Aq%20r?a=%2F#frag", "h.example.com", "/p%3Aq%20r?a=%2F"},
  };
  for (const auto& c : cases) {
    auto parts = ParseRequestUrl(c.url);
    ASSERT_TRUE(parts) << c.url << ": " << parts.error().ToString();
    EXPECT_EQ(parts->host, c.host) << c.url;
    EXPECT_EQ(parts->request_target, c.target) << c.url;
  }
}

TEST(SigningTest, RejectsUrlsThatWouldBeRewrittenOnTheWire) {
  for (const char* url : {"/relative/path", "ftp://h/x", "https://h/a b", "https://h/caf\xc3\xa9", "https://h/a/../b",
                          "https://h/./b", "https://user@h/x", "https://h:port/x", "https:///x"}) {
    auto parts = ParseRequestUrl(url);
    EXPECT_FALSE(parts) << url;
    if (!parts) {
      EXPECT_EQ(parts.error().kind, ErrorKind::kInvalidArgument);
    }
  }
}

TEST(SigningTest, MissingHeaderIsNamed) {
  auto s = BuildSigningString("GET", "/", {{"date", "x"}}, {"date", "(request-target)", "host"});
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message, HasSubstr("'host'"));
}

TEST(SigningTest, FederationHeadersOmitHost) {
  HttpRequest request;
  request.method = "POST";
  request.url = "https://auth.us-phoenix-1.oraclecloud.com/v1/x509";
  request.body = "{}";
  ASSERT_TRUE(SignRequest(request, v::kDate, TestKey(), "t/fed-x509-sha256/aa", FederationSignedHeaders()));
  EXPECT_THAT(*FindHeader(request.headers, "authorization"),
              HasSubstr("headers=\"date (request-target) content-length content-type x-content-sha256\""));
}

}  // namespace
}  // namespace ccm::oci
