// The registrar end to end: real kube-apiserver + etcd, the OCI simulator, the controller as
// the binary wires it. Each test seeds its own load balancers and names its own nodes.
#include "test/integration/cloud/registrar_env.h"

namespace ccm::itest {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.e2e";
constexpr char kNlb[] = "ocid1.networkloadbalancer.oc1.phx.e2e";

class RegistrarTest : public RegistrarE2E {
 protected:
  std::string N(const std::string& s) { return ns_ + "-" + s; }
  std::string B(const std::string& ip, int port) { return ip + ":" + std::to_string(port); }

  int CreateService(const std::string& name, const std::string& type, const std::string& ports_json,
                    const std::string& annotations = "{}", const std::string& extra_spec = "") {
    EXPECT_TRUE(Api("POST", "/api/v1/namespaces/" + ns_ + "/services",
                    R"({"metadata":{"name":")" + name + R"(","annotations":)" + annotations + R"(},"spec":{"type":")" +
                        type + R"(","selector":{"app":"x"},"ports":)" + ports_json + extra_spec + "}}",
                    201));
    auto doc = json::Parse(last_body_, "svc");
    return (*doc)["spec"]["ports"][0]["nodePort"].GetInt();
  }
  void PutSlice(const std::string& service, const std::string& endpoints_json) {
    std::string body = R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":")" + service +
                       R"(-1","labels":{"kubernetes.io/service-name":")" + service +
                       R"("}},"addressType":"IPv4","endpoints":)" + endpoints_json + R"(,"ports":[{"name":"http","port":8080}]})";
    std::string path = "/apis/discovery.k8s.io/v1/namespaces/" + ns_ + "/endpointslices";
    auto r = plane_->Request("GET", path + "/" + service + "-1");
    if (r && r->status == 200) {
      auto doc = json::Parse(r->body, "slice");
      std::string rv = (*doc)["metadata"]["resourceVersion"].GetString();
      body.insert(body.find("\"name\""), "\"resourceVersion\":\"" + rv + "\",");
      ASSERT_TRUE(Api("PUT", path + "/" + service + "-1", body, 200));
    } else {
      ASSERT_TRUE(Api("POST", path, body, 201));
    }
  }
};

TEST_F(RegistrarTest, NodesJoinAndLeaveWithEligibilityRulesAndHandAddedBackendsKept) {
  SeedLoadBalancer(kLb, {"http"}, R"([{"ipAddress":"192.168.50.5","port":30080,"weight":7,"backup":true}])");
  CreateNode(N("a"), "10.1.0.1");
  CreateNode(N("notready"), "10.1.0.2", "{}", "False");  // NotReady stays registered
  CreateNode(N("excluded"), "10.1.0.3", R"({"node.kubernetes.io/exclude-from-external-load-balancers":"true"})");
  CreateNode(N("notexcluded"), "10.1.0.4", R"({"role":"web"})");
  // The label excludes on presence, whatever its value, as upstream.
  CreateNode(N("excludedfalse"), "10.1.0.6", R"({"node.kubernetes.io/exclude-from-external-load-balancers":"false"})");
  StartRegistrar();
  CreateRegistrar(N("web"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
  const std::string hand = "192.168.50.5:30080";
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.1.0.1", 30080), B("10.1.0.2", 30080), B("10.1.0.4", 30080), hand}));
  ASSERT_TRUE(Eventually([&] { return ConditionReason(N("web"), "Ready") == "BackendsRegistered"; }))
      << RegistrarJson(N("web"));

  CreateNode(N("b"), "10.1.0.5");
  ASSERT_TRUE(BackendsEventually(kLb, "http",
                                 {B("10.1.0.1", 30080), B("10.1.0.2", 30080), B("10.1.0.4", 30080), B("10.1.0.5", 30080), hand}));
  DeleteNode(N("a"));
  LabelNode(N("notexcluded"), R"({"node.kubernetes.io/exclude-from-external-load-balancers":"true"})");
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.1.0.2", 30080), B("10.1.0.5", 30080), hand}));

  // Everything else about the set survived the writes: the health checker and the hand-added
  // backend's own settings.
  std::string set = BackendSetJson(kLb, "http");
  EXPECT_NE(set.find("\"urlPath\":\"/healthz\""), std::string::npos) << set;
  EXPECT_NE(set.find("\"weight\":7"), std::string::npos) << set;
  // A heartbeat (status-only update) causes no OCI call at all.
  WaitQuiet();
  int64_t calls_before = OciCalls();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Api("PATCH", "/api/v1/nodes/" + N("b") + "/status",
                    R"({"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"ok",)"
                    R"("lastHeartbeatTime":"2026-01-01T00:00:0)" + std::to_string(i + 1) +
                        R"(Z","lastTransitionTime":"2026-01-01T00:00:00Z"}]}})",
                    200, "application/strategic-merge-patch+json"));
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(OciCalls(), calls_before) << sim_->service().counters().Json();
}

TEST_F(RegistrarTest, NetworkLoadBalancerByInstanceAndServicePortWithoutTopLevelBackendSet) {
  SeedLoadBalancer(kNlb, {"tcp-443"});
  CreateNode(N("a"), "10.2.0.1");
  CreateNode(N("b"), "10.2.0.2");
  int node_port = CreateService("web", "NodePort", R"([{"name":"https","port":443,"targetPort":8443,"protocol":"TCP"}])");
  StartRegistrar();
  CreateRegistrar(N("multi"), std::string(R"({"loadBalancerId":")") + kNlb + R"(","services":[{"name":"web","namespace":")" +
                                  ns_ + R"(","port":"https","backendSetName":"tcp-443","weight":3}]})");
  std::string ia = "ocid1.instance.oc1.phx." + N("a"), ib = "ocid1.instance.oc1.phx." + N("b");
  ASSERT_TRUE(BackendsEventually(kNlb, "tcp-443", {B(ia, node_port), B(ib, node_port)}));
  std::string set = BackendSetJson(kNlb, "tcp-443");
  EXPECT_NE(set.find("\"weight\":3"), std::string::npos) << set;
  EXPECT_NE(set.find("FIVE_TUPLE"), std::string::npos) << set;
}

TEST_F(RegistrarTest, EndpointFilterFollowsARolloutAndNeverEmptiesTheSet) {
  SeedLoadBalancer(kLb, {"http"});
  CreateNode(N("a"), "10.3.0.1");
  CreateNode(N("b"), "10.3.0.2");
  int port = CreateService("app", "NodePort", R"([{"name":"http","port":80,"targetPort":8080}])");
  PutSlice("app", R"([{"addresses":["10.244.0.1"],"nodeName":")" + N("a") + R"(","conditions":{"ready":true}}])");
  StartRegistrar();
  CreateRegistrar(N("filtered"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","services":[{"name":"app","namespace":")" +
                                     ns_ + R"(","port":80,"filterByEndpoints":true}]})");
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.3.0.1", port)}));
  // The pod moves to node b.
  PutSlice("app", R"([{"addresses":["10.244.0.1"],"nodeName":")" + N("a") + R"(","conditions":{"ready":false}},
                      {"addresses":["10.244.1.1"],"nodeName":")" + N("b") + R"(","conditions":{"ready":true}}])");
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.3.0.2", port)}));
  // Mid-rollout nothing is ready: the set keeps what it has rather than going empty.
  PutSlice("app", R"([{"addresses":["10.244.1.1"],"nodeName":")" + N("b") + R"(","conditions":{"ready":false}}])");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(Backends(kLb, "http"), (std::vector<std::string>{B("10.3.0.2", port)}));
  EXPECT_TRUE(Eventually([&] { return ConditionReason(N("filtered"), "Degraded") == "NoEligibleNodes" ||
                                      ConditionReason(N("filtered"), "Degraded") == "RemovalWithheld"; }))
      << RegistrarJson(N("filtered"));
}

TEST_F(RegistrarTest, TwoResourcesOnOneLoadBalancerConvergeWithoutA409Storm) {
  SeedLoadBalancer(kLb, {"http", "https"});
  for (int i = 1; i <= 20; ++i) CreateNode(N("n" + std::to_string(i)), "10.4.0." + std::to_string(i));
  StartRegistrar();
  CreateRegistrar(N("http"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
  CreateRegistrar(N("https"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"https","nodePort":30443})");
  std::vector<std::string> http, https;
  for (int i = 1; i <= 20; ++i) {
    http.push_back(B("10.4.0." + std::to_string(i), 30080));
    https.push_back(B("10.4.0." + std::to_string(i), 30443));
  }
  ASSERT_TRUE(BackendsEventually(kLb, "http", http));
  ASSERT_TRUE(BackendsEventually(kLb, "https", https));
  auto& c = sim_->service().counters();
  int64_t conflicts = 0;
  for (const char* op : {"UpdateBackendSet", "CreateBackend", "UpdateBackend", "DeleteBackend"}) conflicts += c.Count(op, 409);
  EXPECT_EQ(conflicts, 0) << c.Json();
  // One write per backend set, with at most one follow-up each for nodes the first write missed.
  EXPECT_LE(Writes(), 4) << c.Json();
}

TEST_F(RegistrarTest, DeletingTheResourceDeregistersThroughItsFinalizer) {
  SeedLoadBalancer(kLb, {"http"}, R"([{"ipAddress":"192.168.50.9","port":30080}])");
  CreateNode(N("a"), "10.5.0.1");
  StartRegistrar();
  CreateRegistrar(N("gone"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.5.0.1", 30080), "192.168.50.9:30080"}));
  EXPECT_NE(RegistrarJson(N("gone")).find("nodes.peppy-ratio.dev/registrar-cleanup"), std::string::npos);
  ASSERT_TRUE(Api("DELETE", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/" + N("gone"), "", 200));
  ASSERT_TRUE(BackendsEventually(kLb, "http", {"192.168.50.9:30080"}));
  EXPECT_TRUE(Eventually([&] {
    auto r = plane_->Request("GET", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/" + N("gone"));
    return r && r->status == 404;
  }));
}

TEST_F(RegistrarTest, AnnotatedServiceRegistersPublishesIngressAndCleansUpOnDelete) {
  SeedLoadBalancer(kNlb, {"web-http"});
  CreateNode(N("a"), "10.6.0.1");
  StartRegistrar({.allowed_load_balancers = {kNlb}});
  int port = CreateService("edge", "LoadBalancer", R"([{"name":"http","port":80,"targetPort":8080}])",
                           std::string(R"({"nodes.peppy-ratio.dev/load-balancer-id":")") + kNlb +
                               R"(","nodes.peppy-ratio.dev/backend-sets":"http=web-http"})");
  ASSERT_TRUE(BackendsEventually(kNlb, "web-http", {B("ocid1.instance.oc1.phx." + N("a"), port)}));
  std::string svc_path = "/api/v1/namespaces/" + ns_ + "/services/edge";
  ASSERT_TRUE(Eventually([&] {
    auto r = plane_->Request("GET", svc_path);
    return r && r->body.find("203.0.113.7") != std::string::npos &&
           r->body.find("nodes.peppy-ratio.dev/registrar-cleanup") != std::string::npos;
  })) << plane_->Request("GET", svc_path)->body;
  ASSERT_TRUE(Api("DELETE", svc_path, "", 200));
  ASSERT_TRUE(BackendsEventually(kNlb, "web-http", {}));
  EXPECT_TRUE(Eventually([&] {
    auto r = plane_->Request("GET", svc_path);
    return r && r->status == 404;
  }));
}

TEST_F(RegistrarTest, ANodeRemovedWhileTheControllerWasDownIsRemovedAfterRestart) {
  SeedLoadBalancer(kLb, {"http"});
  CreateNode(N("a"), "10.7.0.1");
  CreateNode(N("b"), "10.7.0.2");
  StartRegistrar();
  CreateRegistrar(N("web"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.7.0.1", 30080), B("10.7.0.2", 30080)}));
  StopRegistrar();
  DeleteNode(N("b"));
  int64_t writes_before = Writes();
  StartRegistrar();
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.7.0.1", 30080)}));
  EXPECT_EQ(Writes(), writes_before + 1);
}

TEST_F(RegistrarTest, RestartWithNothingChangedWritesNothing) {
  SeedLoadBalancer(kLb, {"http"});
  CreateNode(N("a"), "10.8.0.1");
  StartRegistrar();
  CreateRegistrar(N("web"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","nodePort":30080})");
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.8.0.1", 30080)}));
  ASSERT_TRUE(Eventually([&] { return ConditionReason(N("web"), "Ready") == "BackendsRegistered"; }));
  StopRegistrar();
  int64_t writes = Writes();
  StartRegistrar();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(Writes(), writes);
}

TEST_F(RegistrarTest, BadInputEndsInAConditionNamingTheCauseAndNoOciWrite) {
  SeedLoadBalancer(kLb, {"http"});
  // Credentials are per load balancer (one writer, one identity): the apiKey case gets its own.
  const std::string keyed_lb = "ocid1.loadbalancer.oc1.phx.keyed";
  SeedLoadBalancer(keyed_lb, {"http"});
  const std::string not_allowed_lb = "ocid1.loadbalancer.oc1.phx.notallowed";
  SeedLoadBalancer(not_allowed_lb, {"http"});
  CreateNode(N("a"), "10.9.0.1");
  StartRegistrar({.allowed_load_balancers = {kLb, "ocid1.loadbalancer.oc1.phx.absent"}});
  struct Case {
    std::string name, spec, reason;
  };
  std::vector<Case> cases = {
      {N("nosvc"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"http","services":[{"name":"missing","namespace":")" + ns_ + R"("}]})",
       "ServiceNotFound"},
      {N("noset"), std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"typo","nodePort":30080})", "BackendSetNotFound"},
      {N("nolb"), R"({"loadBalancerId":"ocid1.loadbalancer.oc1.phx.absent","backendSetName":"http","nodePort":30080})",
       "LoadBalancerNotFound"},
      {N("secretns"), R"({"loadBalancerId":")" + keyed_lb + R"(","backendSetName":"http","nodePort":30081,"apiKey":{"user":"ocid1.user.oc1..u","fingerprint":"aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99","tenancy":"ocid1.tenancy.oc1..t","region":"us-phoenix-1","privateKey":{"namespace":"default","secretKeyRef":{"name":"k","key":"pem"}}}})",
       "SecretNamespaceNotAllowed"},
      // Without an apiKey it acts with the controller's identity: bound by the allow-list.
      {N("notallowed"), R"({"loadBalancerId":")" + not_allowed_lb + R"(","backendSetName":"http","nodePort":30080})",
       "LoadBalancerNotAllowed"},
  };
  for (const auto& c : cases) CreateRegistrar(c.name, c.spec);
  for (const auto& c : cases) {
    EXPECT_TRUE(Eventually([&] { return ConditionReason(c.name, "Degraded") == c.reason; }))
        << c.name << ": " << RegistrarJson(c.name);
  }
  EXPECT_NE(ConditionField(N("notallowed"), "Degraded", "message").find("registrar.allowedLoadBalancers"), std::string::npos)
      << RegistrarJson(N("notallowed"));
  // An annotated Service may not target a load balancer the cloud-config does not allow.
  CreateService("sneaky", "LoadBalancer", R"([{"name":"http","port":80}])",
                R"({"nodes.peppy-ratio.dev/load-balancer-id":")" + not_allowed_lb +
                    R"(","nodes.peppy-ratio.dev/backend-sets":"http=http"})");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(Writes(), 0) << sim_->service().counters().Json();
  EXPECT_EQ(Backends(kLb, "http"), std::vector<std::string>{});
  EXPECT_EQ(Backends(not_allowed_lb, "http"), std::vector<std::string>{});
  // Nor does it get the address of a load balancer it may not use.
  ASSERT_TRUE(Api("GET", "/api/v1/namespaces/" + ns_ + "/services/sneaky", "", 200));
  EXPECT_EQ(last_body_.find("203.0.113.7"), std::string::npos) << last_body_;

  // What the schema can say, it says: the API server rejects these outright.
  for (const std::string& spec : {
           std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"a","nodePort":70000})",
           std::string(R"({"loadBalancerId":"not-an-ocid","backendSetName":"a","nodePort":30080})"),
           std::string(R"({"loadBalancerId":")") + kLb + R"(","services":[{"name":"x"}]})",
       }) {
    auto r = plane_->Request("POST", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars",
                             R"({"apiVersion":"nodes.peppy-ratio.dev/v1alpha1","kind":"LBRegistrar","metadata":{"generateName":"bad-"},"spec":)" + spec + "}");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << spec << " -> " << r->body;
  }
}

// Two spellings the Go operator's CRD accepts together: applied with kubectl they draw a
// warning, the Go operator's precedence decides (services over service, nodePort over port),
// and the resource gets a SpecFieldIgnored Event naming the ignored field.
TEST_F(RegistrarTest, TheGoOperatorsPrecedenceDecidesWithAWarningAndAnEvent) {
  SeedLoadBalancer(kLb, {"http", "legacy"});
  CreateNode(N("a"), "10.10.0.1");
  int port = CreateService("web", "NodePort", R"([{"name":"http","port":80,"targetPort":8080}])");
  StartRegistrar();
  auto apply = [&](const std::string& name, const std::string& spec_yaml) {
    auto out = plane_->Kubectl({"apply", "-f", "-"},
                               "apiVersion: nodes.peppy-ratio.dev/v1alpha1\nkind: LBRegistrar\nmetadata:\n  name: " + name +
                                   "\nspec:\n  loadBalancerId: " + kLb + "\n" + spec_yaml);
    registrars_created_.push_back(name);
    EXPECT_TRUE(out) << out.error().ToString();
    return out.value_or("");
  };
  std::string both_services = apply(N("both-services"), "  backendSetName: http\n  service: {name: missing, namespace: " + ns_ +
                                                            "}\n  services:\n  - {name: web, namespace: " + ns_ + ", port: http}\n");
  EXPECT_NE(both_services.find("Warning:"), std::string::npos) << both_services;
  EXPECT_NE(both_services.find("spec.service is ignored because spec.services is set"), std::string::npos) << both_services;
  std::string both_ports = apply(N("both-ports"), "  backendSetName: legacy\n  nodePort: 30080\n  port: 30081\n");
  EXPECT_NE(both_ports.find("Warning:"), std::string::npos) << both_ports;
  EXPECT_NE(both_ports.find("spec.port is ignored because spec.nodePort is set"), std::string::npos) << both_ports;

  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.10.0.1", port)}));
  ASSERT_TRUE(BackendsEventually(kLb, "legacy", {B("10.10.0.1", 30080)}));
  auto events = [&](const std::string& name) {
    Api("GET", "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + name, "", 200);
    return last_body_;
  };
  EXPECT_TRUE(Eventually([&] {
    return events(N("both-services")).find("spec.service is ignored because spec.services is set") != std::string::npos;
  })) << events(N("both-services"));
  EXPECT_TRUE(Eventually([&] {
    return events(N("both-ports")).find("spec.port (30081) is ignored because spec.nodePort (30080) is set") != std::string::npos;
  })) << events(N("both-ports"));
  EXPECT_NE(events(N("both-ports")).find("SpecFieldIgnored"), std::string::npos);
}

// A type LoadBalancer Service named in an LBRegistrar gets the load balancer's address as its
// ingress, as an annotated one does; cleared by someone, it comes back.
TEST_F(RegistrarTest, ALoadBalancerServiceNamedByAnLBRegistrarGetsItsIngress) {
  SeedLoadBalancer(kLb, {"http"});
  CreateNode(N("a"), "10.11.0.1");
  int port = CreateService("shop", "LoadBalancer", R"([{"name":"http","port":80,"targetPort":8080}])");
  StartRegistrar();
  CreateRegistrar(N("shop"), std::string(R"({"loadBalancerId":")") + kLb + R"(","services":[{"name":"shop","namespace":")" + ns_ +
                                 R"(","port":"http","backendSetName":"http"}]})");
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.11.0.1", port)}));
  const std::string path = "/api/v1/namespaces/" + ns_ + "/services/shop";
  auto ingress = [&] {
    Api("GET", path, "", 200);
    return last_body_.find(R"("ingress":[{"ip":"203.0.113.7")") != std::string::npos;
  };
  ASSERT_TRUE(Eventually(ingress)) << last_body_;
  ASSERT_TRUE(Api("PATCH", path + "/status", R"({"status":{"loadBalancer":{"ingress":null}}})", 200,
                  "application/merge-patch+json"));
  // The next report (a node joining) puts it back.
  CreateNode(N("b"), "10.11.0.2");
  ASSERT_TRUE(BackendsEventually(kLb, "http", {B("10.11.0.1", port), B("10.11.0.2", port)}));
  EXPECT_TRUE(Eventually(ingress)) << last_body_;
}

}  // namespace
}  // namespace ccm::itest
