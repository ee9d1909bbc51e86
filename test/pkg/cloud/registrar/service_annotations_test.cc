#include "pkg/cloud/registrar/service_annotations.h"

#include <gtest/gtest.h>

#include "test/support/param_names.h"

namespace ccm::cloud::registrar {
namespace {

constexpr char kNlb[] = "ocid1.networkloadbalancer.oc1.phx.aaaaexample";

TEST(ServiceAnnotationsTest, AnyAnnotationOfOursIsReportedEvenWithoutOptIn) {
  EXPECT_TRUE(MentionsRegistrar({{"nodes.peppy-ratio.dev/loadbalancer-id", "x"}}));
  EXPECT_FALSE(MentionsRegistrar({{"service.beta.kubernetes.io/oci-load-balancer-shape", "flexible"}}));
}

TEST(ServiceAnnotationsTest, OptInNeedsTheLoadBalancerAnnotation) {
  EXPECT_FALSE(HasRegistrarAnnotations({{"other", "x"}}));
  EXPECT_TRUE(HasRegistrarAnnotations({{kAnnotationLoadBalancerId, kNlb}}));
}

TEST(ServiceAnnotationsTest, OneBindingPerMappedPort) {
  auto p = ParseServiceAnnotations("shop", "web", "LoadBalancer",
                                   {{kAnnotationLoadBalancerId, kNlb},
                                    {kAnnotationBackendSets, "http=web-http, 443 = web-https"},
                                    {kAnnotationWeight, "7"},
                                    {kAnnotationNodeSelector, "role=edge, zone=a"},
                                    {kAnnotationFilterByEndpoints, "True"}});
  ASSERT_TRUE(p.problems.empty()) << JoinProblems(p.problems);
  ASSERT_EQ(p.bindings.size(), 2u);
  EXPECT_EQ(p.bindings[0].source, "Service/shop/web");
  EXPECT_EQ(p.bindings[0].service->port.name, "http");
  EXPECT_EQ(p.bindings[0].backend_set, "web-http");
  EXPECT_EQ(p.bindings[1].service->port.number, 443);
  EXPECT_EQ(p.bindings[1].backend_set, "web-https");
  EXPECT_EQ(p.bindings[1].weight, 7);
  EXPECT_TRUE(p.bindings[1].filter_by_endpoints);
  EXPECT_EQ(p.bindings[1].node_selector.at("zone"), "a");
}

TEST(ServiceAnnotationsTest, AdoptExistingAnnotation) {
  auto off = ParseServiceAnnotations("shop", "web", "NodePort",
                                     {{kAnnotationLoadBalancerId, kNlb}, {kAnnotationBackendSets, "http=web-http"}});
  ASSERT_TRUE(off.problems.empty()) << JoinProblems(off.problems);
  EXPECT_FALSE(off.bindings.at(0).adopt_existing);
  auto on = ParseServiceAnnotations("shop", "web", "NodePort",
                                    {{kAnnotationLoadBalancerId, kNlb},
                                     {kAnnotationBackendSets, "http=web-http"},
                                     {"nodes.peppy-ratio.dev/adopt-existing", "true"}});
  ASSERT_TRUE(on.problems.empty()) << JoinProblems(on.problems);
  EXPECT_TRUE(on.bindings.at(0).adopt_existing);
}

struct Bad {
  const char* name;
  std::map<std::string, std::string> annotations;
  std::string type;
  const char* field;
};

class ServiceAnnotationsBadTest : public ::testing::TestWithParam<Bad> {};

TEST_P(ServiceAnnotationsBadTest, NamesTheAnnotation) {
  auto p = ParseServiceAnnotations("ns", "svc", GetParam().type, GetParam().annotations);
  ASSERT_FALSE(p.problems.empty()) << GetParam().name;
  EXPECT_TRUE(p.bindings.empty());
  EXPECT_NE(JoinProblems(p.problems).find(GetParam().field), std::string::npos) << JoinProblems(p.problems);
}

std::map<std::string, std::string> With(std::map<std::string, std::string> extra) {
  std::map<std::string, std::string> a = {{kAnnotationLoadBalancerId, kNlb}, {kAnnotationBackendSets, "http=bs"}};
  for (auto& [k, v] : extra) a[k] = v;
  return a;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ServiceAnnotationsBadTest,
    ::testing::Values(
        Bad{"clusterip", With({}), "ClusterIP", kAnnotationLoadBalancerId},
        Bad{"lb not ocid", With({{kAnnotationLoadBalancerId, "lb-1"}}), "NodePort", kAnnotationLoadBalancerId},
        Bad{"no sets", {{kAnnotationLoadBalancerId, kNlb}}, "NodePort", kAnnotationBackendSets},
        Bad{"set no equals", With({{kAnnotationBackendSets, "http"}}), "NodePort", kAnnotationBackendSets},
        Bad{"set bad name", With({{kAnnotationBackendSets, "http=bad name!"}}), "NodePort", kAnnotationBackendSets},
        Bad{"port out of range", With({{kAnnotationBackendSets, "99999=bs"}}), "NodePort", kAnnotationBackendSets},
        Bad{"weight text", With({{kAnnotationWeight, "heavy"}}), "NodePort", kAnnotationWeight},
        Bad{"weight zero", With({{kAnnotationWeight, "0"}}), "NodePort", kAnnotationWeight},
        Bad{"selector", With({{kAnnotationNodeSelector, "edge"}}), "NodePort", kAnnotationNodeSelector},
        Bad{"filter", With({{kAnnotationFilterByEndpoints, "yes"}}), "NodePort", kAnnotationFilterByEndpoints},
        Bad{"allow empty", With({{kAnnotationAllowEmpty, "sometimes"}}), "NodePort", kAnnotationAllowEmpty},
        Bad{"adopt existing", With({{kAnnotationAdoptExisting, "please"}}), "NodePort", kAnnotationAdoptExisting},
        Bad{"typo key", With({{"nodes.peppy-ratio.dev/backendsets", "x"}}), "NodePort", "nodes.peppy-ratio.dev/backendsets"},
        Bad{"selector bad value", With({{kAnnotationNodeSelector, "role=web servers"}}), "NodePort", "nodes.peppy-ratio.dev/node-selector \"web servers\" is not a label value"},
        Bad{"selector bad key", With({{kAnnotationNodeSelector, "my role=web"}}), "NodePort", "nodes.peppy-ratio.dev/node-selector \"my role\" is not a label key"},
        Bad{"lb id key misspelt", {{"nodes.peppy-ratio.dev/loadbalancer-id", kNlb}, {kAnnotationBackendSets, "http=bs"}}, "NodePort", "nodes.peppy-ratio.dev/load-balancer-id is required"},
        Bad{"lb id with newline", With({{kAnnotationLoadBalancerId, std::string(kNlb) + "x\nmore"}}), "NodePort", kAnnotationLoadBalancerId},
        // Accepted before the one OCID check (pkg/oci/ocid.h).
        Bad{"lb id without realm", With({{kAnnotationLoadBalancerId, "ocid1.networkloadbalancer.abcdef"}}), "NodePort", kAnnotationLoadBalancerId},
        Bad{"lb id upper case region", With({{kAnnotationLoadBalancerId, "ocid1.networkloadbalancer.oc1.PHX.aaaa"}}), "NodePort", kAnnotationLoadBalancerId}),
    ccm::testing::NameFromField());

}  // namespace
}  // namespace ccm::cloud::registrar
