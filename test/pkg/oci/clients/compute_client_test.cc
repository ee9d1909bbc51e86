#include "pkg/oci/clients/compute_client.h"

#include <gtest/gtest.h>

#include "test/pkg/oci/oci_test_env.h"

namespace ccm::oci {
namespace {

using test::kComputeEndpoint;
using test::OciTestEnv;

const std::string kBase = "https://127.0.0.1:8443/20160918";

std::string InstanceJson(const std::string& id) {
  return R"({"id":")" + id + R"(","availabilityDomain":"Uocm:PHX-AD-1","lifecycleState":"RUNNING"})";
}

TEST(ComputeClientTest, ListInstancesFollowsEveryPage) {
  OciTestEnv env;
  ComputeClient client(*env.transport, kComputeEndpoint);
  env.Respond(200, "[" + InstanceJson("i1") + "," + InstanceJson("i2") + "]", {{"opc-next-page", "tok/2=="}});
  env.Respond(200, "[" + InstanceJson("i3") + "]", {{"opc-next-page", "tok3"}});
  env.Respond(200, "[]");
  auto list = client.ListInstances("ocid1.compartment.oc1..c", "node 1");
  ASSERT_TRUE(list) << list.error().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[2].id, "i3");
  ASSERT_EQ(env.requests.size(), 3u);
  EXPECT_EQ(env.requests[0].url, kBase + "/instances?compartmentId=ocid1.compartment.oc1..c&displayName=node%201&limit=100");
  EXPECT_EQ(env.requests[1].url,
            kBase + "/instances?compartmentId=ocid1.compartment.oc1..c&displayName=node%201&limit=100&page=tok%2F2%3D%3D");
  EXPECT_EQ(env.requests[2].url,
            kBase + "/instances?compartmentId=ocid1.compartment.oc1..c&displayName=node%201&limit=100&page=tok3");
}

TEST(ComputeClientTest, GetInstanceVnicAttachmentsAndVnic) {
  OciTestEnv env;
  ComputeClient client(*env.transport, kComputeEndpoint);
  env.Respond(200, InstanceJson("ocid1.instance.oc1..i"));
  auto inst = client.GetInstance("ocid1.instance.oc1..i");
  ASSERT_TRUE(inst);
  EXPECT_EQ(env.requests[0].url, kBase + "/instances/ocid1.instance.oc1..i");

  env.Respond(200, R"([{"id":"a","instanceId":"ocid1.instance.oc1..i","vnicId":"v","lifecycleState":"ATTACHED"}])");
  auto atts = client.ListVnicAttachments("c", "ocid1.instance.oc1..i");
  ASSERT_TRUE(atts);
  EXPECT_EQ(env.requests[1].url, kBase + "/vnicAttachments?compartmentId=c&instanceId=ocid1.instance.oc1..i&limit=100");

  env.Respond(200, R"({"id":"v","isPrimary":true,"privateIp":"10.0.0.3"})");
  auto vnic = client.GetVnic("v");
  ASSERT_TRUE(vnic);
  EXPECT_EQ(vnic->private_ip, "10.0.0.3");
  EXPECT_EQ(env.requests[2].url, kBase + "/vnics/v");
  EXPECT_EQ(env.requests[2].method, "GET");
}

TEST(ComputeClientTest, ErrorsOnALaterPageAreReturned) {
  OciTestEnv env;
  ComputeClient client(*env.transport, kComputeEndpoint);
  env.Respond(200, "[" + InstanceJson("i1") + "]", {{"opc-next-page", "p2"}});
  env.Respond(401, R"({"code":"NotAuthenticated","message":"clock skew"})");
  auto list = client.ListInstances("c");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().kind, ErrorKind::kUnauthenticated);
  EXPECT_EQ(env.requests.size(), 2u);
}

}  // namespace
}  // namespace ccm::oci
