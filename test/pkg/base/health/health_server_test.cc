// The health server over real HTTPS on loopback, fetched with the production CurlTransport.
#include "pkg/base/health/health_server.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "pkg/base/curl_transport.h"
#include "test/pkg/base/metrics/exposition_parser.h"
#include "test/support/test_pki.h"

namespace ccm::health {
namespace {

int ThreadCount() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

Result<HttpResponse> Get(const std::string& ca_pem, const std::string& url) {
  CurlTransport transport({.tls = {.ca_pem = ca_pem}, .connect_timeout = std::chrono::seconds(5)});
  return transport.Send({.method = "GET", .url = url, .timeout = std::chrono::seconds(10)});
}

class HealthServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.AddCounter("ccm_test_syncs_total", "Syncs.", {"result"}).WithLabels({"success"}).Inc(3);
    server_ = std::make_unique<HealthServer>(
        HealthServerOptions{.bind_address = "127.0.0.1", .port = 0, .metrics = &registry_}, Clock::Real());
    auto st = server_->Start();
    ASSERT_TRUE(st) << st.error().ToString();
    ASSERT_GT(server_->port(), 0);
    base_ = "https://127.0.0.1:" + std::to_string(server_->port());
  }

  Result<HttpResponse> Fetch(const std::string& path) { return Get(server_->certificate_pem(), base_ + path); }

  metrics::Registry registry_;
  std::unique_ptr<HealthServer> server_;
  std::string base_;
};

TEST_F(HealthServerTest, HealthzAndLivezReportFailingChecksByName) {
  for (const char* path : {"/healthz", "/livez"}) {
    auto r = Fetch(path);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->body, "ok") << path;
  }
  std::atomic<bool> leading{true};
  server_->checks().AddHealthCheck("leader-election", [&]() -> Status {
    if (leading) return {};
    return Fail(ErrorKind::kUnavailable, "lease renewal failed 3 times");
  });
  auto healthy = Fetch("/healthz?verbose");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);
  EXPECT_EQ(healthy->body, "[+]leader-election ok\nhealthz check passed\n");

  leading = false;
  for (const char* path : {"/healthz", "/livez"}) {
    auto r = Fetch(path);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 500) << path;
    EXPECT_EQ(r->body, "[-]leader-election failed: lease renewal failed 3 times\nhealthz check failed\n");
    EXPECT_EQ(r->Header("cache-control"), "no-store");
  }
}

TEST_F(HealthServerTest, ReadyzIsUnavailableUntilEveryReadinessCheckPasses) {
  std::atomic<bool> synced{false};
  server_->checks().AddReadinessCheck("informers-synced", [&] { return synced.load(); });
  server_->checks().AddReadinessCheck("cloud-config", [] { return true; });
  auto r = Fetch("/readyz");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, "[+]cloud-config ok\n[-]informers-synced not ready\nreadyz check failed\n");
  // Readiness is separate from health.
  auto h = Fetch("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);

  synced = true;
  r = Fetch("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
}

TEST_F(HealthServerTest, MetricsServeTheRegistryInTextFormat) {
  auto r = Fetch("/metrics");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  auto e = metrics::testing::ParseExposition(r->body);
  EXPECT_EQ(e.error, "");
  EXPECT_EQ(e.Value("ccm_test_syncs_total", {{"result", "success"}}), 3);
  // Served live, not a copy made at start.
  registry_.AddGauge("ccm_test_late", "Registered after start.").Get().Set(9);
  r = Fetch("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(metrics::testing::ParseExposition(r->body).Value("ccm_test_late"), 9);

  auto missing = Fetch("/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(HealthServerTest, CertificateCoversLocalhostAndUntrustingClientsAreRefused) {
  auto by_name = Get(server_->certificate_pem(), "https://localhost:" + std::to_string(server_->port()) + "/healthz");
  ASSERT_TRUE(by_name) << by_name.error().ToString();
  EXPECT_EQ(by_name->status, 200);
  // Without the served certificate as a trust anchor, verification fails: TLS is real.
  auto untrusted = Get("", base_ + "/healthz");
  EXPECT_FALSE(untrusted);
  // A different self-signed certificate is not accepted either.
  HealthServer other({.bind_address = "127.0.0.1", .port = 0}, Clock::Real());
  ASSERT_TRUE(other.Start());
  EXPECT_NE(other.certificate_pem(), server_->certificate_pem());
  EXPECT_FALSE(Get(other.certificate_pem(), base_ + "/healthz"));
}

TEST_F(HealthServerTest, SecondServerOnTheSamePortFailsClearly) {
  HealthServer clash({.bind_address = "127.0.0.1", .port = server_->port()}, Clock::Real());
  auto st = clash.Start();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(server_->port())),
            std::string::npos)
      << st.error().message;
  EXPECT_EQ(clash.port(), 0);
  auto again = server_->Start();
  EXPECT_FALSE(again);  // already started
}

TEST(HealthServerLifecycleTest, StopJoinsEveryThreadAndClosesThePort) {
  int before = ThreadCount();
  for (int round = 0; round < 3; ++round) {
    HealthServer server({.bind_address = "127.0.0.1", .port = 0, .worker_threads = 3}, Clock::Real());
    ASSERT_TRUE(server.Start());
    std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/healthz";
    auto r = Get(server.certificate_pem(), url);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_GT(ThreadCount(), before);  // listener and workers are running
    server.Stop();
    server.Stop();  // idempotent
    EXPECT_EQ(ThreadCount(), before);
    EXPECT_EQ(server.port(), 0);
    EXPECT_FALSE(Get(server.certificate_pem(), url));  // nothing listens any more
  }
  // Destruction without Stop also joins.
  {
    HealthServer server({.bind_address = "127.0.0.1", .port = 0}, Clock::Real());
    ASSERT_TRUE(server.Start());
  }
  EXPECT_EQ(ThreadCount(), before);
}

TEST(HealthServerTlsFilesTest, ServesTheGivenCertificatePair) {
  auto ca = testing::GenerateCa("health-test-ca");
  ASSERT_TRUE(ca);
  auto leaf = testing::IssueCertificate(*ca, {.common_name = "ccm", .dns_names = {"localhost"},
                                             .ip_addresses = {"127.0.0.1"}});
  ASSERT_TRUE(leaf);
  std::string dir = ::testing::TempDir() + "/health-tls-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/tls.crt") << leaf->cert_pem;
  std::ofstream(dir + "/tls.key") << leaf->key_pem;

  HealthServer server({.bind_address = "127.0.0.1", .port = 0, .tls_cert_file = dir + "/tls.crt",
                       .tls_private_key_file = dir + "/tls.key"}, Clock::Real());
  auto st = server.Start();
  ASSERT_TRUE(st) << st.error().ToString();
  EXPECT_EQ(server.certificate_pem(), leaf->cert_pem);
  // A client trusting only the CA reaches it: the served chain is the given one.
  auto r = Get(ca->cert_pem, "https://127.0.0.1:" + std::to_string(server.port()) + "/healthz");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->body, "ok");
  server.Stop();

  HealthServer half({.port = 0, .tls_cert_file = dir + "/tls.crt"}, Clock::Real());
  auto bad = half.Start();
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("must be set together"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ccm::health
