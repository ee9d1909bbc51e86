// The bad-input corpus (testdata/bad_input): malformed LBRegistrars, annotated Services and
// cloud-configs as users write them. Each file's header states what must happen:
//   # expect: rejected status=422 mentions "spec.nodePort" ...        (the API server refuses it)
//   # expect: condition Degraded reason=InvalidSpec mentions "..." ... (accepted, then a condition)
//   # expect: condition Degraded reason=InvalidSpec warned mentions "..." (also: `kubectl apply`
//     warns, naming the fields, and a Warning Event with the reason names them too)
//   # expect: event Warning reason=InvalidSpec mentions "..." ...      (accepted, then an Event)
//   # expect: exit-nonzero mentions "registrar.drainPeriod" ...        (the binary refuses to start)
//   # secret: "..."   (a cloud-config value that must never be printed)
// One registrar, against the OCI simulator, serves every input; after all of them not one OCI
// write happened and the pre-existing backends are untouched, while a valid control resource
// in the same run was registered (its writes are counted apart, before the corpus runs).
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "test/envtest/control_plane.h"
#include "test/integration/cloud/registrar_env.h"
#include "test/support/param_names.h"

namespace ccm::itest {
namespace {

namespace fs = std::filesystem;

constexpr char kLb[] = "ocid1.loadbalancer.oc1.phx.corpus";
constexpr char kNlb[] = "ocid1.networkloadbalancer.oc1.phx.corpus";
constexpr char kServiceNamespace[] = "bad-input";
constexpr char kControl[] = "corpus-control";
constexpr char kPassphrase[] = "correct-horse-battery-corpus";

struct Expectation {
  std::string kind;  // rejected, condition, event, exit-nonzero
  int status = 0;
  std::string type;    // condition type, or event type
  std::string reason;
  bool warned = false;  // the API server warns on admission (the shipped ValidatingAdmissionPolicy)
  std::vector<std::string> mentions;
  std::vector<std::string> secrets;
};

struct CorpusFile {
  std::string name;      // category_file-stem, the gtest parameter name
  std::string category;  // lbregistrars, services, cloud_configs
  std::string path;
  std::string text;
  Expectation expect;
  std::string header_error;  // a malformed header fails the case
};

void PrintTo(const CorpusFile& f, std::ostream* os) { *os << f.path; }

std::vector<std::string> Quoted(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = s.find('"'); i != std::string::npos; i = s.find('"', i)) {
    size_t end = s.find('"', i + 1);
    if (end == std::string::npos) break;
    out.push_back(s.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  return out;
}

Expectation ParseHeader(const std::string& text, std::string& error) {
  Expectation e;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line) && line.starts_with("#");) {
    if (line.starts_with("# secret:")) {
      for (auto& s : Quoted(line)) e.secrets.push_back(s);
      continue;
    }
    if (!line.starts_with("# expect:")) continue;
    std::string rest = line.substr(9);
    size_t mentions = rest.find(" mentions ");
    if (mentions != std::string::npos) {
      e.mentions = Quoted(rest.substr(mentions));
      rest = rest.substr(0, mentions);
    }
    std::istringstream words(rest);
    words >> e.kind;
    for (std::string w; words >> w;) {
      if (w.starts_with("status=")) e.status = std::stoi(w.substr(7));
      else if (w.starts_with("reason=")) e.reason = w.substr(7);
      else if (w == "warned") e.warned = true;
      else e.type = w;
    }
  }
  static const std::set<std::string> kinds = {"rejected", "condition", "event", "exit-nonzero"};
  if (!kinds.contains(e.kind)) error = "no valid '# expect:' line";
  else if (e.mentions.empty()) error = "the expectation names no field (mentions \"...\")";
  else if (e.kind == "rejected" && e.status == 0) error = "rejected needs status=";
  else if (e.warned && e.kind != "condition") error = "warned goes with condition";
  else if ((e.kind == "condition" || e.kind == "event") && (e.reason.empty() || e.type.empty())) {
    error = e.kind + " needs a type and reason=";
  }
  return e;
}

std::string CorpusDir() {
  const char* root = std::getenv("CCM_SOURCE_DIR");
  return std::string(root ? root : ".") + "/test/integration/cloud/testdata/bad_input";
}

std::vector<CorpusFile> LoadCategory(const std::string& category) {
  std::vector<CorpusFile> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(CorpusDir() + "/" + category, ec)) {
    if (entry.path().extension() != ".yaml") continue;
    CorpusFile f;
    f.category = category;
    f.path = entry.path().string();
    f.name = category + "_" + entry.path().stem().string();
    f.text = ReadSource("test/integration/cloud/testdata/bad_input/" + category + "/" + entry.path().filename().string());
    f.expect = ParseHeader(f.text, f.header_error);
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
  return out;
}

std::vector<CorpusFile> LoadCorpus() {
  std::vector<CorpusFile> all;
  for (const char* c : {"lbregistrars", "services", "cloud_configs"}) {
    auto files = LoadCategory(c);
    all.insert(all.end(), files.begin(), files.end());
  }
  return all;
}

bool MentionsAll(const std::string& text, const std::vector<std::string>& needles, std::string& missing) {
  for (const auto& n : needles) {
    if (text.find(n) == std::string::npos) {
      missing = n;
      return false;
    }
  }
  return true;
}

// One registrar, simulator and set of fixtures for the whole corpus.
class CorpusEnv : public RegistrarE2E {
 public:
  void TestBody() override {}
  using RegistrarE2E::Backends;
  using RegistrarE2E::BackendSetJson;
  using RegistrarE2E::RegistrarJson;
  using RegistrarE2E::WaitQuiet;
  std::string CountersJson() { return sim_->service().counters().Json(); }

  void Start() {
    RegistrarE2E::SetUp();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    Api("POST", "/api/v1/namespaces", std::string(R"({"metadata":{"name":")") + kServiceNamespace + R"("}})", 0);
    // Sets with backends someone added by hand: nothing in the corpus may touch them.
    SeedLoadBalancer(kLb, {"web-http", "web-https", "control"},
                     R"([{"ipAddress":"192.168.60.10","port":30080,"weight":3},{"ipAddress":"192.168.60.11","port":30080}])");
    SeedLoadBalancer(kNlb, {"tcp-443"}, R"([{"ipAddress":"192.168.60.20","port":30443}])");
    for (const char* keyed : {"ocid1.loadbalancer.oc1.phx.corpuskeyed", "ocid1.loadbalancer.oc1.phx.corpuskeyedtwo"}) {
      SeedLoadBalancer(keyed, {"http"}, R"([{"ipAddress":"192.168.60.30","port":30080}])");
    }
    for (const auto& [lb, set] : SetsWatched()) before_[lb + "/" + set] = BackendSetJson(lb, set);
    CreateNode("corpus-a", "10.30.0.1", R"({"role":"web"})");
    CreateNode("corpus-b", "10.30.0.2", R"({"role":"web"})");
    // Services the corpus's LBRegistrars refer to.
    const std::string svcs = std::string("/api/v1/namespaces/") + kServiceNamespace + "/services";
    Api("POST", svcs,
        R"({"metadata":{"name":"web"},"spec":{"type":"NodePort","selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443,"targetPort":8443}]}})",
        201);
    Api("POST", svcs,
        R"({"metadata":{"name":"internal"},"spec":{"type":"ClusterIP","selector":{"app":"web"},"ports":[{"name":"http","port":80}]}})",
        201);
    // The missing load balancer is allowed, so its absence is what gets reported.
    StartRegistrar({.allowed_load_balancers = {kLb, kNlb, "ocid1.loadbalancer.oc1.phx.deletedlastweek"}});
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    CreateRegistrar(kControl, std::string(R"({"loadBalancerId":")") + kLb + R"(","backendSetName":"control","nodePort":30999})");
    ASSERT_TRUE(BackendsEventually(kLb, "control", ControlBackends()));
    WaitQuiet();
    control_writes_ = AllWrites();
    started_ = true;
  }

  void Stop() {
    if (!started_) return;
    TearDown();
    started_ = false;
  }

  // The control's nodes, next to the hand-added backends every seeded set starts with.
  static std::vector<std::string> ControlBackends() {
    return {"10.30.0.1:30999", "10.30.0.2:30999", "192.168.60.10:30080", "192.168.60.11:30080"};
  }

  static std::vector<std::pair<std::string, std::string>> SetsWatched() {
    return {{kLb, "web-http"},
            {kLb, "web-https"},
            {kNlb, "tcp-443"},
            {"ocid1.loadbalancer.oc1.phx.corpuskeyed", "http"},
            {"ocid1.loadbalancer.oc1.phx.corpuskeyedtwo", "http"}};
  }

  // Every call that is not a read (Get*/List*), on any service: NLB writes share the names.
  int64_t AllWrites() {
    auto doc = json::Parse(sim_->service().counters().Json(), "counters");
    if (!doc) return -1;
    int64_t n = 0;
    const json::Value* ops = json::Find(*doc, "operations");
    if (ops == nullptr) return 0;
    for (auto it = ops->MemberBegin(); it != ops->MemberEnd(); ++it) {
      std::string op = it->name.GetString();
      if (op.starts_with("Get") || op.starts_with("List")) continue;
      n += json::Find(it->value, "total") ? json::Find(it->value, "total")->GetInt64() : 0;
    }
    return n;
  }

  // POSTs the file as kubectl would: YAML, with unknown and duplicate fields an error.
  Result<HttpResponse> Apply(const CorpusFile& f) {
    std::string path = f.category == "services"
                           ? std::string("/api/v1/namespaces/") + kServiceNamespace + "/services"
                           : "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars";
    auto r = plane_->Request("POST", path + "?fieldValidation=Strict", f.text, "application/yaml");
    if (r && r->status == 201 && f.category == "lbregistrars") {
      auto doc = json::Parse(r->body, "created");
      if (doc) registrars_created_.push_back((*doc)["metadata"]["name"].GetString());
    }
    return r;
  }

  // status.conditions[type] of an LBRegistrar as "reason: message", or "".
  std::string Condition(const std::string& name, const std::string& type) {
    std::string reason = ConditionField(name, type, "reason");
    return reason.empty() ? "" : reason + ": " + ConditionField(name, type, "message");
  }

  // Events of a Service (or, with namespace "default", an LBRegistrar) as "type reason: message"
  // lines.
  std::vector<std::string> Events(const std::string& service, const std::string& ns = kServiceNamespace) {
    auto r = plane_->Request("GET", "/api/v1/namespaces/" + ns + "/events?fieldSelector=involvedObject.name%3D" + service);
    std::vector<std::string> out;
    if (!r || r->status != 200) return out;
    auto doc = json::Parse(r->body, "events");
    if (!doc) return out;
    for (const auto& e : (*doc)["items"].GetArray()) {
      out.push_back(json::String(e, "type", "").value_or("") + " " + json::String(e, "reason", "").value_or("") + ": " +
                    json::String(e, "message", "").value_or(""));
    }
    return out;
  }

  std::map<std::string, std::string> before_;
  int64_t control_writes_ = 0;
  bool started_ = false;
  std::set<std::string> applied_;
};

CorpusEnv* g_env = nullptr;

class CorpusEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (g_env != nullptr) g_env->Stop();
    delete g_env;
    g_env = nullptr;
    if (!key_dir_.empty()) fs::remove_all(key_dir_);
  }
  std::string key_dir_;
};
CorpusEnvironment* const g_environment =
    static_cast<CorpusEnvironment*>(::testing::AddGlobalTestEnvironment(new CorpusEnvironment));

CorpusEnv& Env() {
  if (g_env == nullptr) {
    g_env = new CorpusEnv;
    g_env->Start();
  }
  return *g_env;
}

// Key material for cloud-configs, generated once; never checked in.
struct KeyFiles {
  std::string dir, key_pem, key_file, encrypted_file, public_file, fingerprint;
};

const KeyFiles& Keys() {
  static KeyFiles k = [] {
    KeyFiles out;
    char tmpl[] = "/tmp/ccm-corpus-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return out;
    out.dir = tmpl;
    g_environment->key_dir_ = out.dir;
    auto key = ccm::testing::GenerateRsaKey();
    if (!key) return out;
    out.key_pem = key->key_pem;
    auto rsa = oci::RsaPrivateKey::FromPem(key->key_pem, "", "corpus key");
    if (rsa) out.fingerprint = rsa->Fingerprint();
    out.key_file = out.dir + "/key.pem";
    std::ofstream(out.key_file) << out.key_pem;
    out.encrypted_file = out.dir + "/encrypted.pem";
    out.public_file = out.dir + "/public.pem";
    std::string cmd = "openssl pkey -in " + out.key_file + " -aes256 -passout pass:" + kPassphrase + " -out " +
                      out.encrypted_file + " && openssl pkey -in " + out.key_file + " -pubout -out " + out.public_file;
    if (std::system(cmd.c_str()) != 0) out.encrypted_file.clear();
    return out;
  }();
  return k;
}

// Replaces ${...} placeholders; ${TEST_KEY_PEM} keeps its line's indentation on every line.
std::string Render(std::string text, const KeyFiles& k) {
  std::map<std::string, std::string> vars = {{"${TEST_KEY_FILE}", k.key_file},
                                             {"${TEST_ENCRYPTED_KEY_FILE}", k.encrypted_file},
                                             {"${TEST_PUBLIC_KEY_FILE}", k.public_file},
                                             {"${TEST_FINGERPRINT}", k.fingerprint}};
  for (const auto& [var, value] : vars) {
    for (size_t i = text.find(var); i != std::string::npos; i = text.find(var, i + value.size())) {
      text.replace(i, var.size(), value);
    }
  }
  const std::string pem_var = "${TEST_KEY_PEM}";
  if (size_t i = text.find(pem_var); i != std::string::npos) {
    size_t line_start = text.rfind('\n', i) + 1;
    std::string indent = text.substr(line_start, i - line_start);
    std::string pem, line;
    std::istringstream in(k.key_pem);
    while (std::getline(in, line)) pem += (pem.empty() ? "" : "\n" + indent) + line;
    text.replace(i, pem_var.size(), pem);
  }
  return text;
}

// Lines of the key's base64 body: none may ever be printed.
std::vector<std::string> KeyBodyLines(const std::string& pem) {
  std::vector<std::string> out;
  std::istringstream in(pem);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("-----") && line.size() >= 16) out.push_back(line);
  }
  return out;
}

// Runs the binary on `config`; returns its exit code (-1: still running after `timeout`,
// then killed) and its combined output.
int RunBinary(const std::string& config, std::string& output, std::chrono::seconds timeout) {
  const KeyFiles& k = Keys();
  const char* bin_dir = std::getenv("CCM_BINARY_DIR");
  std::string kubeconfig = k.dir + "/kubeconfig";
  if (!fs::exists(kubeconfig)) {
    // Unreachable: a config the binary wrongly accepts must not reach a real cluster.
    std::ofstream(kubeconfig) << "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
                                 "    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context:\n"
                                 "    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n    token: t\n"
                                 "current-context: c\n";
  }
  std::string log = k.dir + "/out.log";
  fs::remove(log);
  auto pid = envtest::SpawnChild({std::string(bin_dir ? bin_dir : "build") + "/bin/oci-lb-registrar-ccm",
                                  "--cloud-config=" + config, "--kubeconfig=" + kubeconfig, "--secure-port=0",
                                  "--leader-elect=false"},
                                 log);
  if (!pid) return -2;
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int code = -1;
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = waitpid(*pid, &status, WNOHANG);
    if (r == *pid) {
      code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (code == -1) envtest::TerminateChild(*pid, std::chrono::seconds(1));
  std::ifstream f(log);
  std::stringstream ss;
  ss << f.rdbuf();
  output = ss.str();
  return code;
}

class BadInput : public ::testing::TestWithParam<CorpusFile> {};

void CheckResource(CorpusEnv& env, const CorpusFile& f) {
  const Expectation& e = f.expect;
  auto r = env.Apply(f);
  ASSERT_TRUE(r) << r.error().ToString();
  env.applied_.insert(f.name);
  std::string missing;
  if (e.kind == "rejected") {
    EXPECT_EQ(r->status, e.status) << r->body;
    EXPECT_TRUE(MentionsAll(r->body, e.mentions, missing)) << "the refusal does not mention \"" << missing
                                                           << "\":\n" << r->body;
    return;
  }
  ASSERT_EQ(r->status, 201) << "the API server refused an input expected to be accepted:\n" << r->body;
  auto doc = json::Parse(r->body, "created");
  ASSERT_TRUE(doc);
  std::string name = (*doc)["metadata"]["name"].GetString();
  if (e.warned) {
    // Warning: 299 - "<message>", one header per warning.
    std::string warnings;
    for (const auto& [k, v] : r->headers) {
      if (k == "warning") warnings += v + "\n";
    }
    EXPECT_TRUE(MentionsAll(warnings, e.mentions, missing))
        << "the API server's warnings do not mention \"" << missing << "\":\n" << warnings;
  }
  if (e.kind == "condition") {
    std::string got;
    bool ok = Eventually(
        [&] {
          got = env.Condition(name, e.type);
          return got.starts_with(e.reason + ": ") && MentionsAll(got, e.mentions, missing);
        },
        std::chrono::seconds(20));
    EXPECT_TRUE(ok) << "want " << e.type << " reason " << e.reason << " mentioning \"" << missing << "\"; got: " << got
                    << "\n" << env.RegistrarJson(name);
    if (e.warned) {
      std::vector<std::string> events;
      bool evented = Eventually(
          [&] {
            events = env.Events(name, "default");
            return std::any_of(events.begin(), events.end(), [&](const std::string& ev) {
              return ev.starts_with("Warning " + e.reason + ": ") && MentionsAll(ev, e.mentions, missing);
            });
          },
          std::chrono::seconds(20));
      std::string all;
      for (const auto& ev : events) all += "\n  " + ev;
      EXPECT_TRUE(evented) << "want a Warning " << e.reason << " event naming the fields; events:" << all;
    }
    return;
  }
  // event
  std::vector<std::string> events;
  bool ok = Eventually(
      [&] {
        events = env.Events(name);
        for (const auto& ev : events) {
          if (ev.starts_with(e.type + " " + e.reason + ": ") && MentionsAll(ev, e.mentions, missing)) return true;
        }
        return false;
      },
      std::chrono::seconds(20));
  std::string all;
  for (const auto& ev : events) all += "\n  " + ev;
  EXPECT_TRUE(ok) << "want a " << e.type << " " << e.reason << " event mentioning all of the fields; last missing \""
                  << missing << "\"; events:" << all;
}

void CheckCloudConfig(const CorpusFile& f) {
  const KeyFiles& k = Keys();
  ASSERT_FALSE(k.fingerprint.empty());
  ASSERT_FALSE(k.encrypted_file.empty()) << "openssl could not encrypt the test key";
  std::string config = k.dir + "/" + fs::path(f.path).filename().string();
  std::ofstream(config) << Render(f.text, k);
  std::string out;
  auto began = std::chrono::steady_clock::now();
  int code = RunBinary(config, out, std::chrono::seconds(5));
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  EXPECT_GT(code, 0) << "exit " << code << " (-1: still running after 5 s) in " << took.count() << " ms:\n" << out;
  std::string missing;
  EXPECT_TRUE(MentionsAll(out, f.expect.mentions, missing)) << "output does not mention \"" << missing << "\":\n" << out;
  for (const auto& secret : f.expect.secrets) EXPECT_EQ(out.find(secret), std::string::npos) << "leaked:\n" << out;
  for (const auto& line : KeyBodyLines(k.key_pem)) EXPECT_EQ(out.find(line), std::string::npos) << "key leaked:\n" << out;
  EXPECT_EQ(out.find(kPassphrase), std::string::npos) << "passphrase leaked:\n" << out;
  EXPECT_EQ(out.find("PRIVATE KEY-----"), std::string::npos) << out;
}

TEST_P(BadInput, IsRefusedOrReportedWithTheFieldAndNoOciWrite) {
  const CorpusFile& f = GetParam();
  ASSERT_TRUE(f.header_error.empty()) << f.path << ": " << f.header_error;
  if (f.category == "cloud_configs") {
    CheckCloudConfig(f);
    return;
  }
  CorpusEnv& env = Env();
  ASSERT_TRUE(env.started_);
  int64_t writes_before = env.AllWrites();
  CheckResource(env, f);
  EXPECT_EQ(env.AllWrites(), writes_before) << env.CountersJson();
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(LoadCorpus()), ccm::testing::NameFromField{});

TEST(BadInputCorpus, HoldsEnoughDistinctInputs) {
  std::map<std::string, int> per_category;
  std::set<std::string> bodies;
  for (const auto& f : LoadCorpus()) {
    ++per_category[f.category];
    // Inputs differ in more than their header and name.
    std::string body;
    std::istringstream in(f.text);
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("#") && !line.starts_with("  name:")) body += line + "\n";
    }
    EXPECT_TRUE(bodies.insert(body).second) << f.path << " repeats another input";
  }
  EXPECT_GE(per_category["lbregistrars"], 25);
  EXPECT_GE(per_category["services"], 15);
  EXPECT_GE(per_category["cloud_configs"], 15);
}

// Runs after the corpus (parameterized suites run in definition order); applies whatever a
// filter left out, so the check always covers the whole corpus.
class AfterAllInputs : public ::testing::TestWithParam<int> {};

TEST_P(AfterAllInputs, NoOciWriteHappenedAndTheControlWasRegistered) {
  CorpusEnv& env = Env();
  ASSERT_TRUE(env.started_);
  for (const auto& f : LoadCorpus()) {
    if (f.category == "cloud_configs" || env.applied_.contains(f.name)) continue;
    (void)env.Apply(f);
    env.applied_.insert(f.name);
  }
  // Let every accepted input reach its condition or event (and any write it would cause).
  std::this_thread::sleep_for(std::chrono::seconds(2));
  env.WaitQuiet();
  EXPECT_GT(env.control_writes_, 0) << "the control resource was registered without a write?";
  EXPECT_EQ(env.AllWrites(), env.control_writes_) << env.CountersJson();
  for (const auto& [lb, set] : CorpusEnv::SetsWatched()) {
    EXPECT_EQ(env.BackendSetJson(lb, set), env.before_[lb + "/" + set]) << lb << "/" << set;
  }
  // The registrar stayed alive and correct for the control throughout.
  EXPECT_EQ(env.Backends(kLb, "control"), CorpusEnv::ControlBackends());
  EXPECT_EQ(env.Condition(kControl, "Ready").substr(0, 20), "BackendsRegistered: ") << env.RegistrarJson(kControl);
}

INSTANTIATE_TEST_SUITE_P(Corpus, AfterAllInputs, ::testing::Values(0));

}  // namespace
}  // namespace ccm::itest
