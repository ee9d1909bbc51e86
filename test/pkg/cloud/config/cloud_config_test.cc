#include "pkg/cloud/config/cloud_config.h"

#include <gtest/gtest.h>

#include "test/support/param_names.h"
#include "test/support/test_pki.h"

#include <string>

namespace ccm::cloud {
namespace {

const char* kKeyPem = "-----BEGIN RSA PRIVATE KEY-----\nMIIC\n-----END RSA PRIVATE KEY-----\n";

Result<std::string> FakeFiles(const std::string& path) {
  if (path == "/keys/api.pem") return std::string(kKeyPem);
  static const std::string ca = ccm::testing::GenerateCa("cloud-config test CA")->cert_pem;
  if (path == "/ca/bundle.pem") return ca;
  if (path == "/ca/truncated.pem") return ca.substr(0, ca.size() / 2) + "\n-----END CERTIFICATE-----\n";
  return Fail(ErrorKind::kNotFound, "no such file");
}

std::string ValidConfig() {
  return R"(
auth:
  region: us-phoenix-1
  tenancy: ocid1.tenancy.oc1..aaaatenancy
  user: ocid1.user.oc1..aaaauser
  key: |
    -----BEGIN RSA PRIVATE KEY-----
    MIIC
    -----END RSA PRIVATE KEY-----
  fingerprint: 20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34
  passphrase: secret-pass
compartment: ocid1.compartment.oc1..aaaacomp
vcn: ocid1.vcn.oc1.phx.aaaavcn
loadBalancer:
  subnet1: ocid1.subnet.oc1.phx.aaaa
rateLimiter:
  rateLimitQPSRead: 15.5
  rateLimitBucketRead: 7
  rateLimitQPSWrite: 3
  rateLimitBucketWrite: 2
requestTimeout: 10s
endpoints:
  loadBalancer: https://127.0.0.1:8443/
caBundleFile: /ca/bundle.pem
registrar:
  allowedLoadBalancers: [ocid1.loadbalancer.oc1.phx.aaaalb, ocid1.networkloadbalancer.oc1.phx.aaaanlb]
  allowedCompartments: [ocid1.compartment.oc1..aaaalbs]
  drainPeriod: 1m30s
  resyncPeriod: 10m
)";
}

std::string With(const std::string& from, const std::string& to);

TEST(CloudConfigTest, ParsesOraclesShapeAndOurSections) {
  auto cfg = ParseCloudConfig(ValidConfig(), &FakeFiles);
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_FALSE(cfg->use_instance_principals);
  EXPECT_EQ(cfg->auth.region, "us-phoenix-1");
  EXPECT_EQ(cfg->auth.tenancy, "ocid1.tenancy.oc1..aaaatenancy");
  EXPECT_EQ(cfg->auth.user, "ocid1.user.oc1..aaaauser");
  EXPECT_NE(cfg->auth.private_key_pem.find("BEGIN RSA PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(cfg->auth.passphrase, "secret-pass");
  EXPECT_EQ(cfg->compartment, "ocid1.compartment.oc1..aaaacomp");
  EXPECT_DOUBLE_EQ(cfg->rate_limits.read_qps, 15.5);
  EXPECT_EQ(cfg->rate_limits.read_burst, 7);
  EXPECT_DOUBLE_EQ(cfg->rate_limits.write_qps, 3);
  EXPECT_EQ(cfg->rate_limits.write_burst, 2);
  EXPECT_EQ(cfg->request_timeout, std::chrono::seconds(10));
  EXPECT_EQ(cfg->endpoints.load_balancer, "https://127.0.0.1:8443");
  EXPECT_NE(cfg->extra_ca_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_EQ(cfg->registrar.allowed_load_balancers.size(), 2u);
  EXPECT_EQ(cfg->registrar.allowed_compartments.at(0), "ocid1.compartment.oc1..aaaalbs");
  EXPECT_EQ(cfg->registrar.drain_period, std::chrono::seconds(90));
  EXPECT_EQ(cfg->registrar.resync_period, std::chrono::seconds(600));
  ASSERT_EQ(cfg->warnings.size(), 1u);
  EXPECT_NE(cfg->warnings[0].find("loadBalancer"), std::string::npos);
}

TEST(CloudConfigTest, ZeroDrainPeriodRemovesAtOnceButZeroResyncIsRejected) {
  std::string cfg = ValidConfig();
  cfg.replace(cfg.find("drainPeriod: 1m30s"), 18, "drainPeriod: 0s");
  auto parsed = ParseCloudConfig(cfg, &FakeFiles);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->registrar.drain_period, std::chrono::seconds(0));
  cfg.replace(cfg.find("resyncPeriod: 10m"), 17, "resyncPeriod: 0s");
  auto bad = ParseCloudConfig(cfg, &FakeFiles);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("registrar.resyncPeriod"), std::string::npos);
}

TEST(CloudConfigTest, RequestTimeoutDefaultsToThirtySecondsAndAcceptsItsBounds) {
  std::string without = With("requestTimeout: 10s\n", "");
  auto parsed = ParseCloudConfig(without, &FakeFiles);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->request_timeout, std::chrono::seconds(30));
  for (auto [text, want] : {std::pair{"1s", std::chrono::milliseconds(1000)}, {"2m", std::chrono::milliseconds(120000)},
                            {"2500ms", std::chrono::milliseconds(2500)}}) {
    auto cfg = ParseCloudConfig(With("requestTimeout: 10s", std::string("requestTimeout: ") + text), &FakeFiles);
    ASSERT_TRUE(cfg) << text << ": " << cfg.error().message;
    EXPECT_EQ(cfg->request_timeout, want) << text;
  }
}

TEST(CloudConfigTest, KeyFileIsReadIntoMemory) {
  auto cfg = ParseCloudConfig(R"(
auth: {region: us-ashburn-1, tenancy: ocid1.tenancy.oc1..aaaat, user: ocid1.user.oc1..aaaau,
       key_file: /keys/api.pem, fingerprint: "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"}
compartment: ocid1.compartment.oc1..aaaac
)",
                              &FakeFiles);
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_EQ(cfg->auth.private_key_pem, kKeyPem);
}

TEST(CloudConfigTest, InstancePrincipalsNeedOnlyRegionAndCompartment) {
  auto cfg = ParseCloudConfig("useInstancePrincipals: true\nauth: {region: eu-frankfurt-1}\n"
                              "compartment: ocid1.compartment.oc1..aaaac\n",
                              &FakeFiles);
  ASSERT_TRUE(cfg) << cfg.error().ToString();
  EXPECT_TRUE(cfg->use_instance_principals);
}

TEST(CloudConfigTest, InstancePrincipalsWithAnApiKeyIsAConflictNamingEachField) {
  auto cfg = ParseCloudConfig("useInstancePrincipals: true\nauth: {region: eu-frankfurt-1, user: ocid1.user.oc1..u, "
                              "key_file: /keys/api.pem, passphrase: sekrit-pass}\ncompartment: ocid1.compartment.oc1..aaaac\n",
                              &FakeFiles);
  ASSERT_FALSE(cfg);
  for (const char* field : {"auth.user:", "auth.key_file:", "auth.passphrase:", "useInstancePrincipals: false"}) {
    EXPECT_NE(cfg.error().message.find(field), std::string::npos) << field << " in " << cfg.error().message;
  }
  EXPECT_EQ(cfg.error().message.find("sekrit-pass"), std::string::npos);
}

TEST(CloudConfigTest, RepeatedKeysAreReportedNotSilentlyIgnored) {
  auto cfg = ParseCloudConfig(ValidConfig() + "auth:\n  region: eu-frankfurt-1\n", &FakeFiles);
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message.find("auth: duplicate key"), std::string::npos) << cfg.error().message;
  auto nested = ParseCloudConfig("useInstancePrincipals: true\nauth: {region: eu-frankfurt-1, region: us-phoenix-1}\n"
                                 "compartment: ocid1.compartment.oc1..aaaac\n",
                                 &FakeFiles);
  ASSERT_FALSE(nested);
  EXPECT_NE(nested.error().message.find("auth.region: duplicate key"), std::string::npos) << nested.error().message;
}

TEST(CloudConfigTest, CaBundleMustHoldWholeCertificates) {
  auto good = ParseCloudConfig(ValidConfig(), &FakeFiles);
  ASSERT_TRUE(good) << good.error().ToString();
  auto cfg = ParseCloudConfig(With("/ca/bundle.pem", "/ca/truncated.pem"), &FakeFiles);
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message.find("caBundleFile: holds a PEM block that is not a valid certificate"),
            std::string::npos)
      << cfg.error().message;
}

TEST(CloudConfigTest, DurationsPastADayAreRefusedBeforeTheyOverflow) {
  auto cfg = ParseCloudConfig(With("1m30s", "999999999999h"), &FakeFiles);
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message.find("registrar.drainPeriod: must be at most 24h"), std::string::npos)
      << cfg.error().message;
  EXPECT_TRUE(ParseCloudConfig(With("1m30s", "24h"), &FakeFiles)) << "a day is still allowed";
}

TEST(CloudConfigTest, ReportsEveryProblemAtOnce) {
  auto cfg = ParseCloudConfig("auth: {tenancy: nope, fingerprint: xx}\n", &FakeFiles);
  ASSERT_FALSE(cfg);
  const std::string& m = cfg.error().message;
  for (const char* field : {"auth.tenancy", "auth.user", "auth.fingerprint", "auth.key"}) {
    EXPECT_NE(m.find(std::string(field) + ":"), std::string::npos) << field << " not named in:\n" << m;
  }
  EXPECT_NE(m.find("4 problems"), std::string::npos) << m;
}

// Oracle's controller reads both from instance metadata at startup (instance_defaults.h).
TEST(CloudConfigTest, OraclesFileWithoutRegionAndCompartmentParsesWithBothEmpty) {
  auto cfg = ParseCloudConfig("useInstancePrincipals: true\nvcn: ocid1.vcn.oc1.phx.v\nloadBalancer:\n  subnet1: x\n",
                              &FakeFiles);
  ASSERT_TRUE(cfg) << cfg.error().message;
  EXPECT_EQ(cfg->auth.region, "");
  EXPECT_EQ(cfg->compartment, "");
  auto bad = ParseCloudConfig("useInstancePrincipals: true\ncompartment: nope\n", &FakeFiles);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("compartment: must be a compartment OCID"), std::string::npos) << bad.error().message;
}

struct BadCase {
  const char* name;
  std::string yaml;
  const char* field;
};

class CloudConfigBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(CloudConfigBadInputTest, NamesTheField) {
  auto cfg = ParseCloudConfig(GetParam().yaml, &FakeFiles);
  ASSERT_FALSE(cfg) << GetParam().name;
  EXPECT_EQ(cfg.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(cfg.error().message.find(GetParam().field), std::string::npos)
      << GetParam().name << ": " << cfg.error().message;
  // Secrets never leak into errors.
  EXPECT_EQ(cfg.error().message.find("secret-pass"), std::string::npos);
  EXPECT_EQ(cfg.error().message.find("MIIC"), std::string::npos);
}

std::string With(const std::string& from, const std::string& to) {
  std::string s = ValidConfig();
  auto pos = s.find(from);
  if (pos == std::string::npos) return "missing-anchor: [" + from;
  return s.replace(pos, from.size(), to);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CloudConfigBadInputTest,
    ::testing::Values(
        BadCase{"not yaml", "auth: [unclosed", "not valid YAML"},
        BadCase{"empty", "", "empty"},
        BadCase{"list root", "- a\n- b\n", "must be a YAML mapping"},
        BadCase{"bad region", With("us-phoenix-1", "US Phoenix"), "auth.region"},
        BadCase{"user is a tenancy", With("ocid1.user.oc1..aaaauser", "ocid1.tenancy.oc1..x"), "auth.user"},
        BadCase{"short fingerprint", With("20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34", "20:3b"), "auth.fingerprint"},
        BadCase{"key and key_file", With("  passphrase:", "  key_file: /keys/api.pem\n  passphrase:"), "auth.key"},
        BadCase{"unreadable key_file",
                With("  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIC\n    -----END RSA PRIVATE KEY-----\n",
                     "  key_file: /nope.pem\n"),
                "auth.key_file"},
        BadCase{"key not pem", With("-----BEGIN RSA PRIVATE KEY-----\n    MIIC\n    -----END RSA PRIVATE KEY-----", "garbage"), "auth.key"},
        BadCase{"bad compartment", With("ocid1.compartment.oc1..aaaacomp", "compartment-1"), "compartment"},
        BadCase{"bad vcn", With("ocid1.vcn.oc1.phx.aaaavcn", "ocid1.subnet.oc1..x"), "vcn"},
        BadCase{"rate not a number", With("15.5", "fast"), "rateLimiter.rateLimitQPSRead"},
        BadCase{"burst zero", With("rateLimitBucketWrite: 2", "rateLimitBucketWrite: 0"), "rateLimiter.rateLimitBucketWrite"},
        BadCase{"rate typo", With("rateLimitQPSWrite", "rateLimitQPSWirte"), "rateLimiter.rateLimitQPSWirte"},
        BadCase{"endpoint not url", With("https://127.0.0.1:8443/", "127.0.0.1:8443"), "endpoints.loadBalancer"},
        BadCase{"ca not pem", With("caBundleFile: /ca/bundle.pem", "caBundle: hello"), "caBundle"},
        BadCase{"ca file missing", With("/ca/bundle.pem", "/ca/none.pem"), "caBundleFile"},
        BadCase{"allowed lb not ocid", With("ocid1.loadbalancer.oc1.phx.aaaalb", "my-lb"), "registrar.allowedLoadBalancers[0]"},
        // Accepted before the one OCID and region checks (pkg/oci/ocid.h, pkg/oci/transport/region.h).
        BadCase{"tenancy without realm", With("ocid1.tenancy.oc1..aaaatenancy", "ocid1.tenancy.aaaa"), "auth.tenancy: must be a tenancy OCID"},
        BadCase{"vcn cut short", With("ocid1.vcn.oc1.phx.aaaavcn", "ocid1.vcn.oc1.phx."), "vcn: must be a VCN OCID"},
        BadCase{"allowed lb upper-case realm", With("ocid1.loadbalancer.oc1.phx.aaaalb", "ocid1.loadbalancer.OC1.phx.aaaalb"), "registrar.allowedLoadBalancers[0]"},
        BadCase{"allowed compartment with space", With("ocid1.compartment.oc1..aaaalbs", "'ocid1.compartment.oc1..aaaa lbs'"), "registrar.allowedCompartments[0]"},
        BadCase{"region leading dash", With("us-phoenix-1", "-phoenix-1"), "auth.region: must be an OCI region identifier"},
        BadCase{"allowed compartments not list", With("allowedCompartments: [ocid1.compartment.oc1..aaaalbs]", "allowedCompartments: x"), "registrar.allowedCompartments"},
        BadCase{"bad drain", With("1m30s", "ninety"), "registrar.drainPeriod"},
        BadCase{"request timeout not a duration", With("requestTimeout: 10s", "requestTimeout: soon"), "requestTimeout: must be a duration from 1s to 2m"},
        BadCase{"request timeout too short", With("requestTimeout: 10s", "requestTimeout: 500ms"), "requestTimeout: must be a duration from 1s to 2m"},
        BadCase{"request timeout too long", With("requestTimeout: 10s", "requestTimeout: 10m"), "requestTimeout: must be a duration from 1s to 2m"},
        BadCase{"request timeout zero", With("requestTimeout: 10s", "requestTimeout: 0s"), "requestTimeout: must be a duration from 1s to 2m"},
        BadCase{"unknown top-level", ValidConfig() + "compartmnet: x\n", "compartmnet"},
        BadCase{"unknown registrar key", With("resyncPeriod: 10m", "resyncPeriod: 10m\n  exclusve: true"), "registrar.exclusve"},
        BadCase{"instance principals not bool", "useInstancePrincipals: maybe\nauth: {region: x}\ncompartment: ocid1.compartment.oc1..c\n", "useInstancePrincipals"},
        BadCase{"auth is a list", "auth: [a]\ncompartment: ocid1.compartment.oc1..c\n", "auth"}),
    ccm::testing::NameFromField());

// Found by test/fuzz/cloud_config: an empty key was reported as ": unknown field".
TEST(CloudConfigTest, AnEmptyKeyIsStillNamedInItsProblem) {
  auto cfg = ParseCloudConfig(ValidConfig() + "\"\": 1\n", &FakeFiles);
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message.find("\n  - \"\" (an empty key): unknown field"), std::string::npos)
      << cfg.error().message;
}

}  // namespace
}  // namespace ccm::cloud
