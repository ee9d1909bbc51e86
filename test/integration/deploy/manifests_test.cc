// deploy/kubernetes against a REAL kube-apiserver: the kustomization, the examples and the
// example Secret pass server-side validation (schemas, CRD CEL rules); the examples mean what
// they say to our own parsers; and the RBAC grants what the controller uses and nothing more.
#include <gtest/gtest.h>
#include <rapidjson/pointer.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <set>

#include "pkg/base/json.h"
#include "pkg/base/strings.h"
#include "pkg/cloud/config/cloud_config.h"
#include "pkg/cloud/registrar/lbregistrar_spec.h"
#include "pkg/cloud/registrar/service_annotations.h"
#include "test/envtest/shared_control_plane.h"

namespace ccm::envtest {
namespace {

constexpr char kServiceAccount[] = "system:serviceaccount:kube-system:oci-lb-registrar-ccm";

std::string SourcePath(const std::string& rel) {
  const char* root = std::getenv("CCM_SOURCE_DIR");
  return std::string(root ? root : ".") + "/" + rel;
}

const json::Value* At(const json::Value& root, const char* pointer) {
  return rapidjson::Pointer(pointer).Get(root);
}

std::string StringAt(const json::Value& root, const char* pointer) {
  const json::Value* v = At(root, pointer);
  return v != nullptr && v->IsString() ? v->GetString() : "";
}

class ManifestsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ControlPlane& plane = SharedControlPlane();
    auto ns = plane.Kubectl({"apply", "-f", "-"}, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n");
    ASSERT_TRUE(ns) << ns.error().ToString();
    // The CRD for real, so LBRegistrar examples are validated against its schema and rules.
    auto crd = plane.Kubectl({"apply", "-f", SourcePath("deploy/kubernetes/crd-lbregistrar.yaml")});
    ASSERT_TRUE(crd) << crd.error().ToString();
    auto established = plane.Kubectl(
        {"wait", "--for=condition=Established", "--timeout=60s", "crd/lbregistrars.nodes.peppy-ratio.dev"});
    ASSERT_TRUE(established) << established.error().ToString();
    auto rip = plane.Kubectl({"apply", "-f", SourcePath("deploy/kubernetes/crd-reservedip.yaml")});
    ASSERT_TRUE(rip) << rip.error().ToString();
    auto rip_established = plane.Kubectl(
        {"wait", "--for=condition=Established", "--timeout=60s", "crd/reservedips.oci.k8s.logmein.com"});
    ASSERT_TRUE(rip_established) << rip_established.error().ToString();
  }

  // Server-side dry run of one file; the server's defaulted object as JSON.
  static json::Document DryRunFile(const std::string& rel) {
    auto out = SharedControlPlane().Kubectl({"apply", "--dry-run=server", "-o", "json", "-f", SourcePath(rel)});
    EXPECT_TRUE(out) << rel << ": " << (out ? "" : out.error().ToString());
    json::Document doc;
    if (out) doc.Parse(out->c_str());
    EXPECT_FALSE(doc.HasParseError()) << rel;
    return doc;
  }

  // kubectl auth can-i as the controller's service account: true for "yes", false for "no".
  static bool CanI(std::vector<std::string> args) {
    std::vector<std::string> cmd = {"auth", "can-i"};
    cmd.insert(cmd.end(), args.begin(), args.end());
    cmd.push_back("--as=" + std::string(kServiceAccount));
    auto out = SharedControlPlane().Kubectl(cmd);
    std::string text = out ? *out : out.error().message;
    std::string_view answer = TrimSpace(text);
    bool yes = out.has_value() && answer.ends_with("yes");
    bool no = !out.has_value() && answer.ends_with("no");
    EXPECT_TRUE(yes || no) << "unexpected can-i output: " << text;
    // kubectl warns (and answers "no") for a misspelled resource: that would prove nothing.
    EXPECT_EQ(text.find("doesn't have a resource type"), std::string::npos) << "kubectl auth can-i " << args[0] << " " << args[1] << ": "
                                                       << text;
    return yes;
  }
};

TEST_F(ManifestsTest, KustomizationPassesServerSideDryRun) {
  auto out = SharedControlPlane().Kubectl(
      {"apply", "--dry-run=server", "-o", "json", "-k", SourcePath("deploy/kubernetes")});
  ASSERT_TRUE(out) << out.error().ToString();
  json::Document list;
  list.Parse(out->c_str());
  ASSERT_FALSE(list.HasParseError()) << *out;
  std::set<std::string> kinds;
  const json::Value* deployment = nullptr;
  for (const auto& item : list["items"].GetArray()) {
    std::string kind = item["kind"].GetString();
    kinds.insert(kind + "/" + item["metadata"]["name"].GetString());
    if (kind == "Deployment") deployment = &item;
    if (kind == "Secret") ADD_FAILURE() << "the kustomization must not ship a Secret";
  }
  EXPECT_TRUE(kinds.contains("CustomResourceDefinition/lbregistrars.nodes.peppy-ratio.dev"));
  EXPECT_TRUE(kinds.contains("ServiceAccount/oci-lb-registrar-ccm"));
  EXPECT_TRUE(kinds.contains("ClusterRole/system:oci-lb-registrar-ccm"));
  EXPECT_TRUE(kinds.contains("ClusterRoleBinding/system:oci-lb-registrar-ccm"));
  EXPECT_TRUE(kinds.contains("Role/oci-lb-registrar-ccm"));
  EXPECT_TRUE(kinds.contains("RoleBinding/oci-lb-registrar-ccm"));
  EXPECT_TRUE(kinds.contains("PodDisruptionBudget/oci-lb-registrar-ccm"));
  ASSERT_NE(deployment, nullptr) << *out;

  // What the API server accepted (after defaulting) is what the controller needs.
  const json::Value& d = *deployment;
  EXPECT_EQ(StringAt(d, "/metadata/namespace"), "kube-system");
  EXPECT_EQ(At(d, "/spec/replicas")->GetInt(), 2);
  EXPECT_EQ(StringAt(d, "/spec/template/spec/serviceAccountName"), "oci-lb-registrar-ccm");
  EXPECT_EQ(StringAt(d, "/spec/template/spec/priorityClassName"), "system-cluster-critical");
  EXPECT_TRUE(At(d, "/spec/template/spec/hostNetwork")->GetBool());
  // Cluster DNS needs initialized nodes, which need this controller: it must use the node's.
  EXPECT_EQ(StringAt(d, "/spec/template/spec/dnsPolicy"), "Default");
  EXPECT_TRUE(At(d, "/spec/template/spec/securityContext/runAsNonRoot")->GetBool());
  EXPECT_EQ(At(d, "/spec/template/spec/securityContext/runAsUser")->GetInt(), 65532);
  EXPECT_EQ(StringAt(d, "/spec/template/spec/securityContext/seccompProfile/type"), "RuntimeDefault");
  const json::Value& c = *At(d, "/spec/template/spec/containers/0");
  std::set<std::string> args;
  for (const auto& a : c["args"].GetArray()) args.insert(a.GetString());
  for (const char* want : {"--cloud-config=/etc/oci/cloud-provider.yaml", "--leader-elect=true",
                           "--leader-elect-resource-namespace=kube-system", "--secure-port=10258"}) {
    EXPECT_TRUE(args.contains(want)) << want;
  }
  EXPECT_FALSE(At(c, "/securityContext/allowPrivilegeEscalation")->GetBool());
  EXPECT_TRUE(At(c, "/securityContext/readOnlyRootFilesystem")->GetBool());
  EXPECT_EQ(StringAt(c, "/securityContext/capabilities/drop/0"), "ALL");
  EXPECT_EQ(StringAt(c, "/livenessProbe/httpGet/scheme"), "HTTPS");
  EXPECT_EQ(StringAt(c, "/livenessProbe/httpGet/path"), "/healthz");
  EXPECT_EQ(At(c, "/livenessProbe/httpGet/port")->GetInt(), 10258);
  EXPECT_EQ(StringAt(c, "/readinessProbe/httpGet/path"), "/readyz");
  EXPECT_EQ(StringAt(c, "/resources/requests/cpu"), "50m");
  EXPECT_EQ(StringAt(c, "/resources/requests/memory"), "32Mi");
  EXPECT_EQ(StringAt(c, "/resources/limits/memory"), "128Mi");
  EXPECT_EQ(StringAt(c, "/volumeMounts/0/mountPath"), "/etc/oci");
  EXPECT_EQ(StringAt(d, "/spec/template/spec/volumes/0/secret/secretName"), "oci-cloud-controller-manager");
  EXPECT_EQ(StringAt(d, "/spec/template/spec/volumes/0/secret/items/0/key"), "cloud-provider.yaml");
  std::set<std::string> tolerated;
  for (const auto& t : At(d, "/spec/template/spec/tolerations")->GetArray()) tolerated.insert(t["key"].GetString());
  for (const char* key : {"node.cloudprovider.kubernetes.io/uninitialized", "node-role.kubernetes.io/control-plane",
                          "node.kubernetes.io/not-ready"}) {
    EXPECT_TRUE(tolerated.contains(key)) << key;
  }
  EXPECT_EQ(StringAt(d, "/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/"
                        "topologyKey"),
            "kubernetes.io/hostname");
}

TEST_F(ManifestsTest, LBRegistrarExamplesAreValidAndMeanWhatTheySay) {
  json::Document single = DryRunFile("deploy/kubernetes/examples/lbregistrar-nodeport.yaml");
  ASSERT_TRUE(single.IsObject());
  auto parsed = cloud::registrar::ParseLBRegistrarSpec("ingress-http", single["spec"], "kube-system");
  EXPECT_TRUE(parsed.problems.empty()) << cloud::registrar::JoinProblems(parsed.problems);
  EXPECT_EQ(parsed.bindings.size(), 1u);

  json::Document multi = DryRunFile("deploy/kubernetes/examples/lbregistrar-multi-service.yaml");
  ASSERT_TRUE(multi.IsObject());
  parsed = cloud::registrar::ParseLBRegistrarSpec("ingress-nginx", multi["spec"], "kube-system");
  EXPECT_TRUE(parsed.problems.empty()) << cloud::registrar::JoinProblems(parsed.problems);
  ASSERT_EQ(parsed.bindings.size(), 2u);
  std::set<std::string> sets;
  for (const auto& b : parsed.bindings) sets.insert(b.backend_set);
  EXPECT_EQ(sets, (std::set<std::string>{"ingress-http", "ingress-https"}));
}

TEST_F(ManifestsTest, DryRunReallyValidatesAgainstTheCrd) {
  // Control: the same server rejects an LBRegistrar that names neither a port nor a Service,
  // so the examples passing above is meaningful.
  auto bad = SharedControlPlane().Kubectl({"apply", "--dry-run=server", "-f", "-"},
                                          "apiVersion: nodes.peppy-ratio.dev/v1alpha1\nkind: LBRegistrar\n"
                                          "metadata:\n  name: broken\nspec:\n"
                                          "  loadBalancerId: ocid1.loadbalancer.oc1.phx.x\n  backendSetName: b\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("set nodePort, or list the Services"), std::string::npos)
      << bad.error().message;
}

TEST_F(ManifestsTest, AnnotatedServiceExampleIsValidAndParses) {
  json::Document svc = DryRunFile("deploy/kubernetes/examples/service-annotated.yaml");
  ASSERT_TRUE(svc.IsObject());
  std::map<std::string, std::string> annotations;
  for (const auto& m : svc["metadata"]["annotations"].GetObject()) {
    annotations[m.name.GetString()] = m.value.GetString();
  }
  ASSERT_TRUE(cloud::registrar::HasRegistrarAnnotations(annotations));
  auto parsed = cloud::registrar::ParseServiceAnnotations("default", "web", svc["spec"]["type"].GetString(), annotations);
  EXPECT_TRUE(parsed.problems.empty()) << cloud::registrar::JoinProblems(parsed.problems);
  ASSERT_EQ(parsed.bindings.size(), 2u);
  EXPECT_TRUE(parsed.bindings[0].filter_by_endpoints);
}

TEST_F(ManifestsTest, ExampleSecretIsValidAndHoldsAParseableCloudConfig) {
  json::Document secret = DryRunFile("deploy/kubernetes/cloud-config-secret.example.yaml");
  ASSERT_TRUE(secret.IsObject());
  EXPECT_EQ(StringAt(secret, "/metadata/name"), "oci-cloud-controller-manager");
  EXPECT_EQ(StringAt(secret, "/metadata/namespace"), "kube-system");

  // The embedded cloud-provider.yaml is accepted by the controller's own parser.
  YAML::Node doc = YAML::LoadFile(SourcePath("deploy/kubernetes/cloud-config-secret.example.yaml"));
  std::string embedded = doc["stringData"]["cloud-provider.yaml"].as<std::string>();
  auto cfg = cloud::ParseCloudConfig(embedded, [](const std::string&) -> Result<std::string> {
    return Fail(ErrorKind::kNotFound, "the example reads no files");
  });
  ASSERT_TRUE(cfg) << cfg.error().message;
  EXPECT_EQ(cfg->auth.region, "us-phoenix-1");
  EXPECT_FALSE(cfg->use_instance_principals);
  EXPECT_TRUE(cfg->compartment.starts_with("ocid1.compartment."));
  EXPECT_EQ(cfg->registrar.allowed_load_balancers.size(), 1u);
  EXPECT_EQ(cfg->registrar.drain_period, std::chrono::seconds(30));
  EXPECT_EQ(cfg->registrar.resync_period, std::chrono::seconds(300));
  EXPECT_EQ(cfg->rate_limits.read_qps, 20);
  EXPECT_TRUE(cfg->warnings.empty());
}

TEST_F(ManifestsTest, RbacGrantsWhatTheControllerUsesAndNothingMore) {
  ControlPlane& plane = SharedControlPlane();
  for (const char* f : {"deploy/kubernetes/serviceaccount.yaml", "deploy/kubernetes/rbac.yaml"}) {
    auto applied = plane.Kubectl({"apply", "-f", SourcePath(f)});
    ASSERT_TRUE(applied) << f << ": " << applied.error().ToString();
  }
  // What the controllers do.
  EXPECT_TRUE(CanI({"list", "nodes"}));
  EXPECT_TRUE(CanI({"watch", "nodes"}));
  EXPECT_TRUE(CanI({"patch", "nodes"}));
  EXPECT_TRUE(CanI({"delete", "nodes"}));
  EXPECT_TRUE(CanI({"patch", "nodes", "--subresource=status"}));
  EXPECT_TRUE(CanI({"watch", "services", "--all-namespaces"}));
  EXPECT_TRUE(CanI({"patch", "services", "-n", "default"}));
  EXPECT_TRUE(CanI({"patch", "services", "--subresource=status", "-n", "default"}));
  EXPECT_TRUE(CanI({"list", "endpointslices.discovery.k8s.io", "--all-namespaces"}));
  EXPECT_TRUE(CanI({"watch", "lbregistrars.nodes.peppy-ratio.dev"}));
  EXPECT_TRUE(CanI({"update", "lbregistrars.nodes.peppy-ratio.dev"}));
  EXPECT_TRUE(CanI({"patch", "lbregistrars.nodes.peppy-ratio.dev", "--subresource=status"}));
  EXPECT_TRUE(CanI({"create", "events", "-n", "default"}));
  EXPECT_TRUE(CanI({"patch", "events", "-n", "some-app"}));
  EXPECT_TRUE(CanI({"get", "leases.coordination.k8s.io/cloud-controller-manager", "-n", "kube-system"}));
  EXPECT_TRUE(CanI({"update", "leases.coordination.k8s.io/cloud-controller-manager", "-n", "kube-system"}));
  EXPECT_TRUE(CanI({"create", "leases.coordination.k8s.io", "-n", "kube-system"}));
  EXPECT_TRUE(CanI({"create", "configmaps", "-n", "kube-system"}));
  EXPECT_TRUE(CanI({"update", "configmaps", "-n", "kube-system"}));
  EXPECT_TRUE(CanI({"list", "configmaps", "-n", "kube-system"}));
  // An ownership record is deleted when its backend set's last source is gone.
  EXPECT_TRUE(CanI({"delete", "configmaps", "-n", "kube-system"}));
  EXPECT_TRUE(CanI({"get", "secrets", "-n", "kube-system"}));
  // ReservedIP controller: its resources (finalizer), their status, pods read only.
  EXPECT_TRUE(CanI({"watch", "reservedips.oci.k8s.logmein.com", "--all-namespaces"}));
  EXPECT_TRUE(CanI({"patch", "reservedips.oci.k8s.logmein.com", "-n", "default"}));
  EXPECT_TRUE(CanI({"patch", "reservedips.oci.k8s.logmein.com", "--subresource=status", "-n", "default"}));
  EXPECT_TRUE(CanI({"watch", "pods", "--all-namespaces"}));

  // And nothing more.
  EXPECT_FALSE(CanI({"list", "secrets", "-n", "kube-system"}));
  EXPECT_FALSE(CanI({"watch", "secrets", "-n", "kube-system"}));
  EXPECT_FALSE(CanI({"get", "secrets", "-n", "default"}));
  EXPECT_FALSE(CanI({"get", "secrets", "--all-namespaces"}));
  EXPECT_FALSE(CanI({"delete", "services", "-n", "default"}));
  EXPECT_FALSE(CanI({"create", "services", "-n", "default"}));
  EXPECT_FALSE(CanI({"create", "pods", "-n", "kube-system"}));
  EXPECT_FALSE(CanI({"create", "pods", "-n", "default"}));
  EXPECT_FALSE(CanI({"create", "nodes"}));
  EXPECT_FALSE(CanI({"update", "nodes", "--subresource=status"}));
  EXPECT_FALSE(CanI({"delete", "lbregistrars.nodes.peppy-ratio.dev"}));
  EXPECT_FALSE(CanI({"create", "lbregistrars.nodes.peppy-ratio.dev"}));
  EXPECT_FALSE(CanI({"update", "endpointslices.discovery.k8s.io", "-n", "default"}));
  EXPECT_FALSE(CanI({"update", "leases.coordination.k8s.io/kube-controller-manager", "-n", "kube-system"}));
  EXPECT_FALSE(CanI({"update", "leases.coordination.k8s.io/cloud-controller-manager", "-n", "default"}));
  EXPECT_FALSE(CanI({"delete", "leases.coordination.k8s.io/cloud-controller-manager", "-n", "kube-system"}));
  EXPECT_FALSE(CanI({"create", "configmaps", "-n", "default"}));
  EXPECT_FALSE(CanI({"delete", "configmaps", "-n", "default"}));
  EXPECT_FALSE(CanI({"create", "clusterrolebindings.rbac.authorization.k8s.io"}));
  EXPECT_FALSE(CanI({"create", "serviceaccounts/token", "-n", "kube-system"}));
  EXPECT_FALSE(CanI({"delete", "events", "-n", "default"}));
  EXPECT_FALSE(CanI({"create", "reservedips.oci.k8s.logmein.com", "-n", "default"}));
  EXPECT_FALSE(CanI({"delete", "reservedips.oci.k8s.logmein.com", "-n", "default"}));
  EXPECT_FALSE(CanI({"patch", "pods", "-n", "default"}));
  EXPECT_FALSE(CanI({"delete", "pods", "-n", "default"}));
}

// The secret-reader ClusterRole grants nothing until a RoleBinding names a namespace, and then
// exactly get on Secrets there.
TEST_F(ManifestsTest, SecretReaderGrantsOnlyWhereBound) {
  ControlPlane& plane = SharedControlPlane();
  for (const char* f : {"deploy/kubernetes/serviceaccount.yaml", "deploy/kubernetes/rbac.yaml"}) {
    auto applied = plane.Kubectl({"apply", "-f", SourcePath(f)});
    ASSERT_TRUE(applied) << f << ": " << applied.error().ToString();
  }
  EXPECT_FALSE(CanI({"get", "secrets", "-n", "key-namespace"}));
  auto bound = plane.Kubectl({"apply", "-f", "-"}, R"(apiVersion: v1
kind: Namespace
metadata: {name: key-namespace}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: oci-lb-registrar-ccm-secrets, namespace: key-namespace}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:oci-lb-registrar-ccm:secret-reader"}
subjects: [{kind: ServiceAccount, name: oci-lb-registrar-ccm, namespace: kube-system}]
)");
  ASSERT_TRUE(bound) << bound.error().ToString();
  EXPECT_TRUE(CanI({"get", "secrets", "-n", "key-namespace"}));
  EXPECT_FALSE(CanI({"list", "secrets", "-n", "key-namespace"}));
  EXPECT_FALSE(CanI({"get", "secrets", "-n", "default"}));
  EXPECT_FALSE(CanI({"get", "configmaps", "-n", "key-namespace"}));
}

}  // namespace
}  // namespace ccm::envtest
