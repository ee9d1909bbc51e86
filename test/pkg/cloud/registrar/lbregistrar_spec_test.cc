#include "pkg/cloud/registrar/lbregistrar_spec.h"

#include <gtest/gtest.h>

#include "test/support/param_names.h"

namespace ccm::cloud::registrar {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.aaaaexample";

ParsedSpec Parse(const std::string& json) { return ParseLBRegistrarSpecJson("r1", json, "kube-system"); }

TEST(LBRegistrarSpecTest, GoOperatorSingleNodePortResource) {
  auto p = Parse(std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"bs1","nodePort":30080,"weight":3})");
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  ASSERT_EQ(p.bindings.size(), 1u);
  const Binding& b = p.bindings[0];
  EXPECT_EQ(b.source, "LBRegistrar/r1");
  EXPECT_EQ(b.load_balancer_id, kLb);
  EXPECT_EQ(b.backend_set, "bs1");
  EXPECT_EQ(b.node_port, 30080);
  EXPECT_EQ(b.weight, 3);
  EXPECT_FALSE(b.service.has_value());
}

TEST(LBRegistrarSpecTest, AdoptExistingIsOffUnlessAsked) {
  auto off = Parse(std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"bs1","nodePort":30080})");
  ASSERT_TRUE(off.problems.empty()) << JoinProblems(off.problems);
  EXPECT_FALSE(off.bindings.at(0).adopt_existing);
  auto on = Parse(std::string(R"({"loadBalancerId":")") + kLb +
                  R"(","backendSetName":"bs","services":[{"name":"a","port":80},{"name":"b","port":80}],"adoptExisting":true})");
  ASSERT_TRUE(on.problems.empty()) << JoinProblems(on.problems);
  ASSERT_EQ(on.bindings.size(), 2u);
  EXPECT_TRUE(on.bindings[0].adopt_existing);
  EXPECT_TRUE(on.bindings[1].adopt_existing);
}

TEST(LBRegistrarSpecTest, DeprecatedPortAliasIsAccepted) {
  auto p = Parse(std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"bs1","port":30081})");
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  EXPECT_EQ(p.bindings.at(0).node_port, 30081);
  EXPECT_FALSE(p.notes.empty());
}

TEST(LBRegistrarSpecTest, MultiServiceWithoutTopLevelBackendSet) {
  // The Go operator rejected this because backendSetName was required.
  auto p = Parse(std::string(R"({"loadBalancerId":")") + kLb + R"(","services":[
      {"name":"web","namespace":"shop","port":"http","backendSetName":"web-bs","filterByEndpoints":true,"weight":5},
      {"name":"api","port":8443,"backendSetName":"api-bs"}]})");
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  ASSERT_EQ(p.bindings.size(), 2u);
  EXPECT_EQ(p.bindings[0].service->namespace_name, "shop");
  EXPECT_EQ(p.bindings[0].service->port.name, "http");
  EXPECT_TRUE(p.bindings[0].filter_by_endpoints);
  EXPECT_EQ(p.bindings[0].weight, 5);
  EXPECT_EQ(p.bindings[0].field, "spec.services[0]");
  EXPECT_EQ(p.bindings[1].service->namespace_name, "default");
  EXPECT_EQ(p.bindings[1].service->port.number, 8443);
  EXPECT_EQ(p.bindings[1].backend_set, "api-bs");
  EXPECT_EQ(p.bindings[1].weight, 1);
}

TEST(LBRegistrarSpecTest, DeprecatedSingleServiceInheritsTopLevelBackendSet) {
  auto p = Parse(std::string(R"({"loadBalancerId":")") + kLb +
                 R"(","backendSetName":"bs","weight":2,"service":{"name":"web","namespace":"a","port":"80"}})");
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  ASSERT_EQ(p.bindings.size(), 1u);
  EXPECT_EQ(p.bindings[0].backend_set, "bs");
  EXPECT_EQ(p.bindings[0].weight, 2);
  EXPECT_EQ(p.bindings[0].service->port.number, 80);  // numeric strings are numbers
}

TEST(LBRegistrarSpecTest, ApiKeySecretDefaultsToControllerNamespace) {
  auto p = Parse(std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"bs","nodePort":30080,
      "apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0","tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1",
                "privateKey":{"secretKeyRef":{"name":"oci-key","key":"key.pem"}}}})");
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  ASSERT_TRUE(p.bindings[0].api_key.has_value());
  EXPECT_EQ(p.bindings[0].api_key->secret_namespace, "kube-system");
  EXPECT_EQ(p.bindings[0].api_key->secret_name, "oci-key");
  EXPECT_EQ(p.bindings[0].api_key->secret_key, "key.pem");
}

// The Go operator's precedence where its CRD accepts two spellings of one thing.
TEST(LBRegistrarSpecTest, NodePortWinsOverItsDeprecatedAliasWithANote) {
  auto p = Parse(std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"bs","nodePort":30080,"port":30081})");
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  ASSERT_EQ(p.bindings.size(), 1u);
  EXPECT_EQ(p.bindings[0].node_port, 30080);
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("spec.port (30081) is ignored because spec.nodePort (30080) is set"), std::string::npos)
      << p.notes[0];
}

TEST(LBRegistrarSpecTest, ServicesWinOverTheDeprecatedSingleServiceWithANote) {
  auto p = Parse(std::string(R"({"loadBalancerId":")") + kLb +
                 R"(","backendSetName":"bs","service":{"name":"a","port":80},"services":[{"name":"b","port":81}]})");
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  ASSERT_EQ(p.bindings.size(), 1u);
  EXPECT_EQ(p.bindings[0].service->name, "b");
  EXPECT_EQ(p.bindings[0].field, "spec.services[0]");
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("spec.service is ignored because spec.services is set"), std::string::npos) << p.notes[0];
}

TEST(LBRegistrarSpecTest, SecretKeyRefOptionalIsAcceptedAndNoted) {
  auto p = Parse(std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"bs","nodePort":30080,
      "apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"12:34:56:78:9A:BC:DE:F0:12:34:56:78:9a:bc:de:f0","tenancy":"ocid1.tenancy.oc1..t",
                "region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"oci-key","key":"key.pem","optional":true}}}})");
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  ASSERT_EQ(p.bindings.size(), 1u);
  EXPECT_EQ(p.bindings[0].api_key->secret_name, "oci-key");
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("secretKeyRef.optional is ignored"), std::string::npos) << p.notes[0];
}

struct Bad {
  const char* name;
  std::string spec;
  const char* field;
};

class LBRegistrarSpecBadTest : public ::testing::TestWithParam<Bad> {};

TEST_P(LBRegistrarSpecBadTest, NamesTheFieldAndProducesNoBinding) {
  auto p = Parse(GetParam().spec);
  ASSERT_FALSE(p.problems.empty()) << GetParam().name;
  EXPECT_TRUE(p.bindings.empty());
  EXPECT_NE(JoinProblems(p.problems).find(GetParam().field), std::string::npos)
      << GetParam().name << ": " << JoinProblems(p.problems);
}

std::string L(const std::string& rest) { return std::string(R"({"loadBalancerId":")") + kLb + "\"" + rest + "}"; }

INSTANTIATE_TEST_SUITE_P(
    Table, LBRegistrarSpecBadTest,
    ::testing::Values(
        Bad{"not json", "{", "spec"},
        Bad{"not object", "[]", "spec"},
        Bad{"no lb", R"({"backendSetName":"bs","nodePort":30080})", "spec.loadBalancerId"},
        Bad{"lb not ocid", R"({"loadBalancerId":"my-lb","backendSetName":"bs","nodePort":30080})", "spec.loadBalancerId"},
        Bad{"lb wrong type", R"({"loadBalancerId":5,"backendSetName":"bs","nodePort":30080})", "spec.loadBalancerId"},
        Bad{"no port", L(R"(,"backendSetName":"bs")"), "spec.nodePort"},
        Bad{"port range", L(R"(,"backendSetName":"bs","nodePort":70000)"), "spec.nodePort"},
        Bad{"port string", L(R"(,"backendSetName":"bs","nodePort":"30080")"), "spec.nodePort"},
        Bad{"no backend set", L(R"(,"nodePort":30080)"), "spec.backendSetName"},
        Bad{"empty backend set", L(R"(,"nodePort":30080,"backendSetName":"")"), "spec.backendSetName"},
        Bad{"weight zero", L(R"(,"nodePort":30080,"backendSetName":"bs","weight":0)"), "spec.weight"},
        Bad{"weight big", L(R"(,"nodePort":30080,"backendSetName":"bs","weight":1000)"), "spec.weight"},
        Bad{"services not list", L(R"(,"backendSetName":"bs","services":{"name":"a"})"), "spec.services"},
        Bad{"entry not object", L(R"(,"backendSetName":"bs","services":["web"])"), "spec.services[0]"},
        Bad{"entry no name", L(R"(,"backendSetName":"bs","services":[{"port":80}])"), "spec.services[0].name"},
        Bad{"entry bad name", L(R"(,"backendSetName":"bs","services":[{"name":"Web_1"}])"), "spec.services[0].name"},
        Bad{"entry bad namespace", L(R"(,"backendSetName":"bs","services":[{"name":"web","namespace":"A B"}])"), "spec.services[0].namespace"},
        Bad{"entry port range", L(R"(,"backendSetName":"bs","services":[{"name":"web","port":0}])"), "spec.services[0].port"},
        Bad{"entry port name", L(R"(,"backendSetName":"bs","services":[{"name":"web","port":"HTTP PORT"}])"), "spec.services[0].port"},
        Bad{"entry port bool", L(R"(,"backendSetName":"bs","services":[{"name":"web","port":true}])"), "spec.services[0].port"},
        Bad{"entry missing set", L(R"(,"services":[{"name":"web","backendSetName":"a"},{"name":"api"}])"), "spec.services[1].backendSetName"},
        Bad{"entry filter not bool", L(R"(,"backendSetName":"bs","services":[{"name":"web","filterByEndpoints":"yes"}])"), "spec.services[0].filterByEndpoints"},
        Bad{"entry weight", L(R"(,"backendSetName":"bs","services":[{"name":"web","weight":-1}])"), "spec.services[0].weight"},
        Bad{"duplicate entry", L(R"(,"backendSetName":"bs","services":[{"name":"web","port":80},{"name":"web","port":80}])"), "spec.services[1]"},
        Bad{"apikey incomplete", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"u"})"), "spec.apiKey.fingerprint"},
        Bad{"apikey no secret", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"u","fingerprint":"f","tenancy":"t","region":"r"})"), "spec.apiKey.privateKey.secretKeyRef"},
        Bad{"apikey secret no key", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"u","fingerprint":"f","tenancy":"t","region":"r","privateKey":{"secretKeyRef":{"name":"s"}}})"), "spec.apiKey.privateKey.secretKeyRef.key"},
        Bad{"selector value", L(R"(,"backendSetName":"bs","nodePort":30080,"nodeSelector":{"a":1})"), "spec.nodeSelector.a"},
        Bad{"exclusive not bool", L(R"(,"backendSetName":"bs","nodePort":30080,"exclusive":"true")"), "spec.exclusive"},
        Bad{"adopt not bool", L(R"(,"backendSetName":"bs","nodePort":30080,"adoptExisting":"yes")"), "spec.adoptExisting"},
        Bad{"lb ocid with newline", R"({"loadBalancerId":"ocid1.loadbalancer.oc1.phx.aaaa\n","backendSetName":"bs","nodePort":30080})", "spec.loadBalancerId"},
        Bad{"lb ocid truncated", R"({"loadBalancerId":"ocid1.loadbalancer.oc1.phx.","backendSetName":"bs","nodePort":30080})", "spec.loadBalancerId"},
        Bad{"backend set with space", L(R"(,"nodePort":30080,"backendSetName":"web http")"), "spec.backendSetName must be the backend set's name"},
        Bad{"entry backend set unicode", L(R"(,"services":[{"name":"web","backendSetName":"web\u2013http"}])"), "spec.services[0].backendSetName must be"},
        Bad{"selector set syntax key", L(R"j(,"backendSetName":"bs","nodePort":30080,"nodeSelector":{"role in (web)":""})j"), "spec.nodeSelector key \"role in (web)\" is not a label key"},
        Bad{"selector value with space", L(R"(,"backendSetName":"bs","nodePort":30080,"nodeSelector":{"role":"web servers"})"), "spec.nodeSelector.role \"web servers\" is not a label value"},
        Bad{"apikey fingerprint go readme", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"aa:bb:cc:dd:ee","tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})"), "spec.apiKey.fingerprint \"aa:bb:cc:dd:ee\" cannot be an API key fingerprint"},
        Bad{"apikey fingerprint openssl prefix", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"(stdin)= 0011223344556677889900aabbccddeeff","tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})"), "spec.apiKey.fingerprint"},
        Bad{"apikey fingerprint 48 chars", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0:","tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})"), "spec.apiKey.fingerprint"},
        Bad{"apikey secret without name", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0","tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"key":"k"}}})"), "spec.apiKey.privateKey.secretKeyRef.name is required"},
        Bad{"weight zero message", L(R"(,"backendSetName":"bs","nodePort":30080,"weight":0)"), "spec.weight must be an OCI backend weight (1-100), not 0"},
        Bad{"entry weight 101", L(R"(,"backendSetName":"bs","services":[{"name":"a","weight":101}])"), "spec.services[0].weight must be an OCI backend weight (1-100), not 101"},
        Bad{"apikey user is tenancy", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.tenancy.oc1..t","fingerprint":"f","tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})"), "spec.apiKey.user must be a user OCID"},
        Bad{"apikey tenancy is user", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"f","tenancy":"ocid1.user.oc1..u","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})"), "spec.apiKey.tenancy must be a tenancy OCID"},
        Bad{"apikey region display name", L(R"j(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"f","tenancy":"ocid1.tenancy.oc1..t","region":"US West (Phoenix)","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})j"), "spec.apiKey.region must be a region identifier"},
        // Accepted before the one OCID and region checks (pkg/oci/ocid.h, pkg/oci/transport/region.h).
        Bad{"lb ocid without realm", R"({"loadBalancerId":"ocid1.loadbalancer.abcdef","backendSetName":"bs","nodePort":30080})", "spec.loadBalancerId"},
        Bad{"apikey user without realm", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.abc","fingerprint":"f","tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})"), "spec.apiKey.user must be a user OCID"},
        Bad{"apikey tenancy with space", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"f","tenancy":"ocid1.tenancy.oc1..t t","region":"us-phoenix-1","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})"), "spec.apiKey.tenancy must be a tenancy OCID"},
        Bad{"apikey region double dash", L(R"(,"backendSetName":"bs","nodePort":30080,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"f","tenancy":"ocid1.tenancy.oc1..t","region":"us--phoenix-1","privateKey":{"secretKeyRef":{"name":"s","key":"k"}}})"), "spec.apiKey.region must be a region identifier"}),
    ccm::testing::NameFromField());

}  // namespace
}  // namespace ccm::cloud::registrar
