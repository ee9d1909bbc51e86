// Reading a large load balancer through this project's OCI clients: the GET answer carries
// every backend of every backend set, and the clients keep only set names. The backends must
// be dropped as the body streams in, not after it is whole: this records what the HTTP layer
// buffered for each answer.
#include <gtest/gtest.h>

#include <mutex>

#include "pkg/base/curl_transport.h"
#include "pkg/oci/auth/api_key_signer.h"
#include "pkg/oci/auth/rsa_key.h"
#include "pkg/oci/clients/load_balancer_client.h"
#include "pkg/oci/clients/network_load_balancer_client.h"
#include "pkg/oci/transport/endpoint.h"
#include "pkg/oci/transport/oci_transport.h"
#include "test/ocisim/simulator.h"
#include "test/support/test_pki.h"

namespace ccm::oci {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.big";
constexpr char kNlb[] = "ocid1.networkloadbalancer.oc1.phx.big";
constexpr int kSets = 20;
constexpr int kBackendsPerSet = 300;

// Passes requests to the real transport and remembers the largest body it handed back.
class BufferedBytesRecorder final : public HttpTransport {
 public:
  explicit BufferedBytesRecorder(HttpTransport& inner) : inner_(inner) {}
  Result<HttpResponse> Send(const HttpRequest& request) override {
    auto r = inner_.Send(request);
    if (r) {
      std::lock_guard lock(mu_);
      largest_ = std::max(largest_, r->body.size());
    }
    return r;
  }
  Status Stream(const HttpRequest& request, const StreamHandler& handler) override {
    return inner_.Stream(request, handler);
  }
  size_t TakeLargest() {
    std::lock_guard lock(mu_);
    return std::exchange(largest_, 0);
  }

 private:
  HttpTransport& inner_;
  std::mutex mu_;
  size_t largest_ = 0;
};

std::string LoadBalancerJson(const std::string& id, bool network) {
  std::string sets;
  for (int s = 0; s < kSets; ++s) {
    if (s > 0) sets += ",";
    std::string name = "set-" + std::to_string(s);
    sets += "\"" + name + "\":{\"policy\":\"" + (network ? "FIVE_TUPLE" : "ROUND_ROBIN") +
            "\",\"healthChecker\":{\"protocol\":\"TCP\",\"port\":80},\"backends\":[";
    for (int b = 0; b < kBackendsPerSet; ++b) {
      if (b > 0) sets += ",";
      std::string ip = "10." + std::to_string(s) + "." + std::to_string(b / 250) + "." + std::to_string(b % 250 + 1);
      sets += network ? "{\"targetId\":\"ocid1.instance.oc1.phx.anyhqljsor7l2xicdzxuczjyqbipmhrmfeo5qm3xkmhggm7ui" +
                            std::to_string(s) + "x" + std::to_string(b) + "\",\"port\":30080}"
                      : "{\"ipAddress\":\"" + ip + "\",\"port\":30080}";
    }
    sets += "]}";
  }
  return "{\"id\":\"" + id + "\",\"compartmentId\":\"ocid1.compartment.oc1..c\",\"backendSets\":{" + sets + "}}";
}

TEST(LoadBalancerReadMemoryTest, BackendsAreDroppedWhileTheAnswerStreamsIn) {
  ocisim::Simulator sim;
  ASSERT_TRUE(sim.Start());
  ASSERT_TRUE(sim.service().ReplaceState("{\"loadBalancers\":[" + LoadBalancerJson(kLb, false) +
                                         "],\"networkLoadBalancers\":[" + LoadBalancerJson(kNlb, true) + "]}"));
  auto key = testing::GenerateRsaKey();
  ASSERT_TRUE(key);
  auto rsa = RsaPrivateKey::FromPem(key->key_pem, "", "test key");
  ASSERT_TRUE(rsa);
  ASSERT_TRUE(sim.service().verifier().AddKey("ocid1.tenancy.oc1..t/ocid1.user.oc1..u/" + rsa->Fingerprint(),
                                              key->cert_pem));
  CurlTransport curl({.tls = {.ca_pem = sim.ca_pem()}});
  BufferedBytesRecorder http(curl);
  auto signer = ApiKeySigner::Create({.tenancy = "ocid1.tenancy.oc1..t", .user = "ocid1.user.oc1..u",
                                      .fingerprint = rsa->Fingerprint(), .private_key_pem = key->key_pem},
                                     Clock::Real());
  ASSERT_TRUE(signer) << signer.error().ToString();
  OciTransport transport(http, **signer, Clock::Real());
  LoadBalancerClient lb_client(transport, {.base_url = sim.url(), .version_path = std::string(kLoadBalancerApiVersion)});
  NetworkLoadBalancerClient nlb_client(
      transport, {.base_url = sim.url(), .version_path = std::string(kNetworkLoadBalancerApiVersion)});

  // What a whole answer weighs: one backend set alone.
  auto one_set = lb_client.GetBackendSet(kLb, "set-0");
  ASSERT_TRUE(one_set) << one_set.error().ToString();
  ASSERT_EQ(one_set->backends.size(), static_cast<size_t>(kBackendsPerSet));
  const size_t one_set_bytes = http.TakeLargest();
  ASSERT_GT(one_set_bytes, 5000u);

  auto lb = lb_client.GetLoadBalancer(kLb);
  ASSERT_TRUE(lb) << lb.error().ToString();
  EXPECT_EQ(lb->backend_set_names.size(), static_cast<size_t>(kSets));
  EXPECT_EQ(lb->id, kLb);
  // Twenty sets' names and policies, less than one set's backends.
  EXPECT_LT(http.TakeLargest(), one_set_bytes);

  auto nlb = nlb_client.GetNetworkLoadBalancer(kNlb);
  ASSERT_TRUE(nlb) << nlb.error().ToString();
  EXPECT_EQ(nlb->backend_set_names.size(), static_cast<size_t>(kSets));
  EXPECT_EQ(nlb->backend_set_names.front(), "set-0");
  EXPECT_LT(http.TakeLargest(), one_set_bytes);

  // Not found still reads the error body whole: the code and message reach the caller.
  auto missing = lb_client.GetLoadBalancer("ocid1.loadbalancer.oc1.phx.missing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound) << missing.error().ToString();
  EXPECT_NE(missing.error().ToString().find("NotAuthorizedOrNotFound"), std::string::npos) << missing.error().ToString();
  sim.Stop();
}

}  // namespace
}  // namespace ccm::oci
