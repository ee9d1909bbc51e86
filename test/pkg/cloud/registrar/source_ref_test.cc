#include "pkg/cloud/registrar/source_ref.h"

#include <gtest/gtest.h>

namespace ccm::cloud::registrar {
namespace {

TEST(SourceRefTest, RoundTripsTheRecordedForms) {
  auto r = SourceRef::Parse("LBRegistrar/web");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, SourceKind::kLBRegistrar);
  EXPECT_EQ(r->name, "web");
  EXPECT_EQ(r->String(), "LBRegistrar/web");
  EXPECT_EQ(r->ObjectKey(), "web");
  EXPECT_EQ(r->ApiPath(), "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/web");

  auto s = SourceRef::Parse("Service/shop/front");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, SourceKind::kService);
  EXPECT_EQ(s->namespace_name, "shop");
  EXPECT_EQ(s->name, "front");
  EXPECT_EQ(s->String(), "Service/shop/front");
  EXPECT_EQ(s->ObjectKey(), "shop/front");
  EXPECT_EQ(s->ApiPath(), "/api/v1/namespaces/shop/services/front");
}

TEST(SourceRefTest, RefusesAnythingElse) {
  for (const char* bad : {"", "LBRegistrar/", "LBRegistrar/a/b", "Service/", "Service/ns", "Service/ns/",
                          "Service//name", "Service/a/b/c", "Deployment/x", "lbregistrar/x"}) {
    EXPECT_FALSE(SourceRef::Parse(bad)) << bad;
  }
}

TEST(SourceRefTest, EventReferencesNameTheKind) {
  auto svc = SourceRef::Service("shop", "front").Reference("uid-1", "42");
  EXPECT_EQ(svc.kind, "Service");
  EXPECT_EQ(svc.namespace_, "shop");
  EXPECT_EQ(svc.api_version, "v1");
  EXPECT_EQ(svc.uid, "uid-1");
  auto reg = SourceRef::LBRegistrar("web").Reference("", "");
  EXPECT_EQ(reg.kind, "LBRegistrar");
  EXPECT_EQ(reg.namespace_, "");
  EXPECT_EQ(reg.api_version, "nodes.peppy-ratio.dev/v1alpha1");
}

}  // namespace
}  // namespace ccm::cloud::registrar
