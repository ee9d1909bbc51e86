#include "pkg/cloud/registrar/binding_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace ccm::cloud::registrar {
namespace {

constexpr char kLb1[] = "ocid1.loadbalancer.oc1.phx.aaaaone";
constexpr char kLb2[] = "ocid1.networkloadbalancer.oc1.phx.aaaatwo";
constexpr char kWeb[] = "LBRegistrar/web";

using Lbs = std::set<std::string>;

Binding ServicePortBinding(const std::string& lb, const std::string& set, const std::string& ns,
                           const std::string& service) {
  return Binding{.source = kWeb, .field = "spec.services[0]", .load_balancer_id = lb, .backend_set = set,
                 .service = ServiceTarget{.namespace_name = ns, .name = service, .port = {.number = 80}}};
}

Binding FixedPortBinding(const std::string& lb, const std::string& set, int port) {
  return Binding{.source = kWeb, .field = "spec", .load_balancer_id = lb, .backend_set = set, .node_port = port};
}

SourceState Valid(const std::string& source, std::vector<Binding> bindings, int64_t generation = 1) {
  return SourceState{.source = source, .bindings = std::move(bindings), .generation = generation};
}

SourceState Invalid(const std::string& source, const std::string& field, int64_t generation) {
  return SourceState{.source = source,
                     .problems = {{field, "must be a load balancer OCID"}},
                     .generation = generation};
}

std::vector<std::string> SourceNames(const std::vector<SourceState>& states) {
  std::vector<std::string> out;
  for (const auto& s : states) out.push_back(s.source);
  return out;
}

TEST(BindingRegistryTest, UpsertIndexesANewSourceAndReturnsItsLoadBalancers) {
  BindingRegistry registry;
  EXPECT_EQ(registry.Upsert(Valid(kWeb, {ServicePortBinding(kLb1, "http", "shop", "web"),
                                         FixedPortBinding(kLb1, "https", 30443)})),
            Lbs{kLb1});
  EXPECT_TRUE(registry.Contains(kWeb));
  EXPECT_FALSE(registry.Contains("LBRegistrar/other"));
  EXPECT_EQ(registry.LoadBalancers(), Lbs{kLb1});
  EXPECT_EQ(SourceNames(registry.SourcesFor(kLb1)), std::vector<std::string>{kWeb});
  EXPECT_TRUE(registry.SourcesFor(kLb2).empty());
  auto state = registry.Get(kWeb);
  ASSERT_TRUE(state);
  ASSERT_EQ(state->bindings.size(), 2u);
  EXPECT_EQ(state->bindings[1].backend_set, "https");
  EXPECT_EQ(state->load_balancer_id(), kLb1);
  EXPECT_FALSE(registry.Get("LBRegistrar/other"));
}

TEST(BindingRegistryTest, MovingASourceAffectsTheOldAndTheNewLoadBalancer) {
  BindingRegistry registry;
  registry.Upsert(Valid(kWeb, {FixedPortBinding(kLb1, "http", 30080)}));
  EXPECT_EQ(registry.Upsert(Valid(kWeb, {FixedPortBinding(kLb2, "http", 30080)}, 2)), (Lbs{kLb1, kLb2}));
  EXPECT_TRUE(registry.SourcesFor(kLb1).empty());
  EXPECT_EQ(SourceNames(registry.SourcesFor(kLb2)), std::vector<std::string>{kWeb});
  EXPECT_EQ(registry.LoadBalancers(), Lbs{kLb2});
  // An unchanged re-upsert still names its load balancer: the caller re-plans it.
  EXPECT_EQ(registry.Upsert(Valid(kWeb, {FixedPortBinding(kLb2, "http", 30080)}, 3)), Lbs{kLb2});
}

// docs/design.md, Safety: "An invalid edit keeps the last valid registration."
TEST(BindingRegistryTest, AnInvalidEditFreezesTheLastValidBindingsAndReportsTheProblem) {
  BindingRegistry registry;
  const std::vector<Binding> good = {ServicePortBinding(kLb1, "http", "shop", "web"),
                                     FixedPortBinding(kLb1, "https", 30443)};
  registry.Upsert(Valid(kWeb, good, 1));

  // The edit breaks the spec: the parser returns problems and no bindings.
  EXPECT_EQ(registry.Upsert(Invalid(kWeb, "spec.loadBalancerId", 2)), Lbs{kLb1});
  auto frozen = registry.Get(kWeb);
  ASSERT_TRUE(frozen);
  EXPECT_EQ(frozen->bindings, good) << "the last valid bindings stay registered";
  EXPECT_TRUE(frozen->in_error()) << "so every set of these bindings is planned as incomplete (no removals)";
  ASSERT_EQ(frozen->problems.size(), 1u);
  EXPECT_EQ(frozen->problems[0].field, "spec.loadBalancerId") << "the new spec's problem is what gets reported";
  EXPECT_EQ(frozen->generation, 2);
  // Still routed: the frozen source's load balancer and Service keep their indexes.
  EXPECT_EQ(SourceNames(registry.SourcesFor(kLb1)), std::vector<std::string>{kWeb});
  EXPECT_EQ(registry.LoadBalancersForService("shop/web"), Lbs{kLb1});

  // A second invalid edit keeps the same frozen bindings and reports the newer problem.
  EXPECT_EQ(registry.Upsert(Invalid(kWeb, "spec.nodePort", 3)), Lbs{kLb1});
  frozen = registry.Get(kWeb);
  ASSERT_TRUE(frozen);
  EXPECT_EQ(frozen->bindings, good);
  ASSERT_EQ(frozen->problems.size(), 1u);
  EXPECT_EQ(frozen->problems[0].field, "spec.nodePort");
  EXPECT_EQ(frozen->generation, 3);

  // The fix replaces the frozen bindings and clears the error.
  const std::vector<Binding> fixed = {FixedPortBinding(kLb2, "http", 30080)};
  EXPECT_EQ(registry.Upsert(Valid(kWeb, fixed, 4)), (Lbs{kLb1, kLb2}));
  auto after = registry.Get(kWeb);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->bindings, fixed);
  EXPECT_FALSE(after->in_error());
  EXPECT_TRUE(registry.SourcesFor(kLb1).empty());
  EXPECT_TRUE(registry.LoadBalancersForService("shop/web").empty());
}

TEST(BindingRegistryTest, ASourceInvalidFromTheStartHasNothingToFreeze) {
  BindingRegistry registry;
  EXPECT_TRUE(registry.Upsert(Invalid(kWeb, "spec.loadBalancerId", 1)).empty());
  EXPECT_TRUE(registry.Contains(kWeb)) << "kept so its problem can be reported";
  auto state = registry.Get(kWeb);
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->in_error());
  EXPECT_TRUE(state->bindings.empty());
  EXPECT_EQ(state->load_balancer_id(), "");
  EXPECT_TRUE(registry.LoadBalancers().empty());
}

TEST(BindingRegistryTest, ProblemsThatComeWithBindingsReplaceRatherThanFreeze) {
  BindingRegistry registry;
  registry.Upsert(Valid(kWeb, {FixedPortBinding(kLb1, "http", 30080)}));
  SourceState next = Invalid(kWeb, "spec.weight", 2);
  next.bindings = {FixedPortBinding(kLb2, "http", 30080)};
  EXPECT_EQ(registry.Upsert(next), (Lbs{kLb1, kLb2}));
  auto state = registry.Get(kWeb);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->bindings, next.bindings);
  EXPECT_TRUE(state->in_error());
  EXPECT_EQ(registry.LoadBalancers(), Lbs{kLb2});
}

TEST(BindingRegistryTest, RemoveReturnsTheLoadBalancersItLeaves) {
  BindingRegistry registry;
  registry.Upsert(Valid(kWeb, {ServicePortBinding(kLb1, "http", "shop", "web")}));
  registry.Upsert(Valid("Service/shop/api", {FixedPortBinding(kLb1, "api", 30081)}));
  EXPECT_TRUE(registry.Remove("LBRegistrar/unknown").empty());

  EXPECT_EQ(registry.Remove(kWeb), Lbs{kLb1});
  EXPECT_FALSE(registry.Contains(kWeb));
  EXPECT_FALSE(registry.Get(kWeb));
  EXPECT_TRUE(registry.LoadBalancersForService("shop/web").empty());
  EXPECT_EQ(SourceNames(registry.SourcesFor(kLb1)), std::vector<std::string>{"Service/shop/api"})
      << "the other source keeps the load balancer indexed";
  EXPECT_EQ(registry.LoadBalancers(), Lbs{kLb1});

  EXPECT_EQ(registry.Remove("Service/shop/api"), Lbs{kLb1});
  EXPECT_TRUE(registry.LoadBalancers().empty());
  EXPECT_TRUE(registry.SourcesFor(kLb1).empty());
  EXPECT_TRUE(registry.Remove("Service/shop/api").empty()) << "a second remove finds nothing";
}

TEST(BindingRegistryTest, RemovingAFrozenSourceReleasesItsFrozenLoadBalancers) {
  BindingRegistry registry;
  registry.Upsert(Valid(kWeb, {FixedPortBinding(kLb1, "http", 30080)}));
  registry.Upsert(Invalid(kWeb, "spec.nodePort", 2));
  EXPECT_EQ(registry.Remove(kWeb), Lbs{kLb1});
  EXPECT_TRUE(registry.LoadBalancers().empty());
}

TEST(BindingRegistryTest, LoadBalancersForServiceFollowNamespaceAndName) {
  BindingRegistry registry;
  registry.Upsert(Valid(kWeb, {ServicePortBinding(kLb1, "http", "shop", "web")}));
  registry.Upsert(Valid("LBRegistrar/web-2", {ServicePortBinding(kLb2, "http", "shop", "web")}));
  registry.Upsert(Valid("LBRegistrar/fixed", {FixedPortBinding(kLb2, "fixed", 30090)}));
  EXPECT_EQ(registry.LoadBalancersForService("shop/web"), (Lbs{kLb1, kLb2}));
  EXPECT_TRUE(registry.LoadBalancersForService("default/web").empty());
  EXPECT_TRUE(registry.LoadBalancersForService("shop/we").empty());
  EXPECT_TRUE(registry.LoadBalancersForService("shop/web/").empty());

  // Re-pointing a binding at another Service moves the index with it.
  registry.Upsert(Valid(kWeb, {ServicePortBinding(kLb1, "http", "shop", "web-v2")}, 2));
  EXPECT_EQ(registry.LoadBalancersForService("shop/web"), Lbs{kLb2});
  EXPECT_EQ(registry.LoadBalancersForService("shop/web-v2"), Lbs{kLb1});
}

TEST(BindingRegistryTest, SourcesForListsEverySourceOfALoadBalancerOnce) {
  BindingRegistry registry;
  registry.Upsert(Valid("LBRegistrar/b", {FixedPortBinding(kLb1, "x", 30001), FixedPortBinding(kLb1, "y", 30002)}));
  registry.Upsert(Valid("LBRegistrar/a", {FixedPortBinding(kLb1, "z", 30003)}));
  registry.Upsert(Valid("LBRegistrar/c", {FixedPortBinding(kLb2, "z", 30003)}));
  EXPECT_EQ(SourceNames(registry.SourcesFor(kLb1)), (std::vector<std::string>{"LBRegistrar/a", "LBRegistrar/b"}));
  EXPECT_EQ(SourceNames(registry.SourcesFor(kLb2)), std::vector<std::string>{"LBRegistrar/c"});
  EXPECT_EQ(registry.LoadBalancers(), (Lbs{kLb1, kLb2}));
}

}  // namespace
}  // namespace ccm::cloud::registrar
