#include "pkg/cloud/config/instance_defaults.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "test/mocks/mock_http_transport.h"

namespace ccm::cloud {
namespace {

using ::testing::_;

constexpr char kInstanceJson[] =
    R"({"id":"ocid1.instance.oc1.iad.i1","region":"iad","canonicalRegionName":"us-ashburn-1",)"
    R"("compartmentId":"ocid1.compartment.oc1..fromimds","availabilityDomain":"Uocm:US-ASHBURN-AD-1"})";

std::string AuthHeader(const HttpRequest& r) {
  for (const auto& [k, v] : r.headers) {
    if (k == "authorization") return v;
  }
  return "";
}

// A fake IMDS: answers per URL, records what was asked.
class InstanceDefaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ON_CALL(transport_, Send(_)).WillByDefault([this](const HttpRequest& r) -> Result<HttpResponse> {
      requests_.push_back(r);
      auto it = answers_.find(r.url);
      if (it == answers_.end()) return HttpResponse{.status = 404, .headers = {}, .body = "not found"};
      return it->second;
    });
  }
  CloudConfig OracleConfig() {
    CloudConfig c;
    c.endpoints.metadata = "http://imds.test/opc/v2";
    return c;
  }
  ::testing::NiceMock<testing::MockHttpTransport> transport_;
  std::map<std::string, HttpResponse> answers_;
  std::vector<HttpRequest> requests_;
};

TEST_F(InstanceDefaultsTest, FillsRegionAndCompartmentFromImdsV2WithTheBearerHeader) {
  answers_["http://imds.test/opc/v2/instance/"] = {.status = 200, .headers = {}, .body = kInstanceJson};
  CloudConfig c = OracleConfig();
  ASSERT_TRUE(NeedsInstanceMetadata(c));
  auto st = FillFromInstanceMetadata(c, transport_, std::chrono::milliseconds(1500));
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(c.auth.region, "us-ashburn-1");
  EXPECT_EQ(c.compartment, "ocid1.compartment.oc1..fromimds");
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_EQ(AuthHeader(requests_[0]), "Bearer Oracle");
  EXPECT_EQ(requests_[0].timeout, std::chrono::milliseconds(1500));
  EXPECT_FALSE(NeedsInstanceMetadata(c));
}

TEST_F(InstanceDefaultsTest, FallsBackToV1WithoutTheHeaderWhenV2Answers404) {
  std::string v1 = kInstanceJson;
  v1.replace(v1.find(R"("canonicalRegionName":"us-ashburn-1",)"), std::string(R"("canonicalRegionName":"us-ashburn-1",)").size(), "");
  v1.replace(v1.find("\"iad\""), 5, "\"phx\"");
  answers_["http://imds.test/opc/v1/instance/"] = {.status = 200, .headers = {}, .body = v1};
  CloudConfig c = OracleConfig();
  auto st = FillFromInstanceMetadata(c, transport_);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(c.auth.region, "us-phoenix-1") << "the short code of v1's region field is mapped";
  EXPECT_EQ(c.compartment, "ocid1.compartment.oc1..fromimds");
  ASSERT_EQ(requests_.size(), 2u);
  EXPECT_EQ(requests_[0].url, "http://imds.test/opc/v2/instance/");
  EXPECT_EQ(requests_[1].url, "http://imds.test/opc/v1/instance/");
  EXPECT_EQ(AuthHeader(requests_[1]), "");
}

TEST_F(InstanceDefaultsTest, NoFallbackWhenV2FailsOtherwise) {
  answers_["http://imds.test/opc/v2/instance/"] = {.status = 500, .headers = {}, .body = "boom"};
  answers_["http://imds.test/opc/v1/instance/"] = {.status = 200, .headers = {}, .body = kInstanceJson};
  CloudConfig c = OracleConfig();
  EXPECT_FALSE(FillFromInstanceMetadata(c, transport_));
  EXPECT_EQ(requests_.size(), 1u);
}

TEST_F(InstanceDefaultsTest, KeepsWhatTheConfigSetsAndAsksNothingWhenComplete) {
  answers_["http://imds.test/opc/v2/instance/"] = {.status = 200, .headers = {}, .body = kInstanceJson};
  CloudConfig c = OracleConfig();
  c.auth.region = "eu-frankfurt-1";
  ASSERT_TRUE(FillFromInstanceMetadata(c, transport_));
  EXPECT_EQ(c.auth.region, "eu-frankfurt-1");
  EXPECT_EQ(c.compartment, "ocid1.compartment.oc1..fromimds");

  requests_.clear();
  ASSERT_TRUE(FillFromInstanceMetadata(c, transport_));
  EXPECT_TRUE(requests_.empty());
}

TEST_F(InstanceDefaultsTest, BothUnavailableIsAnErrorNamingTheFieldsAndImds) {
  CloudConfig c = OracleConfig();
  auto st = FillFromInstanceMetadata(c, transport_);
  ASSERT_FALSE(st);
  const std::string& m = st.error().message;
  for (const char* want : {"auth.region and compartment", "instance metadata", "http://imds.test/opc/v2/instance/",
                           "set auth.region and compartment in the cloud-config"}) {
    EXPECT_NE(m.find(want), std::string::npos) << want << " not in: " << m;
  }
  EXPECT_EQ(c.auth.region, "");
}

TEST_F(InstanceDefaultsTest, AnUnreachableImdsIsAnError) {
  ON_CALL(transport_, Send(_)).WillByDefault([](const HttpRequest&) -> Result<HttpResponse> {
    return Fail(ErrorKind::kUnavailable, "connection timed out");
  });
  CloudConfig c = OracleConfig();
  c.auth.region = "us-phoenix-1";
  auto st = FillFromInstanceMetadata(c, transport_);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("compartment"), std::string::npos);
  EXPECT_NE(st.error().message.find("connection timed out"), std::string::npos) << st.error().message;
}

TEST_F(InstanceDefaultsTest, ACompartmentThatIsNoOcidIsRefused) {
  // "ocid1.compartment.x" passed the prefix check this replaced (pkg/oci/ocid.h).
  for (std::string bad : {"garbage", "ocid1.compartment.x"}) {
    answers_["http://imds.test/opc/v2/instance/"] = {
        .status = 200, .headers = {},
        .body = R"({"canonicalRegionName":"us-ashburn-1","compartmentId":")" + bad + "\"}"};
    CloudConfig c = OracleConfig();
    auto st = FillFromInstanceMetadata(c, transport_);
    ASSERT_FALSE(st) << bad;
    EXPECT_NE(st.error().message.find("\"" + bad + "\" is not a compartment OCID"), std::string::npos)
        << st.error().message;
    EXPECT_EQ(c.compartment, "") << bad;
  }
}

// A wrong-shaped answer is an error naming the field, never an absent value quietly taken
// from elsewhere.
TEST_F(InstanceDefaultsTest, AFieldOfTheWrongTypeIsAnErrorNamingIt) {
  answers_["http://imds.test/opc/v2/instance/"] = {
      .status = 200, .headers = {}, .body = R"({"canonicalRegionName":"us-ashburn-1","compartmentId":42})"};
  CloudConfig c = OracleConfig();
  auto st = FillFromInstanceMetadata(c, transport_);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("compartmentId"), std::string::npos) << st.error().message;
  EXPECT_EQ(c.compartment, "");
}

}  // namespace
}  // namespace ccm::cloud
