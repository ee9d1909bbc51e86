#include "pkg/oci/transport/oci_transport.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "test/pkg/oci/oci_test_env.h"

namespace ccm::oci {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::HeaderOf;
using test::kLbEndpoint;
using test::OciTestEnv;

OciRequest Get() { return {.operation = "GetBackendSet", .path = {"loadBalancers", "ocid1.loadbalancer.oc1..a", "backendSets", "bs"}}; }
OciRequest Put() {
  return {.operation = "UpdateBackendSet", .method = "PUT",
          .path = {"loadBalancers", "ocid1.loadbalancer.oc1..a", "backendSets", "bs"}, .body = R"({"policy":"X"})"};
}

bool IsRequestId(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

TEST(OciTransportTest, GetBuildsUrlAddsHeadersSignsAndReportsTheCall) {
  OciTestEnv env;
  env.Respond(200, R"({"ok":true})", {{"opc-request-id", "server-id"}});
  auto r = env.transport->Call(kLbEndpoint, Get());
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->body, R"({"ok":true})");
  ASSERT_EQ(env.requests.size(), 1u);
  const HttpRequest& sent = env.requests[0];
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url, "https://127.0.0.1:8443/20170115/loadBalancers/ocid1.loadbalancer.oc1..a/backendSets/bs");
  EXPECT_TRUE(IsRequestId(HeaderOf(sent, "opc-request-id"))) << HeaderOf(sent, "opc-request-id");
  EXPECT_EQ(HeaderOf(sent, "opc-retry-token"), "");
  EXPECT_EQ(HeaderOf(sent, "content-type"), "");
  EXPECT_EQ(HeaderOf(sent, "authorization"), "Signature fake");
  EXPECT_EQ(sent.body, "");
  ASSERT_EQ(env.observer.calls.size(), 1u);
  EXPECT_EQ(env.observer.calls[0].operation, "GetBackendSet");
  EXPECT_EQ(env.observer.calls[0].status, 200);
}

TEST(OciTransportTest, RequestIdsAreUniquePerRequest) {
  OciTestEnv env;
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    env.Respond(200, "{}");
    ASSERT_TRUE(env.transport->Call(kLbEndpoint, Get()));
    ids.insert(HeaderOf(env.requests.back(), "opc-request-id"));
  }
  EXPECT_EQ(ids.size(), 20u);
}

TEST(OciTransportTest, WriteKeepsRetryTokenAcrossRetriesButNotAcrossWrites) {
  OciTestEnv env;
  env.Respond(503, R"({"code":"ServiceUnavailable","message":"try later"})");
  env.Respond(500, R"({"code":"InternalServerError","message":"oops"})");
  env.Respond(204, "", {{"opc-work-request-id", "wr1"}});
  auto r = env.transport->Call(kLbEndpoint, Put());
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(env.requests.size(), 3u);
  std::string token = HeaderOf(env.requests[0], "opc-retry-token");
  EXPECT_TRUE(IsRequestId(token));
  EXPECT_EQ(HeaderOf(env.requests[1], "opc-retry-token"), token);
  EXPECT_EQ(HeaderOf(env.requests[2], "opc-retry-token"), token);
  EXPECT_NE(HeaderOf(env.requests[0], "opc-request-id"), HeaderOf(env.requests[1], "opc-request-id"));
  EXPECT_EQ(HeaderOf(env.requests[2], "content-type"), "application/json");
  EXPECT_EQ(env.requests[2].body, R"({"policy":"X"})");
  EXPECT_EQ(env.signer.calls, 3);
  // Jittered exponential backoff: 500 ms then 1 s, each stretched by at most 50%.
  auto delays = env.sleeper.delays();
  ASSERT_EQ(delays.size(), 2u);
  EXPECT_GE(delays[0], milliseconds(500));
  EXPECT_LE(delays[0], milliseconds(750));
  EXPECT_GE(delays[1], milliseconds(1000));
  EXPECT_LE(delays[1], milliseconds(1500));

  env.Respond(204, "", {{"opc-work-request-id", "wr2"}});
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, Put()));
  EXPECT_NE(HeaderOf(env.requests.back(), "opc-retry-token"), token);
  ASSERT_EQ(env.observer.calls.size(), 4u);
  EXPECT_EQ(env.observer.calls[0].status, 503);
  EXPECT_EQ(env.observer.calls[1].status, 500);
}

TEST(OciTransportTest, DeleteCarriesRetryToken) {
  OciTestEnv env;
  env.Respond(204, "");
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, {.operation = "DeleteBackend", .method = "DELETE", .path = {"x"}}));
  EXPECT_TRUE(IsRequestId(HeaderOf(env.requests[0], "opc-retry-token")));
}

TEST(OciTransportTest, TooManyRequestsHonoursRetryAfter) {
  OciTestEnv env;
  env.Respond(429, R"({"code":"TooManyRequests","message":"slow"})", {{"retry-after", "7"}});
  env.Respond(200, "{}");
  auto before = env.clock.Now();
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, Get()));
  auto delays = env.sleeper.delays();
  ASSERT_EQ(delays.size(), 1u);
  EXPECT_EQ(delays[0], seconds(7));
  EXPECT_EQ(env.clock.Now() - before, seconds(7));
  EXPECT_EQ(env.requests.size(), 2u);
}

TEST(OciTransportTest, RetryAfterIsCapped) {
  auto options = test::TestOptions();
  options.retry.max_retry_after = seconds(10);
  OciTestEnv env(options);
  env.Respond(429, "{}", {{"retry-after", "3600"}});
  env.Respond(200, "{}");
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, Get()));
  EXPECT_EQ(env.sleeper.delays().at(0), seconds(10));
}

TEST(OciTransportTest, NotImplementedIsNotRetried) {
  OciTestEnv env;
  env.Respond(501, R"({"code":"NotImplemented","message":"no"})");
  auto r = env.transport->Call(kLbEndpoint, Get());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().http_status, 501);
  EXPECT_EQ(env.requests.size(), 1u);
}

TEST(OciTransportTest, IncorrectStateIsRetriedPlainConflictIsNot) {
  OciTestEnv env;
  env.Respond(409, R"({"code":"IncorrectState","message":"work request in progress"})");
  env.Respond(409, R"({"code":"Conflict","message":"Invalid State Transition of LB from Updating to Updating"})");
  env.Respond(204, "", {{"opc-work-request-id", "wr"}});
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, Put()));
  EXPECT_EQ(env.requests.size(), 3u);

  OciTestEnv env2;
  env2.Respond(409, R"({"code":"Conflict","message":"backend already exists"})", {{"opc-request-id", "R9"}});
  auto r = env2.transport->Call(kLbEndpoint, Put());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(r.error().code, "Conflict");
  EXPECT_EQ(r.error().request_id, "R9");
  EXPECT_EQ(env2.requests.size(), 1u);
}

struct ClientErrorCase {
  int status;
  const char* code;
  ErrorKind kind;
};

class ClientErrorTest : public ::testing::TestWithParam<ClientErrorCase> {};

TEST_P(ClientErrorTest, NotRetriedAndFieldsFilled) {
  OciTestEnv env;
  const auto& c = GetParam();
  env.Respond(c.status, std::string(R"({"code":")") + c.code + R"(","message":"details here"})",
              {{"opc-request-id", "req-42"}});
  auto r = env.transport->Call(kLbEndpoint, Get());
  ASSERT_FALSE(r);
  EXPECT_EQ(env.requests.size(), 1u);
  EXPECT_EQ(r.error().kind, c.kind);
  EXPECT_EQ(r.error().http_status, c.status);
  EXPECT_EQ(r.error().code, c.code);
  EXPECT_EQ(r.error().request_id, "req-42");
  EXPECT_FALSE(r.error().retryable);
  EXPECT_EQ(r.error().message, "GetBackendSet failed: details here");
}

INSTANTIATE_TEST_SUITE_P(Statuses, ClientErrorTest,
                         ::testing::Values(ClientErrorCase{400, "InvalidParameter", ErrorKind::kInvalidArgument},
                                           ClientErrorCase{401, "NotAuthenticated", ErrorKind::kUnauthenticated},
                                           ClientErrorCase{404, "NotAuthorizedOrNotFound", ErrorKind::kNotFound},
                                           ClientErrorCase{412, "NoEtagMatch", ErrorKind::kConflict}));

TEST(OciTransportTest, ErrorWithoutResponseRequestIdUsesTheSentOne) {
  OciTestEnv env;
  env.Respond(404, "not json at all");
  auto r = env.transport->Call(kLbEndpoint, Get());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().request_id, HeaderOf(env.requests[0], "opc-request-id"));
  EXPECT_NE(r.error().message.find("non-JSON error body: not json at all"), std::string::npos);
}

TEST(OciTransportTest, TransportFailuresRetriedOnlyWhenTransient) {
  OciTestEnv env;
  env.RespondTransportError(ErrorKind::kUnavailable);
  env.RespondTransportError(ErrorKind::kTimeout);
  env.Respond(200, "{}");
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, Get()));
  EXPECT_EQ(env.requests.size(), 3u);
  EXPECT_EQ(env.observer.calls[0].status, 0);

  OciTestEnv env2;
  env2.RespondTransportError(ErrorKind::kMalformedResponse);
  auto r = env2.transport->Call(kLbEndpoint, Get());
  ASSERT_FALSE(r);
  EXPECT_EQ(env2.requests.size(), 1u);
  EXPECT_TRUE(IsRequestId(r.error().request_id));
}

TEST(OciTransportTest, GivesUpAfterMaxAttempts) {
  OciTestEnv env;
  for (int i = 0; i < 10; ++i) env.Respond(503, R"({"code":"ServiceUnavailable","message":"down"})");
  auto r = env.transport->Call(kLbEndpoint, Get());
  ASSERT_FALSE(r);
  EXPECT_EQ(env.requests.size(), 5u);
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(r.error().http_status, 503);
  EXPECT_NE(r.error().message.find("gave up after 5 attempts"), std::string::npos) << r.error().message;
}

TEST(OciTransportTest, StopsAtTheTotalDeadline) {
  auto options = test::TestOptions();
  options.retry.total_deadline = seconds(5);
  OciTestEnv env(options);
  env.Respond(429, "{}", {{"retry-after", "6"}});
  env.Respond(200, "{}");
  auto r = env.transport->Call(kLbEndpoint, Get());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kTooManyRequests);
  EXPECT_NE(r.error().message.find("deadline"), std::string::npos);
  EXPECT_EQ(env.requests.size(), 1u);
  EXPECT_TRUE(env.sleeper.delays().empty());
}

TEST(OciTransportTest, PerAttemptTimeoutNeverExceedsTheDeadline) {
  auto options = test::TestOptions();
  options.request_timeout = seconds(30);
  options.retry.total_deadline = seconds(10);
  OciTestEnv env(options);
  env.Respond(200, "{}");
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, Get()));
  EXPECT_EQ(env.requests[0].timeout, seconds(10));
}

TEST(OciTransportTest, RateLimitsReadsAndWritesSeparately) {
  auto options = test::TestOptions();
  options.read_limit = {1, 2};
  options.write_limit = {0.5, 1};
  OciTestEnv env(options);
  for (int i = 0; i < 3; ++i) env.Respond(200, "{}");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(env.transport->Call(kLbEndpoint, Get()));
  auto delays = env.sleeper.delays();
  ASSERT_EQ(delays.size(), 1u);  // burst of two, the third waits one token at 1 qps
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(delays[0]), milliseconds(1000));

  env.Respond(204, "");
  env.Respond(204, "");
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, Put()));  // write bucket untouched by reads
  EXPECT_EQ(env.sleeper.delays().size(), 1u);
  ASSERT_TRUE(env.transport->Call(kLbEndpoint, Put()));
  ASSERT_EQ(env.sleeper.delays().size(), 2u);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(env.sleeper.delays()[1]), milliseconds(2000));

  // Every attempt reports its wait to the observer, by bucket.
  const auto& waits = env.observer.limiter_waits;
  ASSERT_EQ(waits.size(), 5u);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(waits[i].first);
  EXPECT_EQ(waits[0].second, milliseconds(0));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(waits[2].second), milliseconds(1000));
  EXPECT_TRUE(waits[3].first);
  EXPECT_TRUE(waits[4].first);
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(waits[4].second), milliseconds(2000));
}

TEST(OciTransportTest, HugeBodyIsAnErrorNotACrash) {
  OciTestEnv env;
  env.Respond(200, std::string(100u << 20, 'a'));
  auto r = env.transport->Call(kLbEndpoint, Get());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformedResponse);
  EXPECT_NE(r.error().message.find("exceeds the limit"), std::string::npos);
  EXPECT_EQ(env.requests.size(), 1u);
}

TEST(OciTransportTest, SignerFailureStopsBeforeSending) {
  OciTestEnv env;
  env.signer.fail = MakeError(ErrorKind::kUnauthenticated, "no key");
  auto r = env.transport->Call(kLbEndpoint, Get());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kUnauthenticated);
  EXPECT_NE(r.error().message.find("signing"), std::string::npos);
  EXPECT_TRUE(env.requests.empty());
}

TEST(OciTransportTest, CancelStopsRetryWaits) {
  OciTestEnv env;
  std::atomic<bool> cancel{false};
  env.sleeper.set_on_sleep([&] { cancel = true; });
  env.Respond(503, "{}");
  env.Respond(200, "{}");
  auto r = env.transport->Call(kLbEndpoint, Get(), &cancel);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kCanceled);
  EXPECT_EQ(env.requests.size(), 1u);

  auto r2 = env.transport->Call(kLbEndpoint, Get(), &cancel);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().kind, ErrorKind::kCanceled);
  EXPECT_EQ(env.requests.size(), 1u);
}

TEST(ClockSleeperTest, WaitsForTheSimulatedClockAndHonoursCancel) {
  ccm::testing::SimulatedClock clock;
  ClockSleeper sleeper(clock);
  std::atomic<bool> done{false};
  bool result = false;
  std::thread t([&] {
    result = sleeper.SleepFor(seconds(30), nullptr);
    done = true;
  });
  while (clock.waiters() == 0) std::this_thread::yield();
  EXPECT_FALSE(done.load());
  clock.Advance(seconds(30));
  t.join();
  EXPECT_TRUE(result);

  std::atomic<bool> cancel{false};
  std::thread t2([&] { result = sleeper.SleepFor(seconds(30), &cancel); });
  while (clock.waiters() == 0) std::this_thread::yield();
  cancel = true;
  t2.join();
  EXPECT_FALSE(result);
}

}  // namespace
}  // namespace ccm::oci
