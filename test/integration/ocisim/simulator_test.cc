// The OCI simulator's contract as the registrar's integration tests rely on it: one mutating
// work request per load balancer, retry tokens, faults, signature checks, IMDS + federation,
// and the out-of-process launcher. Requests are signed here with a minimal independent signer.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "pkg/base/base64.h"
#include "pkg/base/curl_transport.h"
#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"
#include "test/ocisim/crypto_util.h"
#include "test/ocisim/sim_process.h"
#include "test/ocisim/simulator.h"
#include "test/support/test_pki.h"

namespace ccm::ocisim {
namespace {

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.itest";
constexpr char kNlb[] = "ocid1.networkloadbalancer.oc1.phx.itest";
constexpr char kKeyId[] = "ocid1.tenancy.oc1..t/ocid1.user.oc1..u/aa:bb";

std::string Seed() {
  return R"({"loadBalancers":[{"id":"ocid1.loadbalancer.oc1.phx.itest","compartmentId":"ocid1.compartment.oc1..c",
    "backendSets":{"web":{"policy":"ROUND_ROBIN","healthChecker":{"protocol":"TCP","port":80},
    "backends":[{"ipAddress":"10.0.0.1","port":80}]}}}],
    "networkLoadBalancers":[{"id":"ocid1.networkloadbalancer.oc1.phx.itest","compartmentId":"ocid1.compartment.oc1..c",
    "backendSets":{"tcp":{"policy":"FIVE_TUPLE","healthChecker":{"protocol":"TCP","port":80},"backends":[]}}}]})";
}

struct Key {
  std::string id;
  PKeyPtr priv;
};

struct Options {
  std::chrono::seconds date_skew{0};
  bool corrupt_body_hash = false;
  std::string retry_token;
  HttpHeaders extra;
};

// Signs like OCI's SDKs: date (request-target) host [+ content headers for bodies].
class Client {
 public:
  Client(std::string base, const std::string& ca_pem) : base_(std::move(base)) {
    CurlTransportOptions o;
    o.tls.ca_pem = ca_pem;
    transport_ = std::make_unique<CurlTransport>(o);
  }

  Result<HttpResponse> Send(const Key& key, const std::string& method, const std::string& path,
                            const std::string& body = "", Options opt = {}) {
    HttpRequest req;
    req.method = method;
    req.url = base_ + path;
    req.body = body;
    std::string host = base_.substr(base_.find("://") + 3);
    std::string date = FormatHttpDate(std::chrono::system_clock::now() + opt.date_skew);
    req.headers = {{"date", date}, {"host", host}};
    std::string signing = "date: " + date + "\n(request-target): " + Lower(method) + " " + path +
                          "\nhost: " + host;
    std::string headers = "date (request-target) host";
    if (method == "PUT" || method == "POST") {
      std::string digest = opt.corrupt_body_hash ? Sha256Base64(body + "x") : Sha256Base64(body);
      req.headers.emplace_back("content-length", std::to_string(body.size()));
      req.headers.emplace_back("content-type", "application/json");
      req.headers.emplace_back("x-content-sha256", digest);
      signing += "\ncontent-length: " + std::to_string(body.size()) +
                 "\ncontent-type: application/json\nx-content-sha256: " + digest;
      headers += " content-length content-type x-content-sha256";
    }
    if (!opt.retry_token.empty()) req.headers.emplace_back("opc-retry-token", opt.retry_token);
    for (const auto& h : opt.extra) req.headers.push_back(h);
    ASSIGN_OR_RETURN(auto sig, RsaSha256Sign(key.priv.get(), signing));
    req.headers.emplace_back("authorization", "Signature version=\"1\",headers=\"" + headers +
                                                  "\",keyId=\"" + key.id +
                                                  "\",algorithm=\"rsa-sha256\",signature=\"" +
                                                  Base64Encode(sig) + "\"");
    return transport_->Send(req);
  }

  Result<HttpResponse> Raw(HttpRequest req) {
    req.url = base_ + req.url;
    return transport_->Send(req);
  }

 private:
  static std::string Lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  std::string base_;
  std::unique_ptr<CurlTransport> transport_;
};

Key NewKey(const std::string& id) {
  auto pair = testing::GenerateRsaKey(2048);
  EXPECT_TRUE(pair.has_value());
  auto priv = ParsePrivateKeyPem(pair->key_pem);
  EXPECT_TRUE(priv.has_value());
  return Key{id, *priv};
}

std::string BackendBody(const std::string& ip, int port) {
  return R"({"ipAddress":")" + ip + R"(","port":)" + std::to_string(port) + "}";
}

std::string Field(const std::string& body, const char* field) {
  auto doc = json::Parse(body, "test");
  if (!doc || !doc->IsObject()) return "";
  const json::Value* v = json::Find(*doc, field);
  return v != nullptr && v->IsString() ? v->GetString() : "";
}

class SimulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SimulatorOptions options;
    options.work_request_latency = std::chrono::milliseconds(300);
    sim_ = std::make_unique<Simulator>(options);
    ASSERT_TRUE(sim_->Start());
    key_ = NewKey(kKeyId);
    auto pub = ccm::ocisim::PublicKeyPem(key_.priv.get());
    ASSERT_TRUE(sim_->service().verifier().AddKey(kKeyId, pub));
    ASSERT_TRUE(sim_->service().ReplaceState(Seed()));
    client_ = std::make_unique<Client>(sim_->url(), sim_->ca_pem());
  }

  std::string BackendsPath(const std::string& lb = kLb, const std::string& set = "web") {
    return "/20170115/loadBalancers/" + lb + "/backendSets/" + set + "/backends";
  }

  // Polls the classic work request until it finishes; returns its final state.
  std::string WaitLb(const std::string& id) {
    for (int i = 0; i < 200; ++i) {
      auto r = client_->Send(key_, "GET", "/20170115/loadBalancerWorkRequests/" + id);
      if (!r) return "transport error";
      std::string state = Field(r->body, "lifecycleState");
      if (state == "SUCCEEDED" || state == "FAILED") return state;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "timeout";
  }

  std::vector<std::string> BackendNames(LbKind kind, const std::string& lb, const std::string& set) {
    auto json = sim_->service().BackendSetJson(kind, lb, set);
    EXPECT_TRUE(json.has_value());
    auto doc = json::Parse(*json, "set");
    std::vector<std::string> names;
    for (const auto& b : (*doc)["backends"].GetArray()) names.push_back(b["name"].GetString());
    return names;
  }

  std::unique_ptr<Simulator> sim_;
  Key key_;
  std::unique_ptr<Client> client_;
};

TEST_F(SimulatorTest, SecondConcurrentWriteGets409ThenRetrySucceedsAndBothApplyOnce) {
  std::atomic<int> ok{0}, conflict{0};
  std::string conflicted_ip, wr_id;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (const char* ip : {"10.0.0.2", "10.0.0.3"}) {
    threads.emplace_back([&, ip] {
      auto r = client_->Send(key_, "POST", BackendsPath(), BackendBody(ip, 80));
      ASSERT_TRUE(r);
      std::lock_guard lock(mu);
      if (r->status == 204) {
        ++ok;
        wr_id = r->Header("opc-work-request-id");
      } else if (r->status == 409) {
        ++conflict;
        conflicted_ip = ip;
        EXPECT_EQ(Field(r->body, "code"), "IncorrectState");
        EXPECT_NE(Field(r->body, "message").find("Invalid State Transition"), std::string::npos);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(ok, 1);
  ASSERT_EQ(conflict, 1);
  EXPECT_EQ(WaitLb(wr_id), "SUCCEEDED");
  auto retry = client_->Send(key_, "POST", BackendsPath(), BackendBody(conflicted_ip, 80));
  ASSERT_TRUE(retry);
  ASSERT_EQ(retry->status, 204) << retry->body;
  EXPECT_EQ(WaitLb(retry->Header("opc-work-request-id")), "SUCCEEDED");
  auto names = BackendNames(LbKind::kClassic, kLb, "web");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"}));
  EXPECT_EQ(sim_->service().counters().Count("CreateBackend", 409, "loadbalancer"), 1);
  EXPECT_EQ(sim_->service().counters().Count("CreateBackend", 204, "loadbalancer"), 2);
}

TEST_F(SimulatorTest, RetryTokenReplayReturnsSameWorkRequestAndAppliesOnce) {
  Options opt;
  opt.retry_token = "token-1";
  auto first = client_->Send(key_, "POST", BackendsPath(), BackendBody("10.0.0.7", 80), opt);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 204);
  // While in flight, a replay is not a concurrent write.
  auto during = client_->Send(key_, "POST", BackendsPath(), BackendBody("10.0.0.7", 80), opt);
  ASSERT_TRUE(during);
  EXPECT_EQ(during->status, 204);
  EXPECT_EQ(during->Header("opc-work-request-id"), first->Header("opc-work-request-id"));
  EXPECT_EQ(WaitLb(first->Header("opc-work-request-id")), "SUCCEEDED");
  auto after = client_->Send(key_, "POST", BackendsPath(), BackendBody("10.0.0.7", 80), opt);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 204);
  EXPECT_EQ(after->Header("opc-work-request-id"), first->Header("opc-work-request-id"));
  auto names = BackendNames(LbKind::kClassic, kLb, "web");
  EXPECT_EQ(std::count(names.begin(), names.end(), "10.0.0.7:80"), 1);
  // Without the token the same request is a duplicate.
  auto dup = client_->Send(key_, "POST", BackendsPath(), BackendBody("10.0.0.7", 80));
  ASSERT_TRUE(dup);
  EXPECT_EQ(dup->status, 409);
  EXPECT_EQ(Field(dup->body, "code"), "Conflict");
}

TEST_F(SimulatorTest, FaultsFireAsConfigured) {
  auto& faults = sim_->service().faults();
  const std::string get_lb = "/20170115/loadBalancers/" + std::string(kLb);
  FaultSpec throttle;
  throttle.operation = "GetLoadBalancer";
  throttle.kind = FaultKind::kThrottle;
  throttle.count = 2;
  throttle.retry_after = std::chrono::seconds(3);
  faults.Add(throttle);
  for (int i = 0; i < 2; ++i) {
    auto r = client_->Send(key_, "GET", get_lb);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 429);
    EXPECT_EQ(r->Header("retry-after"), "3");
  }
  auto r = client_->Send(key_, "GET", get_lb);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  faults.Clear();

  FaultSpec error;
  error.operation = "*";
  error.service = "loadbalancer";
  error.kind = FaultKind::kError;
  error.status = 503;
  error.count = 1;
  faults.Add(error);
  r = client_->Send(key_, "GET", get_lb);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(Field(r->body, "code"), "ServiceUnavailable");
  faults.Clear();

  FaultSpec drop;
  drop.operation = "GetLoadBalancer";
  drop.kind = FaultKind::kDrop;
  drop.count = 1;
  faults.Add(drop);
  // A fresh connection: curl silently retries a request whose reused connection died.
  auto fresh = [&] { return Client(sim_->url(), sim_->ca_pem()); };
  EXPECT_FALSE(fresh().Send(key_, "GET", get_lb).has_value());
  r = client_->Send(key_, "GET", get_lb);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  faults.Clear();

  FaultSpec latency;
  latency.operation = "GetLoadBalancer";
  latency.kind = FaultKind::kLatency;
  latency.latency = std::chrono::milliseconds(400);
  faults.Add(latency);
  auto start = std::chrono::steady_clock::now();
  r = client_->Send(key_, "GET", get_lb);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
  faults.Clear();

  FaultSpec fail;
  fail.operation = "CreateBackend";
  fail.kind = FaultKind::kFailWorkRequest;
  fail.message = "injected failure";
  fail.count = 1;
  faults.Add(fail);
  auto w = client_->Send(key_, "POST", BackendsPath(), BackendBody("10.0.0.8", 80));
  ASSERT_TRUE(w);
  ASSERT_EQ(w->status, 204);
  EXPECT_EQ(WaitLb(w->Header("opc-work-request-id")), "FAILED");
  auto wr = client_->Send(key_, "GET", "/20170115/loadBalancerWorkRequests/" + w->Header("opc-work-request-id"));
  ASSERT_TRUE(wr);
  EXPECT_NE(wr->body.find("injected failure"), std::string::npos);
  auto names = BackendNames(LbKind::kClassic, kLb, "web");
  EXPECT_EQ(std::count(names.begin(), names.end(), "10.0.0.8:80"), 0);
  faults.Clear();

  FaultSpec down;
  down.kind = FaultKind::kDown;
  faults.Add(down);
  EXPECT_FALSE(fresh().Send(key_, "GET", get_lb).has_value());
  EXPECT_FALSE(fresh().Send(key_, "GET", "/20160918/instances/x").has_value());
  faults.Clear();
  EXPECT_EQ(sim_->service().counters().Count("GetLoadBalancer", 0), 2);  // drop + down
  EXPECT_EQ(sim_->service().counters().Count("GetLoadBalancer", 429), 2);
}

TEST_F(SimulatorTest, RateIsDeterministicForASeed) {
  auto run = [&](uint64_t seed) {
    sim_->service().faults().Clear();
    sim_->service().faults().SetSeed(seed);
    FaultSpec f;
    f.operation = "GetBackendSet";
    f.kind = FaultKind::kError;
    f.rate = 0.5;
    sim_->service().faults().Add(f);
    std::string pattern;
    for (int i = 0; i < 16; ++i) {
      auto r = client_->Send(key_, "GET", "/20170115/loadBalancers/" + std::string(kLb) + "/backendSets/web");
      pattern += r && r->status == 200 ? '.' : 'x';
    }
    return pattern;
  };
  std::string a = run(7), b = run(7);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find('x'), std::string::npos);
  EXPECT_NE(a.find('.'), std::string::npos);
}

TEST_F(SimulatorTest, SignatureFailuresAre401WithTheReason) {
  const std::string get_lb = "/20170115/loadBalancers/" + std::string(kLb);
  Key stranger = NewKey("ocid1.tenancy.oc1..t/ocid1.user.oc1..stranger/cc:dd");
  auto r = client_->Send(stranger, "GET", get_lb);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(Field(r->body, "code"), "NotAuthenticated");
  EXPECT_NE(Field(r->body, "message").find("unknown keyId"), std::string::npos);

  Key impostor{kKeyId, NewKey("x").priv};  // right keyId, wrong private key
  r = client_->Send(impostor, "GET", get_lb);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(Field(r->body, "message").find("does not verify"), std::string::npos);

  Options bad_hash;
  bad_hash.corrupt_body_hash = true;
  r = client_->Send(key_, "POST", BackendsPath(), BackendBody("10.0.0.9", 80), bad_hash);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(Field(r->body, "message").find("x-content-sha256"), std::string::npos);

  Options skewed;
  skewed.date_skew = std::chrono::minutes(6);
  r = client_->Send(key_, "GET", get_lb, "", skewed);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(Field(r->body, "message").find("5 minutes"), std::string::npos);

  // The simulator's own clock can be the skewed one.
  sim_->service().SetClockOffset(std::chrono::seconds(-360));
  r = client_->Send(key_, "GET", get_lb);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  sim_->service().SetClockOffset(std::chrono::seconds(0));
  r = client_->Send(key_, "GET", get_lb);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(sim_->service().counters().Count("GetLoadBalancer", 401), 4);
  EXPECT_EQ(sim_->service().counters().Count("CreateBackend", 401), 1);
}

TEST_F(SimulatorTest, NetworkLoadBalancerWritesAre202AndUpdating) {
  std::string path = "/20200501/networkLoadBalancers/" + std::string(kNlb) + "/backendSets/tcp/backends";
  auto r = client_->Send(key_, "POST", path, R"({"targetId":"ocid1.instance.oc1.phx.n1","port":443})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  std::string wr = r->Header("opc-work-request-id");
  auto nlb = client_->Send(key_, "GET", "/20200501/networkLoadBalancers/" + std::string(kNlb));
  ASSERT_TRUE(nlb);
  EXPECT_EQ(Field(nlb->body, "lifecycleState"), "UPDATING");
  std::string status;
  for (int i = 0; i < 100 && status != "SUCCEEDED"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto w = client_->Send(key_, "GET", "/20200501/workRequests/" + wr);
    ASSERT_TRUE(w);
    status = Field(w->body, "status");
  }
  EXPECT_EQ(status, "SUCCEEDED");
  EXPECT_EQ(BackendNames(LbKind::kNetwork, kNlb, "tcp"),
            std::vector<std::string>{"ocid1.instance.oc1.phx.n1:443"});
  auto get = client_->Send(key_, "GET", path + "/ocid1.instance.oc1.phx.n1%3A443");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  // if-match with a stale etag is refused.
  Options stale;
  stale.extra = {{"if-match", "stale"}};
  auto upd = client_->Send(key_, "PUT", path + "/ocid1.instance.oc1.phx.n1%3A443", R"({"weight":3})", stale);
  ASSERT_TRUE(upd);
  EXPECT_EQ(upd->status, 412);
  EXPECT_EQ(Field(upd->body, "code"), "NoEtagMatch");
}

TEST_F(SimulatorTest, ImdsServesTheInstanceOnV2WithTheHeaderAndOnV1Without) {
  auto get = [&](const std::string& path, bool header) {
    HttpRequest req;
    req.url = path;
    if (header) req.headers = {{"authorization", "Bearer Oracle"}};
    auto r = client_->Raw(req);
    EXPECT_TRUE(r) << path;
    return r ? *r : HttpResponse{};
  };
  ocisim::IdentitySpec spec;
  spec.compartment_id = "ocid1.compartment.oc1..imdstest";
  sim_->service().identity().SetSpec(spec);
  auto v2 = get("/opc/v2/instance/", true);
  EXPECT_EQ(v2.status, 200);
  EXPECT_EQ(Field(v2.body, "canonicalRegionName"), "us-phoenix-1");
  EXPECT_EQ(Field(v2.body, "region"), "phx");
  EXPECT_EQ(Field(v2.body, "compartmentId"), "ocid1.compartment.oc1..imdstest");
  EXPECT_EQ(get("/opc/v2/instance/", false).status, 401);
  auto v1 = get("/opc/v1/instance/", false);
  EXPECT_EQ(v1.status, 200);
  EXPECT_EQ(Field(v1.body, "compartmentId"), "ocid1.compartment.oc1..imdstest");
  EXPECT_EQ(get("/opc/v1/instance/compartmentId", false).body, "ocid1.compartment.oc1..imdstest");

  spec.v1_enabled = false;  // legacy endpoints disabled
  sim_->service().identity().SetSpec(spec);
  EXPECT_EQ(get("/opc/v1/instance/", false).status, 404);
  EXPECT_EQ(get("/opc/v2/instance/", true).status, 200);
  spec.v1_enabled = true;
  spec.v2_enabled = false;  // an image from before IMDS v2
  sim_->service().identity().SetSpec(spec);
  EXPECT_EQ(get("/opc/v2/instance/", true).status, 404);
  EXPECT_EQ(get("/opc/v1/instance/", false).status, 200);
}

// Waits for a network load balancer work request; returns its final status.
std::string WaitNlb(Client& client, const Key& key, const std::string& id) {
  for (int i = 0; i < 200; ++i) {
    auto w = client.Send(key, "GET", "/20200501/workRequests/" + id);
    if (!w) return "transport error";
    std::string status = Field(w->body, "status");
    if (status == "SUCCEEDED" || status == "FAILED") return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "timeout";
}

TEST_F(SimulatorTest, InstanceBackendComesBackWithItsIpAndOneBackendPerTargetAndPort) {
  ASSERT_TRUE(sim_->service().MergeState(R"({"instances":[
      {"id":"ocid1.instance.oc1.phx.n1","vnics":[{"privateIp":"10.0.5.1"},{"privateIp":"10.0.9.1"}]},
      {"id":"ocid1.instance.oc1.phx.n2","vnics":[{"privateIp":"10.0.5.2"}]}]})"));
  std::string set = "/20200501/networkLoadBalancers/" + std::string(kNlb) + "/backendSets/tcp";
  auto r = client_->Send(key_, "POST", set + "/backends", R"({"targetId":"ocid1.instance.oc1.phx.n1","port":443})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  ASSERT_EQ(WaitNlb(*client_, key_, r->Header("opc-work-request-id")), "SUCCEEDED");
  // OCI serves an instance backend at its primary VNIC's private IP and says so on reads.
  auto get = client_->Send(key_, "GET", set + "/backends/ocid1.instance.oc1.phx.n1%3A443");
  ASSERT_TRUE(get);
  ASSERT_EQ(get->status, 200) << get->body;
  EXPECT_EQ(Field(get->body, "name"), "ocid1.instance.oc1.phx.n1:443");
  EXPECT_EQ(Field(get->body, "ipAddress"), "10.0.5.1");
  EXPECT_EQ(Field(get->body, "targetId"), "ocid1.instance.oc1.phx.n1");

  // The same target again, by IP or by instance, at the same port: refused, nothing written.
  int64_t writes = sim_->service().counters().Count("CreateBackend", 202);
  for (const char* body : {R"({"ipAddress":"10.0.5.1","port":443})", R"({"targetId":"ocid1.instance.oc1.phx.n1","port":443,"name":"other"})"}) {
    auto dup = client_->Send(key_, "POST", set + "/backends", body);
    ASSERT_TRUE(dup);
    EXPECT_EQ(dup->status, 409) << body;
    EXPECT_EQ(Field(dup->body, "code"), "NotAuthorizedOrResourceAlreadyExists") << body;
    EXPECT_NE(Field(dup->body, "message").find("Duplicate backend IP/id + port"), std::string::npos) << dup->body;
  }
  EXPECT_EQ(sim_->service().counters().Count("CreateBackend", 202), writes);
  // Another port, or another instance, is another backend.
  auto other_port = client_->Send(key_, "POST", set + "/backends", R"({"ipAddress":"10.0.5.1","port":8443})");
  ASSERT_TRUE(other_port);
  ASSERT_EQ(other_port->status, 202) << other_port->body;
  ASSERT_EQ(WaitNlb(*client_, key_, other_port->Header("opc-work-request-id")), "SUCCEEDED");

  // A whole-set write holding one node twice is refused too; the set is unchanged.
  std::string twice = R"({"backends":[{"targetId":"ocid1.instance.oc1.phx.n2","port":443},
                                      {"ipAddress":"10.0.5.2","port":443}]})";
  auto put = client_->Send(key_, "PUT", set, twice);
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 409) << put->body;
  EXPECT_EQ(Field(put->body, "code"), "NotAuthorizedOrResourceAlreadyExists");
  EXPECT_EQ(BackendNames(LbKind::kNetwork, kNlb, "tcp"),
            (std::vector<std::string>{"ocid1.instance.oc1.phx.n1:443", "10.0.5.1:8443"}));
}

TEST_F(SimulatorTest, SeededInstanceBackendsCarryTheirIps) {
  ASSERT_TRUE(sim_->service().MergeState(R"({"instances":[{"id":"ocid1.instance.oc1.phx.s1","vnics":[{"privateIp":"10.0.6.1"}]}],
      "networkLoadBalancers":[{"id":"ocid1.networkloadbalancer.oc1.phx.seeded","backendSets":{"s":{
        "healthChecker":{"protocol":"TCP"},"backends":[{"targetId":"ocid1.instance.oc1.phx.s1","port":80}]}}}]})"));
  auto set = sim_->service().BackendSetJson(LbKind::kNetwork, "ocid1.networkloadbalancer.oc1.phx.seeded", "s");
  ASSERT_TRUE(set);
  auto doc = json::Parse(*set, "set");
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::Serialize((*doc)["backends"][0]["ipAddress"]), "\"10.0.6.1\"") << *set;
  EXPECT_EQ(json::Serialize((*doc)["backends"][0]["name"]), "\"ocid1.instance.oc1.phx.s1:80\"") << *set;
}

TEST_F(SimulatorTest, WriteBodiesOutsideThePublishedModelsAreRefusedNamingTheField) {
  struct Case {
    std::string method, path, body, field;
  };
  std::string lb_set = "/20170115/loadBalancers/" + std::string(kLb) + "/backendSets/web";
  std::string nlb_set = "/20200501/networkLoadBalancers/" + std::string(kNlb) + "/backendSets/tcp";
  const std::string hc = R"("healthChecker":{"protocol":"TCP","port":80})";
  for (const Case& c : std::vector<Case>{
           {"PUT", lb_set, R"({"policy":"ROUND_ROBIN",)" + hc + R"(,"backends":[],"name":"web"})", "UpdateBackendSetDetails.name"},
           {"PUT", lb_set, R"({"policy":"ROUND_ROBIN",)" + hc + R"(,"backends":[{"ipAddress":"10.0.0.1","port":80,"name":"x"}]})",
            "UpdateBackendSetDetails.backends[0].name"},
           {"PUT", lb_set, R"({"policy":"ROUND_ROBIN","healthChecker":{"protocol":"TCP","status":"OK"},"backends":[]})",
            "UpdateBackendSetDetails.healthChecker.status"},
           {"POST", lb_set + "/backends", R"({"ipAddress":"10.0.0.2","port":80,"isDrain":true})", "CreateBackendDetails.isDrain"},
           {"PUT", lb_set + "/backends/10.0.0.1%3A80", R"({"weight":1,"backup":false,"drain":false,"offline":false,"port":80})",
            "UpdateBackendDetails.port"},
           {"PUT", nlb_set, R"({"backends":[],"futureSetting":1})", "UpdateBackendSetDetails.futureSetting"},
           {"PUT", nlb_set, R"({"backends":[],"healthChecker":{"protocol":"DNS","dns":{"domainName":"a","x":1}}})",
            "UpdateBackendSetDetails.healthChecker.dns.x"},
           {"POST", nlb_set + "/backends", R"({"ipAddress":"10.0.0.3","port":80,"drain":true})", "CreateBackendDetails.drain"},
       }) {
    auto r = client_->Send(key_, c.method, c.path, c.body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << c.body;
    EXPECT_EQ(Field(r->body, "code"), "InvalidParameter") << c.body;
    EXPECT_NE(Field(r->body, "message").find(c.field), std::string::npos) << r->body;
  }
  EXPECT_EQ(sim_->service().counters().Count("UpdateBackendSet", 400), 5);
  EXPECT_EQ(BackendNames(LbKind::kClassic, kLb, "web"), std::vector<std::string>{"10.0.0.1:80"});
}

TEST_F(SimulatorTest, ImdsAndFederationIssueAUsableSessionToken) {
  HttpRequest imds;
  imds.url = "/opc/v2/identity/cert.pem";
  auto unauth = client_->Raw(imds);
  ASSERT_TRUE(unauth);
  EXPECT_EQ(unauth->status, 401);
  auto fetch = [&](const std::string& p) {
    HttpRequest req;
    req.url = p;
    req.headers = {{"authorization", "Bearer Oracle"}};
    auto r = client_->Raw(req);
    EXPECT_TRUE(r && r->status == 200);
    return r ? r->body : "";
  };
  std::string cert_pem = fetch("/opc/v2/identity/cert.pem");
  std::string key_pem = fetch("/opc/v2/identity/key.pem");
  EXPECT_NE(fetch("/opc/v2/identity/intermediate.pem").find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_EQ(fetch("/opc/v2/instance/region"), "phx");
  auto cert = ParseCertificatePem(cert_pem);
  ASSERT_TRUE(cert);
  std::string tenancy;
  for (const auto& v : SubjectValues(cert->get())) {
    if (v.starts_with("opc-tenant:")) tenancy = v.substr(11);
  }
  ASSERT_FALSE(tenancy.empty());
  auto session = testing::GenerateRsaKey(2048);
  ASSERT_TRUE(session);
  auto strip = [](std::string pem) {
    std::string out;
    std::istringstream in(pem);
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("-----")) out += line;
    }
    return out;
  };
  std::string body = "{\"certificate\":\"" + strip(cert_pem) + "\",\"publicKey\":\"" +
                     strip(session->cert_pem) + "\",\"intermediateCertificates\":[]}";
  auto leaf_key = ParsePrivateKeyPem(key_pem);
  ASSERT_TRUE(leaf_key);
  Key fed{tenancy + "/fed-x509-sha256/" + CertFingerprint(cert->get(), true), *leaf_key};
  auto tok = client_->Send(fed, "POST", "/v1/x509", body);
  ASSERT_TRUE(tok);
  ASSERT_EQ(tok->status, 200) << tok->body;
  std::string token = Field(tok->body, "token");
  ASSERT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  auto payload = Base64UrlDecode(token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
  ASSERT_TRUE(payload);
  EXPECT_NE(payload->find("\"exp\":"), std::string::npos);

  auto session_key = ParsePrivateKeyPem(session->key_pem);
  ASSERT_TRUE(session_key);
  auto r = client_->Send(Key{"ST$" + token, *session_key}, "GET", "/20170115/loadBalancers/" + std::string(kLb));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  // A federation request signed by some other key is refused.
  Key wrong{fed.id, NewKey("x").priv};
  auto bad = client_->Send(wrong, "POST", "/v1/x509", body);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
}

TEST(SimProcessTest, LaunchesBinaryWithControlApi) {
  auto binary = SimProcess::FindBinary();
  ASSERT_TRUE(binary) << binary.error().ToString();
  SimProcess sim;
  ASSERT_TRUE(sim.Start());
  ASSERT_GT(sim.port(), 0);
  auto& control = sim.control();
  ASSERT_TRUE(control.ReplaceState(Seed()));
  Key key = NewKey(kKeyId);
  ASSERT_TRUE(control.AddKey(kKeyId, PublicKeyPem(key.priv.get())));
  Client client(sim.url(), sim.ca_pem());
  auto r = client.Send(key, "GET", "/20170115/loadBalancers/" + std::string(kLb) + "/backendSets/web");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Field(r->body, "policy"), "ROUND_ROBIN");
  auto count = control.CallCount("GetBackendSet", 200);
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);
  ASSERT_TRUE(control.SetInstanceState("missing", "TERMINATED").error().http_status == 404);
  auto state = control.State();
  ASSERT_TRUE(state);
  EXPECT_NE(state->find(kNlb), std::string::npos);
  pid_t pid = sim.pid();
  sim.Stop();
  EXPECT_NE(kill(pid, 0), 0);  // reaped
}

}  // namespace
}  // namespace ccm::ocisim
