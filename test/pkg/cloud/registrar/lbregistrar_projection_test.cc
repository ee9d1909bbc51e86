#include "pkg/cloud/registrar/lbregistrar_projection.h"

#include <gtest/gtest.h>

namespace ccm::cloud::registrar {
namespace {

json::Document Parse(const std::string& s) { return std::move(*json::Parse(s, "test")); }

TEST(LBRegistrarProjectionTest, KeepsRawSpecAndIdentity) {
  auto doc = Parse(R"({"metadata":{"name":"r1","uid":"u","generation":2,"resourceVersion":"5","finalizers":["f"]},
    "spec":{"loadBalancerId":"ocid1.lb","nodePort":30080},"status":{"phase":"READY","observedGeneration":1}})");
  auto r = ProjectLBRegistrar(doc);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->spec_json, R"({"loadBalancerId":"ocid1.lb","nodePort":30080})");
  EXPECT_EQ(r->generation, 2);
  EXPECT_EQ(r->resource_version, "5");
  EXPECT_TRUE(r->HasFinalizer("f"));
  EXPECT_EQ(ObjectKey(*r), "r1");
}

// A status write is not an update: nothing reads the status back.
TEST(LBRegistrarProjectionTest, StatusChangesDoNotChangeTheProjection) {
  auto before = ProjectLBRegistrar(Parse(R"({"metadata":{"name":"r1","generation":2,"resourceVersion":"5"},
    "spec":{"nodePort":30080},"status":{"phase":"REGISTERING","observedGeneration":1}})"));
  auto after = ProjectLBRegistrar(Parse(R"({"metadata":{"name":"r1","generation":2,"resourceVersion":"6"},
    "spec":{"nodePort":30080},"status":{"phase":"READY","observedGeneration":2,"registeredBackends":3}})"));
  ASSERT_TRUE(before && after);
  EXPECT_TRUE(*before == *after);
  auto edited = ProjectLBRegistrar(Parse(R"({"metadata":{"name":"r1","generation":3,"resourceVersion":"7"},
    "spec":{"nodePort":30081}})"));
  ASSERT_TRUE(edited);
  EXPECT_FALSE(*before == *edited);
}

TEST(LBRegistrarProjectionTest, NameIsRequired) {
  auto r = ProjectLBRegistrar(Parse(R"({"metadata":{},"spec":{}})"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("metadata.name"), std::string::npos);
}

}  // namespace
}  // namespace ccm::cloud::registrar
