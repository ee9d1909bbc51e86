#include "pkg/cloud/registrar/desired_state.h"

#include <gtest/gtest.h>

#include "test/support/param_names.h"

#include "pkg/base/json.h"

namespace ccm::cloud::registrar {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.aaaalb";
constexpr char kNlb[] = "ocid1.networkloadbalancer.oc1.phx.aaaanlb";

NodePtr MakeNode(const std::string& name, const std::string& ip, const std::string& extra_metadata = "",
                 const std::string& extra_spec = "", const std::string& ready = "True") {
  std::string j = R"({"metadata":{"name":")" + name + R"(","uid":"u-)" + name + "\"" + extra_metadata +
                  R"(},"spec":{"providerID":"oci://ocid1.instance.oc1.phx.)" + name + "\"" + extra_spec +
                  R"(},"status":{"addresses":[{"type":"InternalIP","address":")" + ip +
                  R"("},{"type":"Hostname","address":")" + name + R"("}],"conditions":[{"type":"Ready","status":")" +
                  ready + R"("}]}})";
  auto doc = json::Parse(j, "node");
  EXPECT_TRUE(doc) << j;
  auto node = kube::ProjectNode(*doc);
  EXPECT_TRUE(node) << node.error().ToString();
  return std::make_shared<const kube::Node>(std::move(*node));
}

ServicePtr MakeService(const std::string& ns, const std::string& name, const std::string& ports,
                       const std::string& policy = "Cluster") {
  std::string j = R"({"metadata":{"namespace":")" + ns + R"(","name":")" + name +
                  R"(","uid":"s1"},"spec":{"type":"NodePort","externalTrafficPolicy":")" + policy +
                  R"(","ports":)" + ports + "}}";
  auto doc = json::Parse(j, "svc");
  auto svc = kube::ProjectService(*doc);
  EXPECT_TRUE(svc) << svc.error().ToString();
  return std::make_shared<const kube::Service>(std::move(*svc));
}

SlicePtr MakeSlice(const std::string& ns, const std::string& svc, const std::string& endpoints) {
  std::string j = R"({"metadata":{"namespace":")" + ns + R"(","name":")" + svc +
                  R"(-x","labels":{"kubernetes.io/service-name":")" + svc + R"("}},"endpoints":)" + endpoints + "}";
  auto doc = json::Parse(j, "slice");
  auto s = kube::ProjectEndpointSlice(*doc);
  EXPECT_TRUE(s) << s.error().ToString();
  return std::make_shared<const kube::EndpointSlice>(std::move(*s));
}

std::vector<BindingResult> ComputePerSetAndCollect(const std::vector<Binding>& bindings, const ClusterView& view,
                                                   std::map<BackendSetKey, DesiredBackendSet>& sets) {
  return ComputeDesiredStatePerSet(bindings, view, [&](DesiredBackendSet&& set) {
    BackendSetKey key = set.key;
    sets[key] = std::move(set);
  });
}

Binding FixedPort(const std::string& lb, const std::string& set, int port, int weight = 1) {
  return Binding{.source = "LBRegistrar/r", .field = "spec", .load_balancer_id = lb, .backend_set = set,
                 .node_port = port, .weight = weight};
}

Binding ForService(const std::string& set, PortRef port, bool filter = false) {
  return Binding{.source = "LBRegistrar/s", .field = "spec.services[0]", .load_balancer_id = kLb, .backend_set = set,
                 .service = ServiceTarget{.namespace_name = "shop", .name = "web", .port = port},
                 .filter_by_endpoints = filter};
}

std::vector<std::string> Names(const DesiredBackendSet& s) {
  std::vector<std::string> out;
  for (const auto& b : s.backends) out.push_back(b.Key());
  return out;
}

struct Fixture {
  ClusterView view;
  std::vector<ServicePtr> services;
  std::vector<SlicePtr> slices;
  Fixture() {
    view.service = [this](const std::string& ns, const std::string& name) -> ServicePtr {
      for (auto& s : services) {
        if (s->namespace_name == ns && s->name == name) return s;
      }
      return nullptr;
    };
    view.endpoint_slices = [this](const std::string& ns, const std::string& name) {
      std::vector<SlicePtr> out;
      for (auto& s : slices) {
        if (s->namespace_name == ns && s->service_name == name) out.push_back(s);
      }
      return out;
    };
  }
};

TEST(DesiredStateTest, EligibilityFollowsTheUpstreamServiceController) {
  Fixture f;
  f.view.nodes = {
      MakeNode("ready", "10.0.0.1"),
      MakeNode("notready", "10.0.0.2", "", "", "False"),                       // stays
      MakeNode("cordoned", "10.0.0.3", "", R"(,"unschedulable":true)"),        // stays
      MakeNode("excluded", "10.0.0.4", R"(,"labels":{"node.kubernetes.io/exclude-from-external-load-balancers":"true"})"),
      // The label excludes on presence, whatever its value, as upstream.
      MakeNode("exclude-false", "10.0.0.5", R"(,"labels":{"node.kubernetes.io/exclude-from-external-load-balancers":"false"})"),
      MakeNode("exclude-empty", "10.0.0.10", R"(,"labels":{"node.kubernetes.io/exclude-from-external-load-balancers":""})"),
      MakeNode("exclude-garbage", "10.0.0.6", R"(,"labels":{"node.kubernetes.io/exclude-from-external-load-balancers":"maybe"})"),
      MakeNode("deleting", "10.0.0.7", R"(,"deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["x"])"),
      MakeNode("autoscaled", "10.0.0.8", "", R"(,"taints":[{"key":"ToBeDeletedByClusterAutoscaler","value":"1","effect":"NoSchedule"}])"),
      MakeNode("noip", ""),
      MakeNode("uninitialized", "10.0.0.9", "",
               R"(,"taints":[{"key":"node.cloudprovider.kubernetes.io/uninitialized","value":"true","effect":"NoSchedule"}])"),
  };
  auto state = ComputeDesiredState({FixedPort(kLb, "bs", 30080)}, f.view);
  const auto& set = state.sets.at({kLb, "bs"});
  EXPECT_EQ(Names(set), (std::vector<std::string>{"10.0.0.1:30080", "10.0.0.2:30080", "10.0.0.3:30080"}));
  EXPECT_TRUE(set.inputs_complete);
  EXPECT_EQ(state.bindings.at(0).backends, 3);
}

TEST(DesiredStateTest, NodeSelectorNarrowsAndNlbCarriesTargetId) {
  Fixture f;
  f.view.nodes = {MakeNode("edge-1", "10.0.0.1", R"(,"labels":{"role":"edge"})"), MakeNode("worker-1", "10.0.0.2")};
  Binding b = FixedPort(kNlb, "bs", 30443, 4);
  b.node_selector = {{"role", "edge"}};
  auto state = ComputeDesiredState({b}, f.view);
  const auto& set = state.sets.at({kNlb, "bs"});
  ASSERT_EQ(set.backends.size(), 1u);
  EXPECT_EQ(set.backends[0].ip, "10.0.0.1");
  EXPECT_EQ(set.backends[0].weight, 4);
  EXPECT_EQ(set.backends[0].target_id, "ocid1.instance.oc1.phx.edge-1");
  // Classic load balancers take no targetId.
  auto classic = ComputeDesiredState({FixedPort(kLb, "bs", 30443)}, f.view);
  EXPECT_EQ(classic.sets.at({kLb, "bs"}).backends[0].target_id, "");
}

TEST(DesiredStateTest, ServicePortByNameOrNumberGivesItsNodePort) {
  Fixture f;
  f.view.nodes = {MakeNode("n1", "10.0.0.1")};
  f.services = {MakeService("shop", "web", R"([{"name":"http","port":80,"nodePort":31080,"protocol":"TCP"},
                                              {"name":"https","port":443,"nodePort":31443,"protocol":"TCP"}])")};
  auto by_name = ComputeDesiredState({ForService("bs", {.name = "https"})}, f.view);
  EXPECT_EQ(Names(by_name.sets.at({kLb, "bs"})), (std::vector<std::string>{"10.0.0.1:31443"}));
  auto by_number = ComputeDesiredState({ForService("bs", {.number = 80})}, f.view);
  EXPECT_EQ(Names(by_number.sets.at({kLb, "bs"})), (std::vector<std::string>{"10.0.0.1:31080"}));
}

struct BadCase {
  const char* name;
  std::string ports;
  PortRef ref;
  bool service_exists;
  const char* reason;
};

class DesiredStateBadServiceTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(DesiredStateBadServiceTest, UnresolvedBindingMarksTheSetIncomplete) {
  Fixture f;
  f.view.nodes = {MakeNode("n1", "10.0.0.1")};
  if (GetParam().service_exists) f.services = {MakeService("shop", "web", GetParam().ports)};
  auto state = ComputeDesiredState({ForService("bs", GetParam().ref)}, f.view);
  EXPECT_EQ(state.bindings.at(0).reason, GetParam().reason) << state.bindings.at(0).message;
  EXPECT_FALSE(state.bindings.at(0).message.empty());
  const auto& set = state.sets.at({kLb, "bs"});
  EXPECT_FALSE(set.inputs_complete);
  EXPECT_TRUE(set.backends.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, DesiredStateBadServiceTest,
    ::testing::Values(
        BadCase{"missing", "[]", {.number = 80}, false, kReasonServiceNotFound},
        BadCase{"port name absent", R"([{"name":"http","port":80,"nodePort":31080}])", {.name = "grpc"}, true, kReasonServicePortNotFound},
        BadCase{"port number absent", R"([{"name":"http","port":80,"nodePort":31080}])", {.number = 81}, true, kReasonServicePortNotFound},
        BadCase{"ambiguous", R"([{"name":"a","port":80,"nodePort":31080},{"name":"b","port":81,"nodePort":31081}])", {}, true, kReasonServicePortRequired},
        BadCase{"clusterip port", R"([{"name":"http","port":80}])", {.name = "http"}, true, kReasonNoNodePort}),
    ccm::testing::NameFromField());

TEST(DesiredStateTest, EndpointFilterKeepsOnlyNodesWithReadyEndpoints) {
  Fixture f;
  f.view.nodes = {MakeNode("n1", "10.0.0.1"), MakeNode("n2", "10.0.0.2"), MakeNode("n3", "10.0.0.3")};
  f.services = {MakeService("shop", "web", R"([{"name":"http","port":80,"nodePort":31080}])")};
  f.slices = {MakeSlice("shop", "web", R"([{"addresses":["10.1.0.1"],"nodeName":"n1","conditions":{"ready":true}},
                                           {"addresses":["10.1.0.2"],"nodeName":"n2","conditions":{"ready":false}},
                                           {"addresses":["10.1.0.3"],"nodeName":"n3"}])")};
  auto state = ComputeDesiredState({ForService("bs", {.name = "http"}, true)}, f.view);
  EXPECT_EQ(Names(state.sets.at({kLb, "bs"})), (std::vector<std::string>{"10.0.0.1:31080", "10.0.0.3:31080"}));
}

TEST(DesiredStateTest, ExternalTrafficPolicyLocalImpliesTheEndpointFilter) {
  Fixture f;
  f.view.nodes = {MakeNode("n1", "10.0.0.1"), MakeNode("n2", "10.0.0.2")};
  f.services = {MakeService("shop", "web", R"([{"name":"http","port":80,"nodePort":31080}])", "Local")};
  f.slices = {MakeSlice("shop", "web", R"([{"addresses":["10.1.0.2"],"nodeName":"n2"}])")};
  auto state = ComputeDesiredState({ForService("bs", {.name = "http"})}, f.view);
  EXPECT_EQ(Names(state.sets.at({kLb, "bs"})), (std::vector<std::string>{"10.0.0.2:31080"}));
}

TEST(DesiredStateTest, EmptyEndpointListDuringRolloutYieldsNoBackendsButReportsWhy) {
  Fixture f;
  f.view.nodes = {MakeNode("n1", "10.0.0.1")};
  f.services = {MakeService("shop", "web", R"([{"name":"http","port":80,"nodePort":31080}])")};
  auto state = ComputeDesiredState({ForService("bs", {.name = "http"}, true)}, f.view);
  EXPECT_TRUE(state.sets.at({kLb, "bs"}).backends.empty());
  EXPECT_FALSE(state.sets.at({kLb, "bs"}).allow_empty);  // the planner will hold removals
  EXPECT_EQ(state.bindings[0].reason, kReasonNoEligibleNodes);
}

TEST(DesiredStateTest, BindingsOnOneSetMergeAndConflictingWeightsAreReported) {
  Fixture f;
  f.view.nodes = {MakeNode("n1", "10.0.0.1")};
  Binding a = FixedPort(kLb, "bs", 30080, 2);
  Binding b = FixedPort(kLb, "bs", 30080, 5);
  b.source = "Service/x/y";
  Binding c = FixedPort(kLb, "bs", 30090, 1);
  auto state = ComputeDesiredState({a, b, c}, f.view);
  const auto& set = state.sets.at({kLb, "bs"});
  ASSERT_EQ(set.backends.size(), 2u);
  EXPECT_EQ(set.backends[0].weight, 5);
  EXPECT_EQ(state.bindings[1].reason, kReasonWeightConflict);
  EXPECT_EQ(set.sources.size(), 2u);
}

TEST(DesiredStateTest, AllowEmptyRequiresEveryBindingToAllowIt) {
  Fixture f;
  Binding a = FixedPort(kLb, "bs", 30080);
  a.allow_empty = true;
  Binding b = FixedPort(kLb, "bs", 30081);
  EXPECT_FALSE(ComputeDesiredState({a, b}, f.view).sets.at({kLb, "bs"}).allow_empty);
  EXPECT_TRUE(ComputeDesiredState({a}, f.view).sets.at({kLb, "bs"}).allow_empty);
}

TEST(DesiredStateTest, AnyBindingOfASetAdoptingMakesTheSetAdopt) {
  Fixture f;
  Binding a = FixedPort(kLb, "bs", 30080);
  Binding b = FixedPort(kLb, "bs", 30081);
  EXPECT_FALSE(ComputeDesiredState({a, b}, f.view).sets.at({kLb, "bs"}).adopt_existing);
  b.adopt_existing = true;
  EXPECT_TRUE(ComputeDesiredState({a, b}, f.view).sets.at({kLb, "bs"}).adopt_existing);
}

TEST(DesiredStateTest, BackendsAreSortedByNameAsOciNamesThem) {
  Fixture f;
  f.view.nodes = {MakeNode("a", "10.0.0.10"), MakeNode("b", "10.0.0.1"), MakeNode("c", "10.0.0.9")};
  auto state = ComputeDesiredState({FixedPort(kLb, "bs", 30080)}, f.view);
  std::vector<std::string> names;
  for (const auto& d : state.sets.at({kLb, "bs"}).backends) names.push_back(d.Key());
  // String order: "10.0.0.1:" sorts after "10.0.0.10" because ':' > '0'.
  EXPECT_EQ(names, (std::vector<std::string>{"10.0.0.10:30080", "10.0.0.1:30080", "10.0.0.9:30080"}));
}

TEST(DesiredStateTest, PerSetComputationEqualsTheWholeComputation) {
  Fixture f;
  f.view.nodes = {MakeNode("n1", "10.0.0.1"), MakeNode("n2", "10.0.0.2"),
                  MakeNode("n3", "10.0.0.3", R"(,"labels":{"pool":"b"})")};
  Binding a = FixedPort(kLb, "bs", 30080, 2);
  Binding b = FixedPort(kLb, "bs", 30080, 5);
  b.source = "Service/x/y";
  Binding c = FixedPort(kNlb, "other", 31000);
  c.node_selector = {{"pool", "b"}};
  Binding d = ForService("svc", PortRef{.number = 80});
  auto whole = ComputeDesiredState({a, b, c, d}, f.view);
  std::map<BackendSetKey, DesiredBackendSet> sets;
  auto results = ComputePerSetAndCollect({a, b, c, d}, f.view, sets);
  ASSERT_EQ(sets.size(), whole.sets.size());
  for (const auto& [key, set] : whole.sets) {
    ASSERT_TRUE(sets.contains(key)) << key.ToString();
    EXPECT_EQ(sets.at(key).backends, set.backends) << key.ToString();
    EXPECT_EQ(sets.at(key).sources, set.sources) << key.ToString();
    EXPECT_EQ(sets.at(key).inputs_complete, set.inputs_complete) << key.ToString();
    EXPECT_EQ(HashDesired(sets.at(key)), HashDesired(set)) << key.ToString();
  }
  ASSERT_EQ(results.size(), whole.bindings.size());
  std::map<std::string, std::string> reasons_whole, reasons_per_set;
  for (const auto& r : whole.bindings) reasons_whole[r.source + r.field + r.target.ToString()] = r.reason;
  for (const auto& r : results) reasons_per_set[r.source + r.field + r.target.ToString()] = r.reason;
  EXPECT_EQ(reasons_per_set, reasons_whole);
}

TEST(DesiredStateTest, HashChangesWithEveryInputTheWriterActsOn) {
  Fixture f;
  f.view.nodes = {MakeNode("n1", "10.0.0.1"), MakeNode("n2", "10.0.0.2")};
  DesiredBackendSet base = ComputeDesiredState({FixedPort(kLb, "bs", 30080)}, f.view).sets.at({kLb, "bs"});
  const size_t h = HashDesired(base);
  auto changed = [&](auto edit) {
    DesiredBackendSet s = base;
    edit(s);
    return HashDesired(s) != h;
  };
  EXPECT_TRUE(changed([](DesiredBackendSet& s) { s.backends.pop_back(); }));
  EXPECT_TRUE(changed([](DesiredBackendSet& s) { s.backends[0].port = 30081; }));
  EXPECT_TRUE(changed([](DesiredBackendSet& s) { s.backends[0].weight = 3; }));
  EXPECT_TRUE(changed([](DesiredBackendSet& s) { s.backends[0].ip = "10.0.0.9"; }));
  EXPECT_TRUE(changed([](DesiredBackendSet& s) { s.exclusive = true; }));
  EXPECT_TRUE(changed([](DesiredBackendSet& s) { s.adopt_existing = true; }));
  EXPECT_TRUE(changed([](DesiredBackendSet& s) { s.inputs_complete = false; }));
  EXPECT_TRUE(changed([](DesiredBackendSet& s) { s.sources.push_back("Service/a/b"); }));
  DesiredBackendSet dropped = base;
  dropped.dropped_hash = h;
  dropped.dropped_count = 2;
  dropped.backends.clear();
  EXPECT_EQ(HashDesired(dropped), h);
  EXPECT_EQ(dropped.size(), 2);
}

}  // namespace
}  // namespace ccm::cloud::registrar
