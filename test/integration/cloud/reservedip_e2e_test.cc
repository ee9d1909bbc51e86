// The ReservedIP controller end to end: a real kube-apiserver + etcd with the shipped CRD and
// RBAC, the controller running in process as its ServiceAccount (a 403 fails the test), wired
// as the binary wires it (informers, event recorder, OCI client stack from a cloud-config),
// against the OCI simulator's public-IP and private-IP APIs with their asynchronous lifecycle.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "pkg/base/json.h"
#include "pkg/cloud/config/cloud_config.h"
#include "pkg/cloud/oci_apis.h"
#include "pkg/cloud/reservedip/reservedip_controller.h"
#include "pkg/kube/client/http_rest_client.h"
#include "pkg/kube/client/token_source.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/informer/informer.h"
#include "pkg/oci/auth/rsa_key.h"
#include "test/envtest/controller_identity.h"
#include "test/envtest/shared_control_plane.h"
#include "test/integration/cloud/registrar_env.h"
#include "test/ocisim/simulator.h"
#include "test/support/test_pki.h"

namespace ccm::itest {
namespace {

using cloud::reservedip::PodRef;
using cloud::reservedip::ReservedIPController;
using cloud::reservedip::ReservedIPObject;

constexpr char kTenancy[] = "ocid1.tenancy.oc1..itest";
constexpr char kUser[] = "ocid1.user.oc1..itest";
constexpr char kCompartment[] = "ocid1.compartment.oc1..itest";
constexpr char kPodSubnet[] = "ocid1.subnet.oc1.phx.pods";
constexpr char kPipA[] = "ocid1.privateip.oc1.phx.poda";
constexpr char kPipB[] = "ocid1.privateip.oc1.phx.podb";
constexpr char kAdoptable[] = "ocid1.publicip.oc1.phx.adoptable";
constexpr char kPool[] = "ocid1.publicippool.oc1.phx.byoip";

// Everything the controller process owns, started and stopped as one.
class InProcessReservedIP {
 public:
  InProcessReservedIP(kube::RestClient& client, cloud::OciApis& apis)
      : reservedips_(client, {.name = "reservedips", .path = cloud::reservedip::kReservedIPsPath},
                     cloud::reservedip::ProjectReservedIP, Clock::Real()),
        pods_(client, {.name = "pods", .path = "/api/v1/pods"}, cloud::reservedip::ProjectPod, Clock::Real()),
        nodes_(client, {.name = "nodes", .path = "/api/v1/nodes"}, kube::ProjectNode, Clock::Real()),
        events_(client, {.instance = "itest"}, Clock::Real()),
        controller_(client, {reservedips_, pods_, nodes_}, apis.virtual_network(), apis.compute(),
                    events_, Clock::Real(),
                    {.workers = 2,
                     .writer = {.compartment_id = kCompartment,
                                .first_poll = std::chrono::milliseconds(50),
                                .max_poll = std::chrono::milliseconds(200)},
                     .user_error_retry = std::chrono::seconds(1)}) {
    reservedips_.Start();
    pods_.Start();
    nodes_.Start();
    controller_.Start();
  }
  ~InProcessReservedIP() {
    controller_.Stop();
    reservedips_.Stop();
    pods_.Stop();
    nodes_.Stop();
    events_.Shutdown();
  }
  bool Synced() const {
    return reservedips_.HasSynced() && pods_.HasSynced() && nodes_.HasSynced();
  }

 private:
  kube::Informer<ReservedIPObject> reservedips_;
  kube::Informer<PodRef> pods_;
  kube::Informer<kube::Node> nodes_;
  kube::AsyncEventRecorder events_;
  ReservedIPController controller_;
};

class ReservedIPTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plane_ = &envtest::SharedControlPlane();
    auto identity = envtest::InstallControllerIdentity(*plane_);
    ASSERT_TRUE(identity) << identity.error().ToString();
    identity_ = *identity;
    forbidden_before_ = plane_->ForbiddenRequests(identity_.user).size();
    static int counter = 0;
    const std::string suffix = std::to_string(::getpid()) + "-" + std::to_string(++counter);
    ns_ = "rip-" + suffix;
    node_ = "rip-node-" + suffix;
    instance_ =
        "ocid1.instance.oc1.phx.rip" + std::to_string(::getpid()) + "x" + std::to_string(counter);
    ASSERT_TRUE(
        Api("POST", "/api/v1/namespaces", R"({"metadata":{"name":")" + ns_ + R"("}})", 201));
    ASSERT_TRUE(Api("POST", "/api/v1/nodes",
                    R"({"metadata":{"name":")" + node_ + R"("},"spec":{"providerID":"oci://)" +
                        instance_ + R"("}})",
                    201));

    sim_ = std::make_unique<ocisim::Simulator>(
        ocisim::SimulatorOptions{.public_ip_latency = std::chrono::milliseconds(150)});
    ASSERT_TRUE(sim_->Start());
    auto key = testing::GenerateRsaKey();
    ASSERT_TRUE(key);
    auto rsa = oci::RsaPrivateKey::FromPem(key->key_pem, "", "test key");
    ASSERT_TRUE(rsa);
    ASSERT_TRUE(sim_->service().verifier().AddKey(
        std::string(kTenancy) + "/" + kUser + "/" + rsa->Fingerprint(), key->cert_pem));
    // The node's instance: a primary VNIC in the node subnet and a pod VNIC (VCN-native pod
    // networking) whose secondary private IPs are the pods' addresses.
    ASSERT_TRUE(sim_->service().MergeState(
        std::string(
            R"({"subnets":[{"id":"ocid1.subnet.oc1.phx.nodes","cidrBlock":"10.0.0.0/24"},)") +
        R"({"id":")" + kPodSubnet +
        R"(","cidrBlock":"10.0.10.0/24"}],)"
        R"("instances":[{"id":")" +
        instance_ + R"(","compartmentId":")" + kCompartment +
        R"(","vnics":[)"
        R"({"id":"ocid1.vnic.oc1.phx.primary)" +
        suffix +
        R"(","privateIp":"10.0.0.2","subnetId":"ocid1.subnet.oc1.phx.nodes"},)"
        R"({"id":"ocid1.vnic.oc1.phx.pods)" +
        suffix + R"(","privateIp":"10.0.10.2","subnetId":")" + kPodSubnet +
        R"("}]}],)"
        R"("privateIps":[{"id":")" +
        kPipA + R"(","ipAddress":"10.0.10.5","subnetId":")" + kPodSubnet +
        R"(","vnicId":"ocid1.vnic.oc1.phx.pods)" + suffix +
        R"("},)"
        R"({"id":")" +
        kPipB + R"(","ipAddress":"10.0.10.6","subnetId":")" + kPodSubnet +
        R"(","vnicId":"ocid1.vnic.oc1.phx.pods)" + suffix +
        R"("}],)"
        R"("publicIpPools":[{"id":")" +
        kPool + R"(","compartmentId":")" + kCompartment +
        R"(","cidrBlocks":["192.0.2.0/24"]}],)"
        R"("publicIps":[{"id":")" +
        kAdoptable + R"(","ipAddress":"129.146.200.1","compartmentId":")" + kCompartment +
        R"(","lifetime":"RESERVED"}]})"));

    cloud::CloudConfig c;
    c.auth = {.region = "us-phoenix-1",
              .tenancy = kTenancy,
              .user = kUser,
              .private_key_pem = key->key_pem,
              .fingerprint = rsa->Fingerprint()};
    c.compartment = kCompartment;
    c.endpoints = {
        .load_balancer = sim_->url(), .network_load_balancer = sim_->url(), .compute = sim_->url()};
    c.extra_ca_pem = sim_->ca_pem();
    c.rate_limits = {.read_qps = 0, .read_burst = 1, .write_qps = 0, .write_burst = 1};
    auto apis = cloud::OciApis::Create(c, Clock::Real());
    ASSERT_TRUE(apis) << apis.error().ToString();
    apis_ = std::move(*apis);

    kube::RestConfig rc;
    rc.host = plane_->url();
    rc.tls.ca_pem = plane_->ca_pem();
    rc.token_source = std::make_shared<kube::StaticTokenSource>(identity_.token);
    client_ = kube::HttpRestClient::Create(rc, Clock::Real());
  }

  void TearDown() override {
    controller_.reset();
    // The plane has no namespace controller: a deleted namespace keeps its objects, and the next
    // test's controller (watching every namespace) would act on them. Delete them one by one.
    Api("GET", "/apis/oci.k8s.logmein.com/v1alpha1/namespaces/" + ns_ + "/reservedips", "", 0);
    if (auto doc = json::Parse(last_body_, "list");
        doc && doc->IsObject() && doc->HasMember("items")) {
      for (const auto& item : (*doc)["items"].GetArray()) {
        std::string name = item["metadata"]["name"].GetString();
        Api("PATCH", RipPath(name), R"({"metadata":{"finalizers":null}})", 0,
            "application/merge-patch+json");
        Api("DELETE", RipPath(name), "", 0);
      }
    }
    Api("DELETE", "/api/v1/namespaces/" + ns_ + "/pods?gracePeriodSeconds=0", "", 0);
    Api("DELETE", "/api/v1/namespaces/" + ns_, "", 0);
    Api("DELETE", "/api/v1/nodes/" + node_, "", 0);
    if (sim_) sim_->Stop();
    auto forbidden = plane_->ForbiddenRequests(identity_.user);
    for (size_t i = forbidden_before_; i < forbidden.size(); ++i)
      ADD_FAILURE() << "403 to the controller: " << forbidden[i];
  }

  void StartController() {
    controller_ = std::make_unique<InProcessReservedIP>(*client_, *apis_);
    ASSERT_TRUE(Eventually([&] { return controller_->Synced(); }));
  }

  bool Api(const std::string& method, const std::string& path, const std::string& body, int want,
           const std::string& content_type = "application/json") {
    auto r = plane_->Request(method, path, body, content_type);
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": " << r.error().ToString();
      return false;
    }
    last_body_ = r->body;
    if (want != 0 && r->status != want) {
      ADD_FAILURE() << method << " " << path << " -> " << r->status << ": " << r->body;
      return false;
    }
    return true;
  }

  std::string RipPath(const std::string& name) {
    return "/apis/oci.k8s.logmein.com/v1alpha1/namespaces/" + ns_ + "/reservedips/" + name;
  }

  void CreateRip(const std::string& name, const std::string& spec_json) {
    ASSERT_TRUE(Api(
        "POST", "/apis/oci.k8s.logmein.com/v1alpha1/namespaces/" + ns_ + "/reservedips",
        R"({"apiVersion":"oci.k8s.logmein.com/v1alpha1","kind":"ReservedIP","metadata":{"name":")" +
            name + R"("},"spec":)" + spec_json + "}",
        201));
  }

  // A pod on the test node with `ip` (no kubelet here: the test writes its status).
  void CreatePod(const std::string& name, const std::string& ip) {
    ASSERT_TRUE(Api("POST", "/api/v1/namespaces/" + ns_ + "/pods",
                    R"({"metadata":{"name":")" + name + R"("},"spec":{"nodeName":")" + node_ +
                        R"(","containers":[{"name":"c","image":"busybox"}]}})",
                    201));
    if (!ip.empty()) {
      ASSERT_TRUE(Api("PATCH", "/api/v1/namespaces/" + ns_ + "/pods/" + name + "/status",
                      R"({"status":{"phase":"Running","podIP":")" + ip + R"(","podIPs":[{"ip":")" +
                          ip + R"("}]}})",
                      200, "application/merge-patch+json"));
    }
  }
  void DeletePod(const std::string& name) {
    ASSERT_TRUE(Api("DELETE",
                    "/api/v1/namespaces/" + ns_ + "/pods/" + name + "?gracePeriodSeconds=0", "",
                    200));
  }

  // status.<field> of a ReservedIP ("" when absent), or the Ready condition's `field`.
  std::string Status(const std::string& name, const char* field) {
    Api("GET", RipPath(name), "", 0);
    auto doc = json::Parse(last_body_, "reservedip");
    if (!doc || !doc->IsObject()) return "";
    const json::Value* status = json::Find(*doc, "status");
    return status == nullptr ? "" : json::String(*status, field, "").value_or("");
  }
  std::string Ready(const std::string& name, const char* field) {
    Api("GET", RipPath(name), "", 0);
    auto doc = json::Parse(last_body_, "reservedip");
    if (!doc || !doc->IsObject()) return "";
    const json::Value* status = json::Find(*doc, "status");
    const json::Value* conds = status ? json::Find(*status, "conditions") : nullptr;
    if (conds == nullptr || !conds->IsArray()) return "";
    for (const auto& c : conds->GetArray()) {
      if (json::String(c, "type", "").value_or("") == "Ready")
        return json::String(c, field, "").value_or("");
    }
    return "";
  }
  bool Gone(const std::string& name) {
    auto r = plane_->Request("GET", RipPath(name), "", "application/json");
    return r && r->status == 404;
  }

  // The simulator's public IP `id` field, or "" (settled first).
  std::string SimPublicIp(const std::string& id, const char* field) {
    auto doc = json::Parse(sim_->service().StateJson(), "state");
    if (!doc) return "";
    for (const auto& ip : (*doc)["publicIps"].GetArray()) {
      if (json::String(ip, "id", "").value_or("") == id)
        return json::String(ip, field, "").value_or("");
    }
    return "";
  }
  int SimPublicIpCount() {
    auto doc = json::Parse(sim_->service().StateJson(), "state");
    int n = 0;
    for (const auto& ip : (*doc)["publicIps"].GetArray()) {
      if (json::String(ip, "lifecycleState", "").value_or("") != "TERMINATED") ++n;
    }
    return n;
  }
  int64_t Writes() {
    auto& c = sim_->service().counters();
    return c.Count("CreatePublicIp") + c.Count("UpdatePublicIp") + c.Count("DeletePublicIp");
  }

  envtest::ControlPlane* plane_ = nullptr;
  envtest::ControllerIdentity identity_;
  size_t forbidden_before_ = 0;
  std::string ns_, node_, instance_, last_body_;
  std::unique_ptr<ocisim::Simulator> sim_;
  std::unique_ptr<cloud::OciApis> apis_;
  std::unique_ptr<kube::HttpRestClient> client_;
  std::unique_ptr<InProcessReservedIP> controller_;
};

TEST_F(ReservedIPTest, AllocatesAssignsFollowsARecreatedPodUnassignsAndReleases) {
  StartController();
  // Before the pod exists: a condition naming the field, and nothing allocated yet.
  CreateRip("web", R"({"tags":{"owner":"My team"},"assignment":{"podName":"web-0"}})");
  ASSERT_TRUE(Eventually([&] { return Ready("web", "reason") == "PodNotFound"; })) << last_body_;
  EXPECT_NE(Ready("web", "message").find("spec.assignment.podName"), std::string::npos);
  EXPECT_EQ(Writes(), 0);

  // The pod appears: allocated and assigned in one call.
  CreatePod("web-0", "10.0.10.5");
  ASSERT_TRUE(Eventually([&] { return Status("web", "state") == "assigned"; })) << last_body_;
  const std::string id = Status("web", "publicIpId");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Status("web", "podName"), "web-0");
  EXPECT_EQ(Ready("web", "status"), "True");
  EXPECT_EQ(SimPublicIp(id, "lifetime"), "RESERVED");
  EXPECT_EQ(SimPublicIp(id, "displayName"), ns_ + "/web");
  EXPECT_EQ(SimPublicIp(id, "privateIpId"), kPipA);
  EXPECT_EQ(SimPublicIp(id, "lifecycleState"), "ASSIGNED");
  EXPECT_EQ(Writes(), 1);

  // The pod goes away: the IP is unassigned and stays allocated.
  DeletePod("web-0");
  ASSERT_TRUE(Eventually([&] {
    return Ready("web", "reason") == "PodNotFound" && Status("web", "state") == "allocated";
  })) << last_body_;
  EXPECT_EQ(SimPublicIp(id, "privateIpId"), "");
  // The StatefulSet pod comes back with a new address: the IP follows it.
  CreatePod("web-0", "10.0.10.6");
  ASSERT_TRUE(Eventually([&] {
    return SimPublicIp(id, "privateIpId") == kPipB && Status("web", "state") == "assigned";
  })) << last_body_;
  EXPECT_EQ(Status("web", "publicIpId"), id);

  // Removing the assignment unassigns; the IP stays reserved.
  ASSERT_TRUE(Api("PATCH", RipPath("web"), R"({"spec":{"assignment":null}})", 200,
                  "application/merge-patch+json"));
  ASSERT_TRUE(Eventually([&] {
    return Status("web", "state") == "allocated" &&
           SimPublicIp(id, "lifecycleState") == "AVAILABLE";
  })) << last_body_;
  EXPECT_EQ(SimPublicIp(id, "privateIpId"), "");
  EXPECT_EQ(Status("web", "podName"), "");

  // Delete releases it (created here, reclaimPolicy Delete by default).
  ASSERT_TRUE(Api("DELETE", RipPath("web"), "", 200));
  ASSERT_TRUE(Eventually([&] { return Gone("web"); }));
  EXPECT_EQ(SimPublicIp(id, "lifecycleState"), "TERMINATED");
  EXPECT_EQ(sim_->service().counters().Count("CreatePublicIp"), 1);
}

TEST_F(ReservedIPTest, AdoptsByAddressAndOnDeleteOnlyUnassigns) {
  StartController();
  CreateRip("adopted",
            std::string(R"({"publicIPAddress":"129.146.200.1","assignment":{"privateIpId":")") +
                kPipA + "\"}}");
  ASSERT_TRUE(Eventually([&] { return Status("adopted", "state") == "assigned"; })) << last_body_;
  EXPECT_EQ(Status("adopted", "publicIpId"), kAdoptable);
  EXPECT_EQ(Status("adopted", "publicIPAddress"), "129.146.200.1");
  EXPECT_EQ(SimPublicIp(kAdoptable, "privateIpId"), kPipA);
  EXPECT_EQ(sim_->service().counters().Count("CreatePublicIp"), 0);

  ASSERT_TRUE(Api("DELETE", RipPath("adopted"), "", 200));
  ASSERT_TRUE(Eventually([&] { return Gone("adopted"); }));
  EXPECT_EQ(SimPublicIp(kAdoptable, "lifecycleState"), "AVAILABLE");
  EXPECT_EQ(SimPublicIp(kAdoptable, "privateIpId"), "");
  EXPECT_EQ(sim_->service().counters().Count("DeletePublicIp"), 0);
}

TEST_F(ReservedIPTest, BadInputIsAConditionNamingTheFieldAndNoOciWrite) {
  StartController();
  struct Case {
    const char* name;
    std::string spec;
    const char* reason;
    const char* field;
  };
  const Case cases[] = {
      {"both-targets",
       std::string(R"({"assignment":{"podName":"p","privateIpId":")") + kPipA + "\"}}",
       "InvalidAssignment", "spec.assignment"},
      {"malformed-address", R"({"publicIPv4Address":"129.146.200"})", "InvalidAddress",
       "spec.publicIPv4Address"},
      {"bad-tag-key", R"({"tags":{"has space":"x"}})", "InvalidTags", "spec.tags"},
      {"unknown-pool", R"({"publicIPv4Pool":"ocid1.publicippool.oc1.phx.nope"})", "UnknownPool",
       "spec.publicIPv4Pool"},
      {"outside-pool",
       std::string(R"({"publicIPv4Pool":")") + kPool + R"(","publicIPv4Address":"129.146.200.1"})",
       "AddressNotInPool", "spec.publicIPv4Address"},
      {"address-unknown", R"({"publicIPv4Address":"129.146.250.250"})", "AddressNotFound",
       "spec.publicIPv4Address"},
      {"pod-missing", R"({"assignment":{"podName":"nobody"}})", "PodNotFound",
       "spec.assignment.podName"},
      {"pod-pending", R"({"assignment":{"podName":"pending-0"}})", "PodHasNoIP",
       "spec.assignment.podName"},
  };
  CreatePod("pending-0", "");  // scheduled, no IP yet
  for (const auto& c : cases) CreateRip(c.name, c.spec);
  for (const auto& c : cases) {
    ASSERT_TRUE(Eventually([&] { return Ready(c.name, "reason") == c.reason; }))
        << c.name << ": " << last_body_;
    EXPECT_EQ(Ready(c.name, "status"), "False") << c.name;
    EXPECT_NE(Ready(c.name, "message").find(c.field), std::string::npos)
        << c.name << ": " << Ready(c.name, "message");
  }
  EXPECT_EQ(Writes(), 0);
  EXPECT_EQ(SimPublicIpCount(), 1);  // only the seeded one
}

TEST_F(ReservedIPTest, AnIpCreatedBeforeACrashIsFoundByItsUidTagNotCreatedAgain) {
  // A ReservedIP whose public IP a previous leader created and then died before writing status:
  // the IP exists in OCI with the resource's uid tag; the resource has no status.
  CreateRip("crashed", "{}");
  Api("GET", RipPath("crashed"), "", 200);
  auto doc = json::Parse(last_body_, "rip");
  ASSERT_TRUE(doc);
  const std::string uid = (*doc)["metadata"]["uid"].GetString();
  ASSERT_TRUE(sim_->service().MergeState(
      std::string(
          R"({"publicIps":[{"id":"ocid1.publicip.oc1.phx.orphan","ipAddress":"129.146.201.1","compartmentId":")") +
      kCompartment + R"(","freeformTags":{"k8s-reservedip-uid":")" + uid + R"("}}]})"));
  StartController();
  ASSERT_TRUE(Eventually([&] { return Status("crashed", "state") == "allocated"; })) << last_body_;
  EXPECT_EQ(Status("crashed", "publicIpId"), "ocid1.publicip.oc1.phx.orphan");
  EXPECT_EQ(sim_->service().counters().Count("CreatePublicIp"), 0);
}

TEST_F(ReservedIPTest, ThrottledAndFailingCreatesStillMakeExactlyOneIp) {
  StartController();
  ocisim::FaultSpec throttle{
      .operation = "CreatePublicIp", .kind = ocisim::FaultKind::kThrottle, .count = 1};
  ocisim::FaultSpec error{
      .operation = "CreatePublicIp", .kind = ocisim::FaultKind::kError, .count = 1, .status = 503};
  ocisim::FaultSpec conflict{
      .operation = "UpdatePublicIp", .kind = ocisim::FaultKind::kError, .count = 1, .status = 409};
  sim_->service().faults().Add(throttle);
  sim_->service().faults().Add(error);
  sim_->service().faults().Add(conflict);
  CreatePod("api-0", "10.0.10.5");
  CreateRip("api", "{}");
  ASSERT_TRUE(Eventually([&] { return Status("api", "state") == "allocated"; })) << last_body_;
  ASSERT_TRUE(Api("PATCH", RipPath("api"), R"({"spec":{"assignment":{"podName":"api-0"}}})", 200,
                  "application/merge-patch+json"));
  ASSERT_TRUE(Eventually([&] { return Status("api", "state") == "assigned"; })) << last_body_;
  EXPECT_EQ(SimPublicIpCount(), 2);  // the seeded one and exactly one created
  EXPECT_EQ(sim_->service().counters().Count("CreatePublicIp", 200), 1);
}

TEST_F(ReservedIPTest, APrivateIpThatHasAPublicIpIsAConditionNotARetryStorm) {
  ASSERT_TRUE(sim_->service().MergeState(
      std::string(
          R"({"publicIps":[{"id":"ocid1.publicip.oc1.phx.someoneelses","ipAddress":"129.146.200.9",)") +
      R"("compartmentId":")" + kCompartment + R"(","privateIpId":")" + kPipA + R"("}]})"));
  StartController();
  CreateRip("taken", std::string(R"({"assignment":{"privateIpId":")") + kPipA + "\"}}");
  ASSERT_TRUE(Eventually([&] { return Ready("taken", "reason") == "PrivateIpHasPublicIp"; }))
      << last_body_;
  std::this_thread::sleep_for(std::chrono::seconds(3));
  // Retried on its own 1 s timer here (30 s by default), not on the queue's millisecond backoff.
  EXPECT_LE(sim_->service().counters().Count("CreatePublicIp", 409), 5);
  EXPECT_EQ(sim_->service().counters().Count("CreatePublicIp", 200), 0);
  EXPECT_EQ(SimPublicIp("ocid1.publicip.oc1.phx.someoneelses", "privateIpId"), kPipA);
}

TEST_F(ReservedIPTest, AnAssignmentThatOciDropsSilentlyIsNoticedAndSentAgain) {
  StartController();
  CreatePod("db-0", "10.0.10.5");
  CreateRip("db", "{}");
  ASSERT_TRUE(Eventually([&] { return Status("db", "state") == "allocated"; })) << last_body_;
  const std::string id = Status("db", "publicIpId");
  // OCI accepts the assignment, then the IP falls back to AVAILABLE, unassigned.
  sim_->service().faults().Add(ocisim::FaultSpec{
      .operation = "UpdatePublicIp", .kind = ocisim::FaultKind::kFailWorkRequest, .count = 1});
  ASSERT_TRUE(Api("PATCH", RipPath("db"), R"({"spec":{"assignment":{"podName":"db-0"}}})", 200,
                  "application/merge-patch+json"));
  ASSERT_TRUE(Eventually([&] {
    return Status("db", "state") == "assigned" && SimPublicIp(id, "privateIpId") == kPipA;
  })) << last_body_;
  EXPECT_EQ(sim_->service().counters().Count("UpdatePublicIp", 200), 2);
  ASSERT_TRUE(Eventually([&] {
    Api("GET", "/api/v1/namespaces/" + ns_ + "/events", "", 0);
    return last_body_.find("AssignmentFailed") != std::string::npos;
  })) << last_body_;
}

}  // namespace
}  // namespace ccm::itest
