// The node controllers end to end: a REAL kube-apiserver (envtest) and the OCI simulator
// (signed Compute requests over TLS). An uninitialized node is initialized and untainted;
// stopping its instance taints it, starting it untaints it; an authorization-style 404 deletes
// nothing; terminating the instance deletes the Node.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "pkg/base/curl_transport.h"
#include "pkg/base/json.h"
#include "pkg/cloud/instances/instances.h"
#include "pkg/cloud/nodecontroller/cloud_node_controller.h"
#include "pkg/cloud/nodecontroller/node_lifecycle_controller.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/client/rest_config.h"
#include "pkg/kube/informer/informer.h"
#include "pkg/oci/auth/api_key_signer.h"
#include "pkg/oci/auth/rsa_key.h"
#include "pkg/oci/clients/compute_client.h"
#include "pkg/oci/transport/oci_transport.h"
#include "test/envtest/controller_identity.h"
#include "test/envtest/shared_control_plane.h"
#include "test/support/api_object_json.h"
#include "test/ocisim/simulator.h"

namespace ccm::cloud {
namespace {

using namespace std::chrono_literals;

const std::string kCompartment = "ocid1.compartment.oc1..integration";
const std::string kInstance = "ocid1.instance.oc1.phx.integration1";
const std::string kNodeName = "int-node-1";
const std::string kNodePath = "/api/v1/nodes/" + kNodeName;

template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds limit = 30s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

using ccm::testing::NodeHasTaint;
using ccm::testing::StringAt;

class NodeControllersIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& plane = envtest::SharedControlPlane();
    auto config = kube::LoadKubeconfig({.path = plane.kubeconfig_path()}, Clock::Real());
    ASSERT_TRUE(config) << config.error().ToString();
    kube_ = kube::HttpRestClient::Create(*config, Clock::Real());
    // The controllers run as their ServiceAccount under the shipped RBAC; kube_ (admin) is
    // the test's own hands.
    auto identity = envtest::InstallControllerIdentity(plane);
    ASSERT_TRUE(identity) << identity.error().ToString();
    controller_user_ = identity->user;
    forbidden_before_ = plane.ForbiddenRequests(controller_user_).size();
    auto controller_config = kube::LoadKubeconfig({.path = identity->kubeconfig_path}, Clock::Real());
    ASSERT_TRUE(controller_config) << controller_config.error().ToString();
    controller_kube_ = kube::HttpRestClient::Create(*controller_config, Clock::Real());

    ASSERT_TRUE(sim_.Start());
    auto key = oci::RsaPrivateKey::Generate(2048);
    ASSERT_TRUE(key);
    std::string key_id = "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/" + key->Fingerprint();
    ASSERT_TRUE(sim_.service().verifier().AddKey(key_id, key->PublicKeyPem()));
    http_ = std::make_unique<CurlTransport>(CurlTransportOptions{.tls = {.ca_pem = sim_.ca_pem()}});
    signer_ = std::make_unique<oci::ApiKeySigner>(key_id, *key, Clock::Real());
    oci::OciTransportOptions transport_options;
    transport_options.retry.max_attempts = 2;
    transport_ = std::make_unique<oci::OciTransport>(*http_, *signer_, Clock::Real(), transport_options);
    compute_ = std::make_unique<oci::ComputeClient>(
        *transport_, oci::Endpoint{sim_.url(), std::string(oci::kComputeApiVersion)});

    ASSERT_TRUE(sim_.service().PutInstance(R"({"id":")" + kInstance + R"(","displayName":")" + kNodeName +
                                           R"(","compartmentId":")" + kCompartment +
                                           R"(","availabilityDomain":"Uocm:PHX-AD-2","faultDomain":"FAULT-DOMAIN-3",)"
                                           R"("region":"phx","shape":"VM.Standard.E5.Flex",)"
                                           R"("vnics":[{"privateIp":"10.0.10.5","publicIp":"129.146.1.2"}]})"));
    (void)kube_->Delete(kNodePath);
  }

  void TearDown() override {
    if (lifecycle_) lifecycle_->Stop();
    if (cloud_node_) cloud_node_->Stop();
    if (informer_) informer_->Stop();
    if (kube_) (void)kube_->Delete(kNodePath);
    sim_.Stop();
    auto forbidden = envtest::SharedControlPlane().ForbiddenRequests(controller_user_);
    for (size_t i = forbidden_before_; i < forbidden.size(); ++i) ADD_FAILURE() << "403 to the controller: " << forbidden[i];
  }

  void StartControllers() {
    instances_ = std::make_unique<instances::Instances>(
        *compute_, Clock::Real(),
        instances::InstancesOptions{.compartment_id = kCompartment, .region = "us-phoenix-1",
                                    .metadata_ttl = 1s, .state_ttl = 100ms});
    informer_ = std::make_unique<kube::Informer<kube::Node>>(
        *controller_kube_, kube::ReflectorOptions{.name = "nodes", .path = "/api/v1/nodes"}, kube::ProjectNode, Clock::Real());
    cloud_node_ = std::make_unique<nodecontroller::CloudNodeController>(
        *controller_kube_, *informer_, *instances_, Clock::Real(),
        nodecontroller::CloudNodeControllerOptions{.node_status_update_frequency = 1s});
    lifecycle_ = std::make_unique<nodecontroller::NodeLifecycleController>(
        *controller_kube_, informer_->store(), *instances_, Clock::Real(),
        nodecontroller::NodeLifecycleControllerOptions{.node_monitor_period = 200ms,
                                                       .uninitialized_node_grace = 0s});
    informer_->Start();
    ASSERT_TRUE(informer_->WaitForSync(30s));
    cloud_node_->Start();
    lifecycle_->Start();
  }

  std::optional<json::Document> Node() {
    auto body = kube_->Get(kNodePath);
    if (!body) return std::nullopt;
    auto doc = json::Parse(*body, "node");
    if (!doc) return std::nullopt;
    return std::move(*doc);
  }

  std::unique_ptr<kube::HttpRestClient> kube_;             // admin: the test's setup
  std::unique_ptr<kube::HttpRestClient> controller_kube_;  // the controllers' identity
  std::string controller_user_;
  size_t forbidden_before_ = 0;
  ocisim::Simulator sim_;
  std::unique_ptr<CurlTransport> http_;
  std::unique_ptr<oci::ApiKeySigner> signer_;
  std::unique_ptr<oci::OciTransport> transport_;
  std::unique_ptr<oci::ComputeClient> compute_;
  std::unique_ptr<instances::Instances> instances_;
  std::unique_ptr<kube::Informer<kube::Node>> informer_;
  std::unique_ptr<nodecontroller::CloudNodeController> cloud_node_;
  std::unique_ptr<nodecontroller::NodeLifecycleController> lifecycle_;
};

TEST_F(NodeControllersIntegrationTest, InitializesTaintsOnStopKeepsOnAuthErrorsDeletesOnTerminate) {
  // What a kubelet with --cloud-provider=external registers: tainted, no providerID, not ready.
  auto created = kube_->Create(
      "/api/v1/nodes",
      R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + kNodeName +
          R"(","labels":{"kubernetes.io/hostname":")" + kNodeName +
          R"("}},"spec":{"taints":[{"key":"node.cloudprovider.kubernetes.io/uninitialized","value":"true","effect":"NoSchedule"}]},)"
          R"("status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"starting",)"
          R"("lastHeartbeatTime":"2024-01-01T00:00:00Z","lastTransitionTime":"2024-01-01T00:00:00Z"}]}})");
  ASSERT_TRUE(created) << created.error().ToString();
  StartControllers();

  ASSERT_TRUE(Eventually([&] {
    auto n = Node();
    return n && !NodeHasTaint(*n, "node.cloudprovider.kubernetes.io/uninitialized");
  })) << "node was not initialized";
  auto node = Node();
  ASSERT_TRUE(node);
  EXPECT_EQ(StringAt(*node, {"spec", "providerID"}), "oci://" + kInstance);
  EXPECT_EQ(StringAt(*node, {"metadata", "labels", "topology.kubernetes.io/zone"}), "PHX-AD-2");
  EXPECT_EQ(StringAt(*node, {"metadata", "labels", "topology.kubernetes.io/region"}), "us-phoenix-1");
  EXPECT_EQ(StringAt(*node, {"metadata", "labels", "node.kubernetes.io/instance-type"}), "VM.Standard.E5.Flex");
  EXPECT_EQ(StringAt(*node, {"metadata", "labels", "oci.oraclecloud.com/fault-domain"}), "FAULT-DOMAIN-3");
  const json::Value* addresses = json::Find(*json::Find(*node, "status"), "addresses");
  ASSERT_NE(addresses, nullptr);
  ASSERT_EQ(addresses->Size(), 3u);
  EXPECT_EQ(StringAt((*addresses)[0], {"type"}), "InternalIP");
  EXPECT_EQ(StringAt((*addresses)[0], {"address"}), "10.0.10.5");
  EXPECT_EQ(StringAt((*addresses)[1], {"type"}), "ExternalIP");
  EXPECT_EQ(StringAt((*addresses)[1], {"address"}), "129.146.1.2");
  EXPECT_EQ(StringAt((*addresses)[2], {"address"}), kNodeName);

  // Stopping the instance taints the NotReady node; starting it again untaints it.
  ASSERT_TRUE(sim_.service().SetInstanceState(kInstance, "STOPPED"));
  ASSERT_TRUE(Eventually([&] {
    auto n = Node();
    return n && NodeHasTaint(*n, "node.cloudprovider.kubernetes.io/shutdown");
  })) << "stopped instance did not taint the node";
  ASSERT_TRUE(sim_.service().SetInstanceState(kInstance, "RUNNING"));
  ASSERT_TRUE(Eventually([&] {
    auto n = Node();
    return n && !NodeHasTaint(*n, "node.cloudprovider.kubernetes.io/shutdown");
  })) << "running instance did not untaint the node";

  // A 404 that the compartment listing cannot confirm (403, 404) is an authorization problem.
  sim_.service().counters().Reset();
  sim_.service().faults().Add(
      ocisim::FaultSpec{.operation = "GetInstance", .service = "compute", .kind = ocisim::FaultKind::kError,
                        .status = 404});
  sim_.service().faults().Add(
      ocisim::FaultSpec{.operation = "ListInstances", .service = "compute", .kind = ocisim::FaultKind::kError,
                        .status = 403});
  ASSERT_TRUE(Eventually([&] { return sim_.service().counters().Count("ListInstances", 403) >= 3; }));
  sim_.service().faults().Clear();
  sim_.service().faults().Add(
      ocisim::FaultSpec{.operation = "GetInstance", .service = "compute", .kind = ocisim::FaultKind::kError,
                        .status = 404});
  sim_.service().faults().Add(
      ocisim::FaultSpec{.operation = "ListInstances", .service = "compute", .kind = ocisim::FaultKind::kError,
                        .status = 404});
  ASSERT_TRUE(Eventually([&] { return sim_.service().counters().Count("ListInstances", 404) >= 3; }));
  EXPECT_TRUE(Node().has_value()) << "an unconfirmed 404 deleted the node";
  sim_.service().faults().Clear();

  // Terminating the instance deletes the NotReady node.
  ASSERT_TRUE(sim_.service().SetInstanceState(kInstance, "TERMINATED"));
  EXPECT_TRUE(Eventually([&] { return !Node().has_value(); })) << "terminated instance's node was not deleted";
}

}  // namespace
}  // namespace ccm::cloud
