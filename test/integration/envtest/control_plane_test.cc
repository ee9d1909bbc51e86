// Proves the harness: a real kube-apiserver + etcd start, take a CRD and a Node, and stop
// without leaving processes behind.
#include "test/envtest/control_plane.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "pkg/base/json.h"

namespace ccm::envtest {
namespace {

std::string SourceFile(const std::string& rel) {
  const char* root = std::getenv("CCM_SOURCE_DIR");
  std::ifstream f(std::string(root ? root : ".") + "/" + rel);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(ControlPlaneTest, ServesCrdsAndNodesAndStopsCleanly) {
  ControlPlane plane;
  ASSERT_TRUE(plane.Start()) << "start failed";
  std::cout << "kube-apiserver version: " << plane.server_version() << std::endl;
  EXPECT_TRUE(plane.server_version().starts_with("v1.34.")) << plane.server_version();

  // The CRD from deploy/kubernetes is accepted and becomes Established.
  auto applied = plane.Kubectl({"apply", "-f", "-"}, SourceFile("deploy/kubernetes/crd-lbregistrar.yaml"));
  ASSERT_TRUE(applied) << applied.error().ToString();
  auto established = plane.Kubectl({"wait", "--for=condition=Established", "--timeout=60s",
                                    "crd/lbregistrars.nodes.peppy-ratio.dev"});
  ASSERT_TRUE(established) << established.error().ToString();

  // A Node round-trips through the API.
  auto created = plane.Request("POST", "/api/v1/nodes",
                               R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a","labels":{"role":"worker"}},
                                   "spec":{"providerID":"oci://ocid1.instance.oc1..a"}})");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  auto got = plane.Request("GET", "/api/v1/nodes/node-a");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200);
  auto doc = json::Parse(got->body, "node");
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::String((*doc)["spec"], "providerID", "spec").value(), "oci://ocid1.instance.oc1..a");
  EXPECT_EQ(json::String((*doc)["metadata"]["labels"], "role", "labels").value(), "worker");

  std::string dir = plane.work_dir();
  plane.Stop();
  EXPECT_FALSE(plane.Request("GET", "/readyz").has_value());
  // Nothing left listening or on disk.
  std::ifstream gone(dir + "/kubeconfig");
  EXPECT_FALSE(gone.good());
}

TEST(ControlPlaneTest, RbacDeniesUnboundIdentity) {
  ControlPlane plane;
  std::string token = plane.AddTokenUser("no-rbac-user", {});
  ASSERT_TRUE(plane.Start());
  HttpRequest req{.method = "GET", .url = plane.url() + "/api/v1/nodes",
                  .headers = {{"Authorization", "Bearer " + token}}};
  auto r = plane.transport().Send(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403) << r->body;
}

TEST(ControlPlaneTest, ApiServerRestartKeepsData) {
  ControlPlane plane;
  ASSERT_TRUE(plane.Start());
  auto created = plane.Request("POST", "/api/v1/namespaces",
                               R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kept"}})");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201);
  plane.StopApiServer();
  EXPECT_FALSE(plane.Request("GET", "/readyz").has_value());
  ASSERT_TRUE(plane.StartApiServer());
  auto got = plane.Request("GET", "/api/v1/namespaces/kept");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
}

}  // namespace
}  // namespace ccm::envtest
