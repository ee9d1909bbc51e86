// Two concurrent writes to one load balancer through this project's OCI client: the simulator
// runs one work request per load balancer and answers 409 to the other write; the client's
// retry (409 IncorrectState is retryable, the retry token keeps it idempotent) lands it, and
// both changes end applied exactly once.
#include <gtest/gtest.h>

#include <thread>

#include "pkg/base/curl_transport.h"
#include "pkg/base/json.h"
#include "pkg/oci/auth/api_key_signer.h"
#include "pkg/oci/auth/rsa_key.h"
#include "pkg/oci/clients/load_balancer_client.h"
#include "pkg/oci/transport/endpoint.h"
#include "pkg/oci/transport/oci_transport.h"
#include "test/ocisim/simulator.h"
#include "test/support/test_pki.h"

namespace ccm::oci {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.concurrent";

TEST(ConcurrentWritesTest, BothWritesLandExactlyOnceDespiteThe409) {
  ocisim::Simulator sim({.work_request_latency = std::chrono::milliseconds(400)});
  ASSERT_TRUE(sim.Start());
  ASSERT_TRUE(sim.service().ReplaceState(std::string(R"({"loadBalancers":[{"id":")") + kLb +
                                         R"(","compartmentId":"ocid1.compartment.oc1..c","backendSets":{"web":{"policy":"ROUND_ROBIN",)"
                                         R"("healthChecker":{"protocol":"TCP","port":80},"backends":[]}}}]})"));
  auto key = testing::GenerateRsaKey();
  ASSERT_TRUE(key);
  auto rsa = RsaPrivateKey::FromPem(key->key_pem, "", "test key");
  ASSERT_TRUE(rsa);
  std::string key_id = "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/" + rsa->Fingerprint();
  ASSERT_TRUE(sim.service().verifier().AddKey(key_id, key->cert_pem));

  CurlTransport http({.tls = {.ca_pem = sim.ca_pem()}});
  auto signer = ApiKeySigner::Create({.tenancy = "ocid1.tenancy.oc1..t", .user = "ocid1.user.oc1..u",
                                      .fingerprint = rsa->Fingerprint(), .private_key_pem = key->key_pem},
                                     Clock::Real());
  ASSERT_TRUE(signer) << signer.error().ToString();
  OciTransportOptions options;
  options.retry.backoff = {std::chrono::milliseconds(100), std::chrono::milliseconds(800), 2.0, 0.3};
  options.retry.max_attempts = 10;
  OciTransport transport(http, **signer, Clock::Real(), options);
  LoadBalancerClient client(transport, {.base_url = sim.url(), .version_path = std::string(kLoadBalancerApiVersion)});

  Result<std::string> first, second;
  std::thread a([&] { first = client.CreateBackend(kLb, "web", LbBackend{.ip_address = "10.0.0.1", .port = 80}); });
  std::thread b([&] { second = client.CreateBackend(kLb, "web", LbBackend{.ip_address = "10.0.0.2", .port = 80}); });
  a.join();
  b.join();
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_NE(*first, *second);

  // One of the two met the in-flight work request and was answered 409 before it landed.
  EXPECT_GE(sim.service().counters().Count("CreateBackend", 409), 1) << sim.service().counters().Json();
  EXPECT_EQ(sim.service().counters().Count("CreateBackend", 204), 2);

  auto set = client.GetBackendSet(kLb, "web");
  for (int i = 0; i < 50 && set && set->backends.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    set = client.GetBackendSet(kLb, "web");
  }
  ASSERT_TRUE(set);
  std::vector<std::string> names;
  for (const auto& backend : set->backends) names.push_back(backend.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"10.0.0.1:80", "10.0.0.2:80"}));
  sim.Stop();
}

}  // namespace
}  // namespace ccm::oci
