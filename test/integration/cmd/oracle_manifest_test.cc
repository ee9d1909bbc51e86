// Drop-in for Oracle's oci-cloud-controller-manager: the binary started with the args of
// Oracle's manifest (manifests/cloud-controller-manager/oci-cloud-controller-manager.yaml)
// verbatim, and Oracle's cloud-provider.yaml as it is (no region, no compartment: both come
// from instance metadata). Only what the test environment forces is added: --kubeconfig (the
// controller's ServiceAccount), test ports, and the simulator's endpoints and CA.
#include <sys/wait.h>

#include "test/envtest/controller_identity.h"
#include "test/integration/cmd/replica_process.h"
#include "test/support/api_object_json.h"

namespace ccm::itest {
namespace {

using namespace std::chrono_literals;

// Oracle's manifest, args verbatim (the config path is where the test wrote the file).
const std::vector<std::string> kOracleManifestArgs = {"--cloud-provider=oci", "--leader-elect-resource-lock=leases",
                                                      "--concurrent-service-syncs=3", "--v=2"};

constexpr char kCompartment[] = "ocid1.compartment.oc1..oraclemanifest";
constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.oraclemanifest";

using ccm::testing::NodeHasTaint;
using ccm::testing::StringAt;

class OracleManifestTest : public ReplicaProcessTest {
 protected:
  void TearDown() override {
    Api("DELETE", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cloud-controller-manager", "", 0);
    ReplicaProcessTest::TearDown();
  }

  std::optional<json::Document> Get(const std::string& path) {
    auto r = plane_->Request("GET", path);
    if (!r || r->status != 200) return std::nullopt;
    auto doc = json::Parse(r->body, path);
    if (!doc) return std::nullopt;
    return std::move(*doc);
  }
};

TEST_F(OracleManifestTest, StartsWithOraclesArgsAndFileInitializesANodeAndRegistersIt) {
  auto identity = envtest::InstallControllerIdentity(*plane_);
  ASSERT_TRUE(identity) << identity.error().ToString();

  // The instance the controller runs on: IMDS answers its region and compartment.
  ocisim::IdentitySpec imds;
  imds.compartment_id = kCompartment;
  imds.region = "phx";
  imds.canonical_region = "us-phoenix-1";
  sim_->service().identity().SetSpec(imds);

  const std::string node = ns_ + "-worker";
  const std::string instance = "ocid1.instance.oc1.phx." + ns_;
  ASSERT_TRUE(sim_->service().PutInstance(R"({"id":")" + instance + R"(","displayName":")" + node +
                                          R"(","compartmentId":")" + kCompartment +
                                          R"(","availabilityDomain":"Uocm:PHX-AD-2","faultDomain":"FAULT-DOMAIN-1",)"
                                          R"("region":"phx","shape":"VM.Standard.E5.Flex",)"
                                          R"("vnics":[{"privateIp":"10.0.30.7"}]})"));
  SeedLoadBalancer(kLb, {"http"});

  char tmpl[] = "/tmp/ccm-oracle-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  WriteFile(dir_ + "/key.pem", key_pem_);
  WriteFile(dir_ + "/ca.pem", sim_->ca_pem());
  // Oracle's cloud-provider.yaml shape as shipped (auth without region, no compartment,
  // Oracle-only sections), plus this controller's own sections the environment needs.
  WriteFile(dir_ + "/cloud-provider.yaml",
            "auth:\n  tenancy: " + std::string(kTenancy) + "\n  user: " + kUser + "\n  key_file: " + dir_ +
                "/key.pem\n  fingerprint: " + fingerprint_ +
                "\nvcn: ocid1.vcn.oc1.phx.oraclemanifest\n"
                "loadBalancer:\n  subnet1: ocid1.subnet.oc1.phx.s1\n  securityListManagementMode: None\n"
                "rateLimiter:\n  rateLimitQPSRead: 20.0\n  rateLimitBucketRead: 5\n"
                "endpoints:\n  loadBalancer: " + sim_->url() + "\n  networkLoadBalancer: " + sim_->url() +
                "\n  compute: " + sim_->url() + "\n  metadata: " + sim_->url() + "/opc/v2\n"
                "caBundleFile: " + dir_ + "/ca.pem\n"
                "registrar:\n  allowedLoadBalancers: [" + kLb + "]\n  drainPeriod: 0s\n");

  // What a kubelet with --cloud-provider=external registers: tainted, no providerID.
  ASSERT_TRUE(Api("POST", "/api/v1/nodes",
                  R"({"metadata":{"name":")" + node +
                      R"("},"spec":{"taints":[{"key":"node.cloudprovider.kubernetes.io/uninitialized","value":"true","effect":"NoSchedule"}]}})",
                  201));
  nodes_created_.push_back(node);
  ASSERT_TRUE(Api("PATCH", "/api/v1/nodes/" + node + "/status",
                  R"({"status":{"addresses":[{"type":"Hostname","address":")" + node +
                      R"("}],"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"ok","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"}]}})",
                  200, "application/merge-patch+json"));

  ASSERT_TRUE(Api("POST", "/api/v1/namespaces/" + ns_ + "/services",
                  R"({"metadata":{"name":"web","annotations":{"nodes.peppy-ratio.dev/load-balancer-id":")" +
                      std::string(kLb) + R"(","nodes.peppy-ratio.dev/backend-sets":"http=http"}},)"
                      R"("spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"name":"http","port":80,"nodePort":30095}]}})",
                  201));

  auto port = envtest::FreePort();
  ASSERT_TRUE(port);
  std::vector<std::string> argv = {Binary(), "--cloud-config=" + dir_ + "/cloud-provider.yaml"};
  argv.insert(argv.end(), kOracleManifestArgs.begin(), kOracleManifestArgs.end());
  argv.insert(argv.end(), {"--kubeconfig=" + identity->kubeconfig_path, "--bind-address=127.0.0.1",
                           "--secure-port=" + std::to_string(*port)});
  std::string log = dir_ + "/ccm.log";
  logs_.push_back(log);
  auto pid = envtest::SpawnChild(argv, log);
  ASSERT_TRUE(pid) << pid.error().ToString();
  pids_.push_back(*pid);

  // Initialized: providerID, zone labels, taint gone.
  bool initialized = Eventually([&] {
    auto n = Get("/api/v1/nodes/" + node);
    if (!n) return false;
    // Only the cloud provider's taint: the API server's TaintNodesByCondition admission adds
    // node.kubernetes.io/not-ready on creation, which the controller does not own.
    bool tainted = NodeHasTaint(*n, "node.cloudprovider.kubernetes.io/uninitialized");
    return !tainted && StringAt(*n, {"spec", "providerID"}) == "oci://" + instance;
  }, 60s);
  ASSERT_TRUE(initialized) << plane_->Request("GET", "/api/v1/nodes/" + node)->body << "\n" << Slurp(log);
  auto n = Get("/api/v1/nodes/" + node);
  ASSERT_TRUE(n);
  EXPECT_EQ(StringAt(*n, {"metadata", "labels", "topology.kubernetes.io/zone"}), "PHX-AD-2");
  EXPECT_EQ(StringAt(*n, {"metadata", "labels", "topology.kubernetes.io/region"}), "us-phoenix-1");

  // Registered in the annotated Service's backend set.
  ASSERT_TRUE(BackendsEventually(kLb, "http", {"10.0.30.7:30095"}, 60s)) << Slurp(log);

  std::string out = Slurp(log);
  EXPECT_NE(out.find("region us-phoenix-1 from instance metadata"), std::string::npos) << out;
  EXPECT_NE(out.find("compartment " + std::string(kCompartment) + " from instance metadata"), std::string::npos) << out;
  EXPECT_NE(out.find("--cloud-provider=oci"), std::string::npos) << out;
  EXPECT_EQ(out.find("unknown command line flag"), std::string::npos) << out;
  EXPECT_TRUE(plane_->ForbiddenRequests(identity->user).empty()) << "403s for the controller's ServiceAccount";
  int status = Signal(*pid, SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Slurp(log);
}

}  // namespace
}  // namespace ccm::itest
