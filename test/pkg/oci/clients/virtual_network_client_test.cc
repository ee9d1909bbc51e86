#include "pkg/oci/clients/virtual_network_client.h"

#include <gtest/gtest.h>

#include "test/pkg/oci/oci_test_env.h"

namespace ccm::oci {
namespace {

using test::HeaderOf;
using test::kComputeEndpoint;
using test::OciTestEnv;

const std::string kBase = "https://127.0.0.1:8443/20160918";

std::string PublicIpJson(const std::string& state, const std::string& private_ip = "") {
  return R"({"id":"ocid1.publicip.oc1.phx.p","ipAddress":"129.146.0.9","lifetime":"RESERVED","scope":"REGION",)"
         R"("lifecycleState":")" +
         state + R"(","compartmentId":"c","privateIpId":)" +
         (private_ip.empty() ? std::string("null") : "\"" + private_ip + "\"") +
         R"(,"freeformTags":{"k8s-reservedip-uid":"u1"}})";
}

TEST(VirtualNetworkClientTest, CreatePublicIpSendsTheCallersRetryTokenOnEveryAttempt) {
  OciTestEnv env;
  VirtualNetworkClient client(*env.transport, kComputeEndpoint);
  env.Respond(503, R"({"code":"ServiceUnavailable","message":"busy"})");
  env.Respond(200, PublicIpJson("PROVISIONING"));
  auto ip = client.CreatePublicIp(
      {.compartment_id = "c", .display_name = "ns/a", .freeform_tags = {{"owner", "me"}}},
      "reservedip-u1");
  ASSERT_TRUE(ip) << ip.error().ToString();
  EXPECT_EQ(ip->lifecycle_state, "PROVISIONING");
  EXPECT_EQ(ip->freeform_tags.at("k8s-reservedip-uid"), "u1");
  ASSERT_EQ(env.requests.size(), 2u);
  for (const auto& r : env.requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url, kBase + "/publicIps");
    // Exactly one token header, the caller's: a crash and retry gets the same public IP back.
    int tokens = 0;
    for (const auto& [k, v] : r.headers) tokens += k == "opc-retry-token";
    EXPECT_EQ(tokens, 1);
    EXPECT_EQ(HeaderOf(r, "opc-retry-token"), "reservedip-u1");
    EXPECT_EQ(
        r.body,
        R"({"compartmentId":"c","lifetime":"RESERVED","displayName":"ns/a","freeformTags":{"owner":"me"}})");
  }
}

TEST(VirtualNetworkClientTest, UpdateWritesOnlyWhatIsSetAndEmptyUnassigns) {
  OciTestEnv env;
  VirtualNetworkClient client(*env.transport, kComputeEndpoint);
  env.Respond(200, PublicIpJson("UNASSIGNING"));
  ASSERT_TRUE(client.UpdatePublicIp("ocid1.publicip.oc1.phx.p", {.private_ip_id = std::string()}));
  EXPECT_EQ(env.requests[0].method, "PUT");
  EXPECT_EQ(env.requests[0].url, kBase + "/publicIps/ocid1.publicip.oc1.phx.p");
  EXPECT_EQ(env.requests[0].body, R"({"privateIpId":""})");
  env.Respond(200, PublicIpJson("ASSIGNING", "ocid1.privateip.oc1.phx.x"));
  auto moved = client.UpdatePublicIp("ocid1.publicip.oc1.phx.p",
                                     {.private_ip_id = std::string("ocid1.privateip.oc1.phx.x")});
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->private_ip_id, "ocid1.privateip.oc1.phx.x");
  EXPECT_TRUE(moved->InTransition());
  EXPECT_EQ(env.requests[1].body, R"({"privateIpId":"ocid1.privateip.oc1.phx.x"})");
}

TEST(VirtualNetworkClientTest, ReadsAndListsUseOcisPathsAndQueries) {
  OciTestEnv env;
  VirtualNetworkClient client(*env.transport, kComputeEndpoint);
  env.Respond(200, PublicIpJson("AVAILABLE"));
  ASSERT_TRUE(client.GetPublicIpByIpAddress("129.146.0.9"));
  EXPECT_EQ(env.requests[0].method, "POST");
  EXPECT_EQ(env.requests[0].url, kBase + "/publicIps/actions/getByIpAddress");
  EXPECT_EQ(env.requests[0].body, R"({"ipAddress":"129.146.0.9"})");

  env.Respond(200, "[" + PublicIpJson("ASSIGNED", "pip") + "]", {{"opc-next-page", "p2"}});
  env.Respond(200, "[]");
  auto list = client.ListReservedPublicIps("c");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
  EXPECT_EQ(env.requests[1].url,
            kBase + "/publicIps?scope=REGION&compartmentId=c&lifetime=RESERVED&limit=100");
  EXPECT_EQ(env.requests[2].url,
            kBase + "/publicIps?scope=REGION&compartmentId=c&lifetime=RESERVED&limit=100&page=p2");

  env.Respond(
      200,
      R"([{"id":"pip","ipAddress":"10.0.0.5","subnetId":"s","vnicId":"v","isPrimary":false}])");
  auto pips = client.ListPrivateIpsByAddress("10.0.0.5", "s");
  ASSERT_TRUE(pips);
  ASSERT_EQ(pips->size(), 1u);
  EXPECT_EQ((*pips)[0].vnic_id, "v");
  EXPECT_EQ(env.requests[3].url, kBase + "/privateIps?ipAddress=10.0.0.5&subnetId=s&limit=100");

  env.Respond(200, R"({"id":"s","cidrBlock":"10.0.0.0/16","prohibitPublicIpOnVnic":true})");
  auto subnet = client.GetSubnet("s");
  ASSERT_TRUE(subnet);
  EXPECT_TRUE(subnet->prohibit_public_ip_on_vnic);

  env.Respond(200, R"({"id":"pool","compartmentId":"c","cidrBlocks":["192.0.2.0/24"]})");
  auto pool = client.GetPublicIpPool("pool");
  ASSERT_TRUE(pool);
  EXPECT_EQ(pool->cidr_blocks, std::vector<std::string>{"192.0.2.0/24"});
  EXPECT_EQ(env.requests[5].url, kBase + "/publicIpPools/pool");
}

TEST(VirtualNetworkClientTest, DeleteAndNotFound) {
  OciTestEnv env;
  VirtualNetworkClient client(*env.transport, kComputeEndpoint);
  env.Respond(204, "");
  ASSERT_TRUE(client.DeletePublicIp("p"));
  EXPECT_EQ(env.requests[0].method, "DELETE");
  env.Respond(404, R"({"code":"NotAuthorizedOrNotFound","message":"gone"})");
  auto got = client.GetPublicIp("p");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind, ErrorKind::kNotFound);
}

}  // namespace
}  // namespace ccm::oci
