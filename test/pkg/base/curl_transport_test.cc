#include "pkg/base/curl_transport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "test/support/https_server.h"

namespace ccm {
namespace {

using testing::ServerThread;

TEST(CurlTransportTest, ReusesOneConnectionAcrossRequests) {
  httplib::Server server;
  server.Get("/ping", [](const httplib::Request&, httplib::Response& res) { res.set_content("pong", "text/plain"); });
  server.set_keep_alive_max_count(1000);  // httplib closes after 5 requests by default
  ServerThread st(server);
  CurlTransport transport({});
  for (int i = 0; i < 20; ++i) {
    auto r = transport.Send({.url = "http://127.0.0.1:" + std::to_string(st.port()) + "/ping"});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "pong");
  }
  EXPECT_EQ(transport.connections_opened(), 1);
}

TEST(CurlTransportTest, SendsMethodHeadersAndBody) {
  httplib::Server server;
  std::string seen;
  server.Put("/x", [&](const httplib::Request& req, httplib::Response& res) {
    seen = req.method + " " + req.get_header_value("X-Test") + " " + req.body;
    res.set_header("Opc-Request-Id", "abc");
    res.status = 204;
  });
  ServerThread st(server);
  CurlTransport transport({});
  auto r = transport.Send({.method = "PUT", .url = "http://127.0.0.1:" + std::to_string(st.port()) + "/x",
                           .headers = {{"X-Test", "yes"}, {"Content-Type", "application/json"}},
                           .body = "{\"a\":1}"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->Header("opc-request-id"), "abc");  // names are lower-cased
  EXPECT_EQ(seen, "PUT yes {\"a\":1}");
}

// A CA and an HTTPS server on 127.0.0.1 whose certificate it issued; `server` is null on failure.
struct CaAndServer {
  testing::KeyPair ca;
  std::unique_ptr<httplib::SSLServer> server;
};
CaAndServer HttpsServerWithOwnCa(const std::string& ca_name) {
  auto ca = testing::GenerateCa(ca_name);
  if (!ca) return {};
  auto serving = testing::IssueCertificate(*ca, {.common_name = "localhost", .ip_addresses = {"127.0.0.1"}});
  if (!serving) return {};
  auto server = testing::MakeHttpsServer(*serving);
  if (!server->is_valid()) return {};
  return {std::move(*ca), std::move(server)};
}

TEST(CurlTransportTest, TlsIsVerifiedAgainstTheConfiguredCa) {
  auto [ca, server] = HttpsServerWithOwnCa("test-ca");
  ASSERT_NE(server, nullptr);
  server->Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  ServerThread st(*server);
  std::string url = "https://127.0.0.1:" + std::to_string(st.port()) + "/ok";

  CurlTransport untrusting({});
  auto refused = untrusting.Send({.url = url});
  ASSERT_FALSE(refused);
  EXPECT_FALSE(refused.error().retryable) << refused.error().ToString();

  auto other_ca = testing::GenerateCa("other-ca");
  ASSERT_TRUE(other_ca);
  CurlTransport wrong_ca({.tls = {.ca_pem = other_ca->cert_pem}});
  EXPECT_FALSE(wrong_ca.Send({.url = url}));

  CurlTransport trusting({.tls = {.ca_pem = ca.cert_pem}});
  auto ok = trusting.Send({.url = url});
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->body, "ok");
}

TEST(CurlTransportTest, StreamDeliversChunksAndStopsOnCancel) {
  httplib::Server server;
  std::atomic<bool> server_stop{false};
  server.Get("/stream", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [&](size_t, httplib::DataSink& sink) {
      if (server_stop) return false;
      sink.write("line\n", 5);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return true;
    });
  });
  ServerThread st(server);
  CurlTransport transport({});
  std::atomic<bool> cancel{false};
  int status = 0;
  size_t bytes = 0;
  auto begin = std::chrono::steady_clock::now();
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel = true;
  });
  Status result = transport.Stream(
      {.url = "http://127.0.0.1:" + std::to_string(st.port()) + "/stream", .timeout = std::chrono::seconds(30),
       .cancel = &cancel},
      {[&](int s, const HttpHeaders&) { status = s; return true; },
       [&](std::string_view chunk) { bytes += chunk.size(); return true; }});
  canceller.join();
  server_stop = true;
  EXPECT_EQ(status, 200);
  EXPECT_GT(bytes, 10u);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kCanceled);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(5));
}

TEST(CurlTransportTest, HandlerReturningFalseEndsTheStreamWithoutError) {
  httplib::Server server;
  server.Get("/s", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](size_t, httplib::DataSink& sink) {
      sink.write("x", 1);
      return true;
    });
  });
  ServerThread st(server);
  CurlTransport transport({});
  int chunks = 0;
  Status result = transport.Stream({.url = "http://127.0.0.1:" + std::to_string(st.port()) + "/s"},
                                   {nullptr, [&](std::string_view) { return ++chunks < 3; }});
  EXPECT_TRUE(result);
  EXPECT_EQ(chunks, 3);
}

// The trust store is installed through a per-connection callback: that must not stop libcurl
// from reusing a verified connection.
TEST(CurlTransportTest, ReusesOneTlsConnectionAcrossRequests) {
  auto [ca, server] = HttpsServerWithOwnCa("reuse-ca");
  ASSERT_NE(server, nullptr);
  server->set_keep_alive_max_count(1000);
  server->Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  ServerThread st(*server);
  CurlTransport transport({.tls = {.ca_pem = ca.cert_pem, .system_roots = false}});
  for (int i = 0; i < 10; ++i) {
    auto r = transport.Send({.url = "https://127.0.0.1:" + std::to_string(st.port()) + "/ok"});
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->body, "ok");
  }
  EXPECT_EQ(transport.connections_opened(), 1);
}

TEST(CurlTransportTest, UnusableCaDataFailsEveryRequestWithoutConnecting) {
  httplib::Server server;
  int hits = 0;
  server.Get("/x", [&](const httplib::Request&, httplib::Response& res) { ++hits; res.set_content("x", "text/plain"); });
  ServerThread st(server);
  CurlTransport transport({.tls = {.ca_pem = "not a certificate"}});
  auto r = transport.Send({.url = "http://127.0.0.1:" + std::to_string(st.port()) + "/x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(r.error().message.find("TLS trust configuration"), std::string::npos) << r.error().message;
  EXPECT_EQ(hits, 0);
}

TEST(CurlTransportTest, OnlyHttpAndHttpsAreSpoken) {
  CurlTransport transport({});
  for (const char* url : {"file:///etc/hostname", "ldap://127.0.0.1/", "dict://127.0.0.1:1/x", "gopher://127.0.0.1/"}) {
    auto r = transport.Send({.url = url, .timeout = std::chrono::seconds(2)});
    ASSERT_FALSE(r) << url << " answered " << r->status << ": " << r->body;
    EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument) << r.error().ToString();
    EXPECT_FALSE(r.error().retryable);
  }
}

TEST(CurlTransportTest, ConnectionRefusedIsRetryableUnavailable) {
  CurlTransport transport({});
  auto r = transport.Send({.url = "http://127.0.0.1:1/x", .timeout = std::chrono::seconds(2)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  EXPECT_TRUE(r.error().retryable);
}

TEST(CurlTransportTest, OversizedBodyIsAnErrorNotAnAllocation) {
  httplib::Server server;
  server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string((64u << 20) + 1, 'a'), "text/plain");
  });
  ServerThread st(server);
  CurlTransport transport({});
  auto r = transport.Send({.url = "http://127.0.0.1:" + std::to_string(st.port()) + "/big"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformedResponse);
}

TEST(CurlTransportTest, TotalTimeoutIsEnforced) {
  httplib::Server server;
  server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content("late", "text/plain");
  });
  ServerThread st(server);
  CurlTransport transport({});
  auto r = transport.Send({.url = "http://127.0.0.1:" + std::to_string(st.port()) + "/slow",
                           .timeout = std::chrono::milliseconds(200)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kTimeout);
}

TEST(CurlTransportTest, SuccessBodyFilterSeesEveryChunkOfA2xxBodyOnly) {
  httplib::Server server;
  const std::string big(256 * 1024, 'x');
  server.Get("/ok", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [&](size_t offset, httplib::DataSink& sink) {
      if (offset >= big.size()) {
        sink.done();
        return true;
      }
      sink.write(big.data() + offset, std::min<size_t>(1000, big.size() - offset));
      return true;
    });
  });
  server.Get("/missing", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"code":"NotAuthorizedOrNotFound"})", "application/json");
  });
  ServerThread st(server);
  CurlTransport transport({});
  size_t seen = 0;
  int chunks = 0;
  auto keep_count = [&](std::string_view chunk, std::string& body) {
    seen += chunk.size();
    ++chunks;
    body += '.';  // what the filter keeps is all that is buffered
  };
  const std::string base = "http://127.0.0.1:" + std::to_string(st.port());
  auto ok = transport.Send({.url = base + "/ok", .success_body_filter = keep_count});
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(seen, big.size());
  EXPECT_GT(chunks, 1);
  EXPECT_EQ(ok->body, std::string(static_cast<size_t>(chunks), '.'));

  seen = 0;
  auto missing = transport.Send({.url = base + "/missing", .success_body_filter = keep_count});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(seen, 0u);  // an error body stays whole, for the error's code and message
  EXPECT_EQ(missing->body, R"({"code":"NotAuthorizedOrNotFound"})");
}

}  // namespace
}  // namespace ccm
