#include "pkg/oci/auth/instance_principal_signer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "pkg/base/base64.h"
#include "pkg/base/json.h"
#include "pkg/oci/auth/signing.h"
#include "pkg/oci/auth/x509_certificate.h"
#include "test/mocks/mock_http_transport.h"
#include "test/mocks/simulated_clock.h"
#include "test/support/test_pki.h"

namespace ccm::oci {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr char kTenancy[] = "ocid1.tenancy.oc1..aaaaaaaatesttenancy";
constexpr char kImds[] = "http://169.254.169.254/opc/v2";

std::string Base64Url(std::string_view data) {
  std::string s = Base64Encode(data);
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::string MakeJwt(Clock::WallTime iat, Clock::WallTime exp, int serial) {
  auto secs = [](Clock::WallTime t) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  };
  return Base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." +
         Base64Url("{\"sub\":\"ocid1.instance.oc1..x\",\"iat\":" + secs(iat) + ",\"exp\":" + secs(exp) +
                   ",\"jti\":\"token-" + std::to_string(serial) + "\"}") +
         ".c2lnbmF0dXJl";
}

// Parses `Signature k="v",...` into its parameters.
std::map<std::string, std::string> AuthParams(const std::string& header) {
  std::map<std::string, std::string> params;
  std::string_view rest = std::string_view(header).substr(std::string_view("Signature ").size());
  while (!rest.empty()) {
    size_t eq = rest.find("=\"");
    size_t end = rest.find('"', eq + 2);
    params[std::string(rest.substr(0, eq))] = std::string(rest.substr(eq + 2, end - eq - 2));
    rest = rest.substr(std::min(rest.size(), end + 2));
  }
  return params;
}

// Verifies the request's authorization signature with `public_der` (SubjectPublicKeyInfo).
bool VerifySignature(const HttpRequest& request, const std::string& public_der) {
  auto params = AuthParams(*FindHeader(request.headers, "authorization"));
  std::vector<std::string> names;
  std::string list = params["headers"];
  for (size_t pos = 0; pos <= list.size();) {
    size_t sp = list.find(' ', pos);
    if (sp == std::string::npos) sp = list.size();
    names.push_back(list.substr(pos, sp - pos));
    pos = sp + 1;
  }
  auto url = ParseRequestUrl(request.url);
  auto signing_string = BuildSigningString(request.method, url->request_target, request.headers, names);
  auto signature = Base64Decode(params["signature"]);
  if (!signing_string || !signature) return false;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(public_der.data());
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(public_der.size()));
  if (key == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                             reinterpret_cast<const unsigned char*>(signing_string->data()),
                             signing_string->size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

std::string CertPublicKeyDer(const std::string& cert_pem) {
  BIO* bio = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free_all(bio);
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(X509_get0_pubkey(cert), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  X509_free(cert);
  return out;
}

// A fake IMDS + auth service behind the mocked transport.
class InstancePrincipalTest : public ::testing::Test {
 protected:
  // RSA 2048 generation dominates the run time: one CA and leaf serve every test.
  static void SetUpTestSuite() {
    auto ca = ccm::testing::GenerateCa("PKISVC Identity Intermediate r2");
    ASSERT_TRUE(ca);
    shared_ca_ = new ccm::testing::KeyPair(*ca);
    ccm::testing::CertSpec spec;
    spec.common_name = "ocid1.instance.oc1.phx.testinstance";
    spec.organizations = {"opc-certtype:instance", std::string("opc-tenant:") + kTenancy};
    spec.server = false;
    spec.client = true;
    auto leaf = ccm::testing::IssueCertificate(*ca, spec);
    ASSERT_TRUE(leaf);
    shared_leaf_ = new ccm::testing::KeyPair(*leaf);
  }
  static void TearDownTestSuite() {
    delete shared_ca_;
    delete shared_leaf_;
  }
  static inline ccm::testing::KeyPair* shared_ca_ = nullptr;
  static inline ccm::testing::KeyPair* shared_leaf_ = nullptr;

  void SetUp() override {
    ASSERT_TRUE(shared_ca_ && shared_leaf_);
    ca_ = *shared_ca_;
    leaf_ = *shared_leaf_;
    ON_CALL(transport_, Send(_)).WillByDefault([this](const HttpRequest& r) { return Handle(r); });
    EXPECT_CALL(transport_, Stream(_, _)).Times(0);
  }

  ccm::testing::KeyPair IssueLeaf(std::vector<std::string> orgs) {
    ccm::testing::CertSpec spec;
    spec.common_name = "ocid1.instance.oc1.phx.testinstance";
    spec.organizations = std::move(orgs);
    spec.server = false;
    spec.client = true;
    auto leaf = ccm::testing::IssueCertificate(ca_, spec);
    EXPECT_TRUE(leaf);
    return *leaf;
  }

  Result<HttpResponse> Handle(const HttpRequest& r) {
    std::lock_guard lock(mu_);
    requests_.push_back(r.url);
    if (r.url.starts_with(kImds)) {
      if (imds_down_) return Fail(ErrorKind::kUnavailable, "connection refused");
      EXPECT_EQ(r.method, "GET");
      const std::string* auth = FindHeader(r.headers, "authorization");
      EXPECT_TRUE(auth != nullptr && *auth == "Bearer Oracle") << r.url;
      std::string path = r.url.substr(std::string(kImds).size());
      if (path == "/instance/region") return HttpResponse{200, {}, "phx\n"};
      if (path == "/identity/cert.pem") return HttpResponse{200, {}, leaf_.cert_pem};
      if (path == "/identity/key.pem") return HttpResponse{200, {}, leaf_.key_pem};
      if (path == "/identity/intermediate.pem") return HttpResponse{200, {}, ca_.cert_pem};
      return HttpResponse{404, {}, ""};
    }
    if (r.url == "https://auth.us-phoenix-1.oraclecloud.com/v1/x509") return Federate(r);
    ADD_FAILURE() << "unexpected request to " << r.url;
    return HttpResponse{500, {}, ""};
  }

  Result<HttpResponse> Federate(const HttpRequest& r) {
    ++federations_;
    EXPECT_EQ(r.method, "POST");
    auto params = AuthParams(*FindHeader(r.headers, "authorization"));
    auto fingerprint = CertificateSha256Fingerprint(leaf_.cert_pem);
    EXPECT_EQ(params["keyId"], std::string(kTenancy) + "/fed-x509-sha256/" + *fingerprint);
    EXPECT_EQ(params["headers"], "date (request-target) content-length content-type x-content-sha256");
    EXPECT_TRUE(VerifySignature(r, CertPublicKeyDer(leaf_.cert_pem))) << "federation not signed by the leaf key";
    auto doc = json::Parse(r.body, "federation request");
    EXPECT_TRUE(doc);
    auto leaf_body = CertificateBodies(leaf_.cert_pem);
    auto ca_body = CertificateBodies(ca_.cert_pem);
    EXPECT_EQ(*json::String(*doc, "certificate", ""), leaf_body->front());
    EXPECT_EQ(*json::String(*doc, "fingerprintAlgorithm", ""), "SHA256");
    const json::Value& intermediates = (*doc)["intermediateCertificates"];
    EXPECT_EQ(intermediates.Size(), 1u);
    EXPECT_EQ(std::string(intermediates[0].GetString()), ca_body->front());
    auto public_der = Base64Decode(*json::String(*doc, "publicKey", ""));
    EXPECT_TRUE(public_der);
    session_public_der_ = *public_der;
    if (federation_status_ != 200) {
      return HttpResponse{federation_status_, {{"opc-request-id", "req-123"}},
                          "{\"code\":\"NotAuthenticated\",\"message\":\"The required information to complete "
                          "authentication was not provided.\"}"};
    }
    last_token_ = MakeJwt(clock_.WallNow(), clock_.WallNow() + token_lifetime_, federations_);
    return HttpResponse{200, {{"content-type", "application/json"}}, "{\"token\":\"" + last_token_ + "\"}"};
  }

  std::unique_ptr<InstancePrincipalSigner> MakeSigner() {
    InstancePrincipalOptions options;
    options.session.session_key_bits = 1024;
    auto signer = InstancePrincipalSigner::Create(transport_, clock_, options);
    EXPECT_TRUE(signer) << signer.error().ToString();
    return signer ? std::move(*signer) : nullptr;
  }

  HttpRequest SignedGet(InstancePrincipalSigner& signer) {
    HttpRequest request;
    request.url = "https://iaas.us-phoenix-1.oraclecloud.com/20160918/instances?compartmentId=x";
    auto status = signer.Sign(request);
    EXPECT_TRUE(status) << status.error().ToString();
    return request;
  }

  std::string KeyIdOf(const HttpRequest& r) { return AuthParams(*FindHeader(r.headers, "authorization"))["keyId"]; }

  ::testing::NiceMock<ccm::testing::MockHttpTransport> transport_;
  ccm::testing::SimulatedClock clock_;
  ccm::testing::KeyPair ca_, leaf_;
  std::mutex mu_;
  std::vector<std::string> requests_;
  int federations_ = 0;
  int federation_status_ = 200;
  bool imds_down_ = false;
  Clock::WallTime::duration token_lifetime_ = 1h;
  std::string last_token_;
  std::string session_public_der_;
};

TEST_F(InstancePrincipalTest, CreateReadsRegionAndTenancyWithoutFederating) {
  auto signer = MakeSigner();
  ASSERT_TRUE(signer);
  EXPECT_EQ(signer->region(), "us-phoenix-1");
  EXPECT_EQ(signer->tenancy(), kTenancy);
  EXPECT_EQ(federations_, 0);
}

TEST_F(InstancePrincipalTest, SignsWithSessionKeyBoundToTheToken) {
  auto signer = MakeSigner();
  ASSERT_TRUE(signer);
  HttpRequest request = SignedGet(*signer);
  EXPECT_EQ(federations_, 1);
  EXPECT_EQ(KeyIdOf(request), "ST$" + last_token_);
  EXPECT_EQ(AuthParams(*FindHeader(request.headers, "authorization"))["headers"], "date (request-target) host");
  EXPECT_TRUE(VerifySignature(request, session_public_der_)) << "not signed by the federated session key";
  EXPECT_FALSE(VerifySignature(request, CertPublicKeyDer(leaf_.cert_pem)));
  EXPECT_EQ(*FindHeader(request.headers, "date"), FormatHttpDate(clock_.WallNow()));
}

TEST_F(InstancePrincipalTest, RenewsInsideTheRefreshWindowWithANewSessionKey) {
  auto signer = MakeSigner();
  ASSERT_TRUE(signer);
  const auto start = clock_.WallNow();
  const std::string first = KeyIdOf(SignedGet(*signer));
  const std::string first_key = session_public_der_;
  // 1 h lifetime: the margin is max(6 min, 5 min) = 6 min.
  EXPECT_EQ(signer->session().refresh_at(), start + 54min);
  clock_.SetWall(start + 53min);
  EXPECT_EQ(KeyIdOf(SignedGet(*signer)), first);
  EXPECT_EQ(federations_, 1);
  clock_.SetWall(start + 54min + 1s);
  HttpRequest renewed = SignedGet(*signer);
  EXPECT_EQ(federations_, 2);
  EXPECT_NE(KeyIdOf(renewed), first);
  EXPECT_NE(session_public_der_, first_key);
  EXPECT_TRUE(VerifySignature(renewed, session_public_der_));
}

TEST_F(InstancePrincipalTest, ShortTokensRenewAtHalfLife) {
  token_lifetime_ = 4min;
  auto signer = MakeSigner();
  ASSERT_TRUE(signer);
  const auto start = clock_.WallNow();
  SignedGet(*signer);
  EXPECT_EQ(signer->session().refresh_at(), start + 2min);
}

TEST_F(InstancePrincipalTest, FailedRenewalKeepsValidTokenThenFailsOnceExpired) {
  auto signer = MakeSigner();
  ASSERT_TRUE(signer);
  const auto start = clock_.WallNow();
  const std::string first = KeyIdOf(SignedGet(*signer));
  federation_status_ = 503;
  clock_.SetWall(start + 55min);
  EXPECT_EQ(KeyIdOf(SignedGet(*signer)), first);
  EXPECT_EQ(federations_, 2);
  EXPECT_EQ(KeyIdOf(SignedGet(*signer)), first);
  EXPECT_EQ(federations_, 2) << "retried before retry_interval";
  clock_.SetWall(start + 55min + 11s);
  EXPECT_EQ(KeyIdOf(SignedGet(*signer)), first);
  EXPECT_EQ(federations_, 3);

  clock_.SetWall(start + 60min);
  HttpRequest request;
  request.url = "https://iaas.us-phoenix-1.oraclecloud.com/20160918/instances";
  auto status = signer->Sign(request);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(status.error().http_status, 503);
  EXPECT_EQ(status.error().request_id, "req-123");
  EXPECT_THAT(status.error().message, HasSubstr("expired"));
  EXPECT_THAT(status.error().message, Not(HasSubstr(first.substr(3, 40))));
  EXPECT_EQ(FindHeader(request.headers, "authorization"), nullptr);

  federation_status_ = 200;
  clock_.SetWall(start + 61min);
  EXPECT_NE(KeyIdOf(SignedGet(*signer)), first);
}

TEST_F(InstancePrincipalTest, RejectedFederationSaysWhatToCheck) {
  federation_status_ = 401;
  auto signer = MakeSigner();
  ASSERT_TRUE(signer);
  HttpRequest request;
  request.url = "https://iaas.us-phoenix-1.oraclecloud.com/x";
  auto status = signer->Sign(request);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::kUnauthenticated);
  EXPECT_EQ(status.error().code, "NotAuthenticated");
  EXPECT_THAT(status.error().message, HasSubstr("dynamic group"));
  EXPECT_THAT(status.error().message, Not(HasSubstr("PRIVATE KEY")));
}

TEST_F(InstancePrincipalTest, ConcurrentSignersFederateOnce) {
  auto signer = MakeSigner();
  ASSERT_TRUE(signer);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        HttpRequest request;
        request.url = "https://iaas.us-phoenix-1.oraclecloud.com/x";
        if (signer->Sign(request)) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_EQ(federations_, 1);
}

TEST_F(InstancePrincipalTest, ExplicitRegionAndEndpointSkipImdsRegion) {
  InstancePrincipalOptions options;
  options.region = "us-ashburn-1";
  options.federation_endpoint = "https://auth.us-phoenix-1.oraclecloud.com/";
  options.session.session_key_bits = 1024;
  auto signer = InstancePrincipalSigner::Create(transport_, clock_, options);
  ASSERT_TRUE(signer);
  EXPECT_EQ((*signer)->region(), "us-ashburn-1");
  ASSERT_TRUE((*signer)->Refresh());
  EXPECT_EQ(federations_, 1);
  for (const auto& url : requests_) EXPECT_THAT(url, Not(HasSubstr("/instance/region")));
}

TEST_F(InstancePrincipalTest, ImdsUnreachableIsAClearError) {
  imds_down_ = true;
  auto signer = InstancePrincipalSigner::Create(transport_, clock_, {});
  ASSERT_FALSE(signer);
  EXPECT_THAT(signer.error().message, HasSubstr("only on OCI compute instances"));
  EXPECT_THAT(signer.error().message, HasSubstr("/instance/region"));
}

TEST_F(InstancePrincipalTest, CertificateWithoutTenancyIsRejected) {
  leaf_ = IssueLeaf({"opc-certtype:instance"});
  auto signer = InstancePrincipalSigner::Create(transport_, clock_, {});
  ASSERT_FALSE(signer);
  EXPECT_THAT(signer.error().message, HasSubstr("opc-tenant"));
}

TEST_F(InstancePrincipalTest, TenancyChangeAfterStartIsRefused) {
  auto signer = MakeSigner();
  ASSERT_TRUE(signer);
  leaf_ = IssueLeaf({"opc-tenant:ocid1.tenancy.oc1..other"});
  auto status = signer->Refresh();
  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("ocid1.tenancy.oc1..other"));
  EXPECT_EQ(federations_, 0);
}

TEST(X509CertificateTest, ReadsOpcIdentityTenancy) {
  auto ca = ccm::testing::GenerateCa("ca");
  ASSERT_TRUE(ca);
  ccm::testing::CertSpec spec;
  spec.common_name = "x";
  spec.organizations = {"opc-identity:ocid1.tenancy.oc1..identityform"};
  auto leaf = ccm::testing::IssueCertificate(*ca, spec);
  ASSERT_TRUE(leaf);
  auto tenancy = TenancyFromCertificate(leaf->cert_pem);
  ASSERT_TRUE(tenancy);
  EXPECT_EQ(*tenancy, "ocid1.tenancy.oc1..identityform");
  EXPECT_FALSE(TenancyFromCertificate("garbage"));
}

TEST(X509CertificateTest, SplitsChainsIntoBodies) {
  auto bodies = CertificateBodies("-----BEGIN CERTIFICATE-----\nAAAA\nBBBB\n-----END CERTIFICATE-----\n"
                                  "-----BEGIN CERTIFICATE-----\r\nCCCC\r\n-----END CERTIFICATE-----\n");
  ASSERT_TRUE(bodies);
  EXPECT_EQ(*bodies, (std::vector<std::string>{"AAAABBBB", "CCCC"}));
  EXPECT_FALSE(CertificateBodies("-----BEGIN CERTIFICATE-----\nAAAA"));
}

}  // namespace
}  // namespace ccm::oci
