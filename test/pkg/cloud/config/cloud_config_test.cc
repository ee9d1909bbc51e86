#include "pkg/cloud/config/cloud_config.h"

#include <gtest/gtest.h>

#include "test/support/param_names.h"

#include <string>

namespace ccm::cloud {
namespace {

const char* kKeyPem = "-----BEGIN RSA PRIVATE KEY-----\nMIIC\n-----END RSA PRIVATE KEY-----\n";

Result<std::string> FakeFiles(const std::string& path) {
  if (path == "/keys/api.pem") return std::string(kKeyPem);
  if (path == "/ca/bundle.pem") return std::string("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
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

TEST(CloudConfigTest, ReportsEveryProblemAtOnce) {
  auto cfg = ParseCloudConfig("auth: {tenancy: nope, fingerprint: xx}\n", &FakeFiles);
  ASSERT_FALSE(cfg);
  const std::string& m = cfg.error().message;
  for (const char* field : {"auth.region", "auth.tenancy", "auth.user", "auth.fingerprint", "auth.key", "compartment"}) {
    EXPECT_NE(m.find(std::string(field) + ":"), std::string::npos) << field << " not named in:\n" << m;
  }
  EXPECT_NE(m.find("6 problems"), std::string::npos) << m;
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
        BadCase{"allowed compartments not list", With("allowedCompartments: [ocid1.compartment.oc1..aaaalbs]", "allowedCompartments: x"), "registrar.allowedCompartments"},
        BadCase{"bad drain", With("1m30s", "ninety"), "registrar.drainPeriod"},
        BadCase{"unknown top-level", ValidConfig() + "compartmnet: x\n", "compartmnet"},
        BadCase{"unknown registrar key", With("resyncPeriod: 10m", "resyncPeriod: 10m\n  exclusve: true"), "registrar.exclusve"},
        BadCase{"instance principals not bool", "useInstancePrincipals: maybe\nauth: {region: x}\ncompartment: ocid1.compartment.oc1..c\n", "useInstancePrincipals"},
        BadCase{"auth is a list", "auth: [a]\ncompartment: ocid1.compartment.oc1..c\n", "auth"}),
    ccm::testing::NameFromField());

TEST(CloudConfigTest, ResolvesPublicEndpointsForTheRegion) {
  Endpoints e = ResolveEndpoints({.load_balancer = "https://sim:1"}, "us-phoenix-1");
  EXPECT_EQ(e.load_balancer, "https://sim:1");
  EXPECT_EQ(e.compute, "https://iaas.us-phoenix-1.oraclecloud.com");
  EXPECT_EQ(e.network_load_balancer, "https://network-load-balancer-api.us-phoenix-1.oci.oraclecloud.com");
  EXPECT_EQ(e.auth, "https://auth.us-phoenix-1.oraclecloud.com");
  EXPECT_EQ(e.metadata, "http://169.254.169.254/opc/v2");
}

}  // namespace
}  // namespace ccm::cloud
