// The Go operator's README examples, applied with kubectl exactly as its users have them: its
// two LBRegistrars and its API-key Secret in key-namespace (created with the README's own
// kubectl command), against the controller running as its ServiceAccount under the shipped
// RBAC plus the one RoleBinding docs/migrating.md adds for that namespace. Only the key's
// fingerprint differs from the README's text: "aa:bb:cc:dd:ee" cannot be a key's fingerprint
// (the bad-input corpus covers that value as it is). Both converge; deleting each returns and
// removes only what it registered.
#include <filesystem>
#include <fstream>

#include "test/integration/cloud/registrar_env.h"

namespace ccm::itest {
namespace {

// The README's load balancer, user and tenancy, as written there; the simulator holds them.
constexpr char kLb[] = "ocid1.loadbalancer.oc1.ap-tokyo-1.xxxxx";
constexpr char kReadmeUser[] = "ocid1.user.oc1..xxxxx";
constexpr char kReadmeTenancy[] = "ocid1.tenancy.oc1..xxxxx";

constexpr char kSingleServiceExample[] = R"(apiVersion: nodes.peppy-ratio.dev/v1alpha1
kind: LBRegistrar
metadata:
  name: my-app-registrar
spec:
  loadBalancerId: "ocid1.loadbalancer.oc1.ap-tokyo-1.xxxxx"
  backendSetName: "my-backend-set"
  weight: 1
  apiKey:
    user: "ocid1.user.oc1..xxxxx"
    fingerprint: "aa:bb:cc:dd:ee"
    tenancy: "ocid1.tenancy.oc1..xxxxx"
    region: "ap-tokyo-1"
    privateKey:
      namespace: key-namespace
      secretKeyRef:
        name: oci-api-key
        key: private-key
  service:
    name: "my-nodeport-service"
    namespace: "default"
    port: http2
    filterByEndpoints: true
)";

constexpr char kMultiServiceExample[] = R"(apiVersion: nodes.peppy-ratio.dev/v1alpha1
kind: LBRegistrar
metadata:
  name: my-app-multiservice-registrar
spec:
  loadBalancerId: "ocid1.loadbalancer.oc1.ap-tokyo-1.xxxxx"
  apiKey:
    user: "ocid1.user.oc1..xxxxx"
    fingerprint: "aa:bb:cc:dd:ee"
    tenancy: "ocid1.tenancy.oc1..xxxxx"
    region: "ap-tokyo-1"
    privateKey:
      namespace: key-namespace
      secretKeyRef:
        name: oci-api-key
        key: private-key
  services:
    - name: "my-nodeport-service"
      namespace: "default"
      port: https
      backendSetName: "https-backend"
      weight: 1
      filterByEndpoints: true
    - name: "my-nodeport-service"
      namespace: "default"
      port: http2
      backendSetName: "http-backend"
      weight: 1
      filterByEndpoints: true
)";

// What docs/migrating.md tells Go-operator users to add for their key namespace.
constexpr char kSecretReaderBinding[] = R"(apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: oci-lb-registrar-ccm-secrets
  namespace: key-namespace
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:oci-lb-registrar-ccm:secret-reader
subjects:
- kind: ServiceAccount
  name: oci-lb-registrar-ccm
  namespace: kube-system
)";

std::string WithFingerprint(std::string yaml, const std::string& fingerprint) {
  const std::string placeholder = "aa:bb:cc:dd:ee";
  yaml.replace(yaml.find(placeholder), placeholder.size(), fingerprint);
  return yaml;
}

class GoOperatorDropInTest : public RegistrarE2E {
 protected:
  void SetUpReadmeWorld() {
    // The README's key, as its users made it.
    ASSERT_TRUE(sim_->service().verifier().AddKey(std::string(kReadmeTenancy) + "/" + kReadmeUser + "/" + fingerprint_,
                                                  PublicKeyPem()));
    auto ns = plane_->Kubectl({"apply", "-f", "-"}, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: key-namespace\n");
    ASSERT_TRUE(ns) << ns.error().ToString();
    std::string key_file = plane_->work_dir() + "/oci_api_key.pem";
    std::ofstream(key_file) << key_pem_;
    auto secret = plane_->Kubectl({"-n", "key-namespace", "create", "secret", "generic", "oci-api-key",
                                   "--from-file=private-key=" + key_file});
    std::filesystem::remove(key_file);
    ASSERT_TRUE(secret) << secret.error().ToString();
    auto binding = plane_->Kubectl({"apply", "-f", "-"}, kSecretReaderBinding);
    ASSERT_TRUE(binding) << binding.error().ToString();

    // The Service the examples name, with the port names they use.
    ASSERT_TRUE(Api("POST", "/api/v1/namespaces/default/services",
                    R"({"metadata":{"name":"my-nodeport-service"},"spec":{"type":"NodePort","selector":{"app":"my-app"},)"
                    R"("ports":[{"name":"http2","port":80,"targetPort":8080},{"name":"https","port":443,"targetPort":8443}]}})",
                    201));
    auto doc = json::Parse(last_body_, "service");
    ASSERT_TRUE(doc);
    for (const auto& p : (*doc)["spec"]["ports"].GetArray()) {
      (std::string(p["name"].GetString()) == "http2" ? http2_ : https_) = p["nodePort"].GetInt();
    }
    // Three nodes; the app runs on two of them (filterByEndpoints).
    for (int i = 1; i <= 3; ++i) CreateNode(Node(i), Ip(i));
    ASSERT_TRUE(Api("POST", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
                    R"({"metadata":{"name":"my-nodeport-service-1","labels":{"kubernetes.io/service-name":"my-nodeport-service"}},)"
                    R"("addressType":"IPv4","ports":[{"name":"http2","port":8080},{"name":"https","port":8443}],"endpoints":[)"
                    R"({"addresses":["10.244.1.1"],"nodeName":")" + Node(1) + R"(","conditions":{"ready":true}},)"
                    R"({"addresses":["10.244.2.1"],"nodeName":")" + Node(2) + R"(","conditions":{"ready":true}}]})",
                    201));
    SeedLoadBalancer(kLb, {"my-backend-set", "https-backend", "http-backend"},
                     R"([{"ipAddress":"192.168.77.7","port":8080}])");
  }

  void TearDown() override {
    Api("DELETE", "/api/v1/namespaces/default/services/my-nodeport-service", "", 0);
    Api("DELETE", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/my-nodeport-service-1", "", 0);
    Api("DELETE", "/api/v1/namespaces/key-namespace/secrets/oci-api-key", "", 0);
    RegistrarE2E::TearDown();
  }

  std::string PublicKeyPem() {
    auto rsa = oci::RsaPrivateKey::FromPem(key_pem_, "", "test key");
    return rsa ? rsa->PublicKeyPem() : "";
  }
  std::string Node(int i) { return ns_ + "-n" + std::to_string(i); }
  static std::string Ip(int i) { return "10.77.0." + std::to_string(i); }
  static std::string B(int i, int port) { return Ip(i) + ":" + std::to_string(port); }

  int http2_ = 0, https_ = 0;
};

TEST_F(GoOperatorDropInTest, ReadmeExamplesConvergeAndDeleteOnlyTheirOwnBackends) {
  ASSERT_NO_FATAL_FAILURE(SetUpReadmeWorld());
  // The README's flag for its key namespace.
  cloud::registrar::RegistrarOptions options;
  options.secret_namespaces = {kControllerNamespace, "key-namespace"};
  StartRegistrar(options);

  for (const auto* example : {kSingleServiceExample, kMultiServiceExample}) {
    auto applied = plane_->Kubectl({"apply", "-f", "-"}, WithFingerprint(example, fingerprint_));
    ASSERT_TRUE(applied) << applied.error().ToString();
    EXPECT_EQ(applied->find("Warning"), std::string::npos) << "a valid resource drew a warning: " << *applied;
  }
  registrars_created_ = {"my-app-registrar", "my-app-multiservice-registrar"};
  const std::string hand = "192.168.77.7:8080";
  ASSERT_TRUE(BackendsEventually(kLb, "my-backend-set", {B(1, http2_), B(2, http2_), hand}));
  ASSERT_TRUE(BackendsEventually(kLb, "http-backend", {B(1, http2_), B(2, http2_), hand}));
  ASSERT_TRUE(BackendsEventually(kLb, "https-backend", {B(1, https_), B(2, https_), hand}));
  for (const char* name : {"my-app-registrar", "my-app-multiservice-registrar"}) {
    EXPECT_TRUE(Eventually([&] { return ConditionReason(name, "Ready") == "BackendsRegistered"; })) << RegistrarJson(name);
  }

  // kubectl delete waits for the finalizer: it returns once the resource's backends are gone,
  // and the other resource's backends and the hand-added one stay.
  auto deleted = plane_->Kubectl({"delete", "lbregistrar", "my-app-registrar", "--timeout=60s"});
  ASSERT_TRUE(deleted) << deleted.error().ToString();
  EXPECT_EQ(Backends(kLb, "my-backend-set"), std::vector<std::string>{hand});
  EXPECT_EQ(Backends(kLb, "http-backend"), (std::vector<std::string>{B(1, http2_), B(2, http2_), hand}));

  deleted = plane_->Kubectl({"delete", "lbregistrar", "my-app-multiservice-registrar", "--timeout=60s"});
  ASSERT_TRUE(deleted) << deleted.error().ToString();
  EXPECT_EQ(Backends(kLb, "http-backend"), std::vector<std::string>{hand});
  EXPECT_EQ(Backends(kLb, "https-backend"), std::vector<std::string>{hand});
  // Nothing of theirs is left on record either.
  ASSERT_TRUE(Api("GET", "/api/v1/namespaces/kube-system/configmaps?labelSelector=app.kubernetes.io%2Fmanaged-by%3Doci-lb-registrar-ccm", "", 200));
  EXPECT_EQ(last_body_.find("lb-registrar-"), std::string::npos) << last_body_;
}

}  // namespace
}  // namespace ccm::itest
