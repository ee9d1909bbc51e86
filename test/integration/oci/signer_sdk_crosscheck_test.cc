// Cross-checks our request signer against Oracle's official JavaScript SDK (oci-common):
// the same requests are signed by both, and every signed value must agree. The SDK signs
// `x-date` instead of `date` and orders content-type before content-length, so its
// Authorization header cannot equal ours byte for byte; instead we check every header value
// it signs, its keyId and algorithm, and that our signing code, given the SDK's header list,
// produces the SDK's signature exactly (which pins request-target, host, body hash, length
// and the RSA signature itself). The byte-for-byte check of our own header order is the
// Oracle test vectors in test/pkg/oci/auth/signing_test.cc.
//
// Requires node and test/sdk/node/node_modules (installed by test/sdk/install.sh, which
// `make test` runs): this test fails, never skips, when they are missing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "pkg/base/base64.h"
#include "pkg/base/json.h"
#include "pkg/oci/auth/api_key_signer.h"
#include "pkg/oci/auth/signing.h"
#include "test/mocks/simulated_clock.h"
#include "test/pkg/oci/auth/oracle_test_vectors.h"

namespace ccm::oci {
namespace {

namespace v = ccm::testing::oracle_vectors;
namespace fs = std::filesystem;

struct TestRequest {
  std::string method;
  std::string url;
  std::string body;
  std::string content_type;  // empty: let the signers default it
};

std::map<std::string, std::string> AuthParams(std::string_view header) {
  std::map<std::string, std::string> params;
  constexpr std::string_view kPrefix = "Signature ";
  if (!header.starts_with(kPrefix)) return params;
  std::string_view rest = header.substr(kPrefix.size());
  while (!rest.empty()) {
    size_t eq = rest.find("=\"");
    if (eq == std::string_view::npos) break;
    size_t end = rest.find('"', eq + 2);
    if (end == std::string_view::npos) break;
    params[std::string(rest.substr(0, eq))] = std::string(rest.substr(eq + 2, end - eq - 2));
    rest = rest.substr(std::min(rest.size(), end + 2));
  }
  return params;
}

std::vector<std::string> SplitLower(const std::string& list) {
  std::vector<std::string> out;
  std::istringstream in(list);
  for (std::string name; in >> name;) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(name);
  }
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<TestRequest> Requests() {
  const std::string iaas = "https://iaas.us-ashburn-1.oraclecloud.com";
  const std::string lb = "https://iaas.us-ashburn-1.oraclecloud.com/20170115/loadBalancers/"
                         "ocid1.loadbalancer.oc1.iad.aaaaaaaabbbbbbbbcccccccc";
  std::string large = "{\"backends\":[";
  for (int i = 0; i < 4000; ++i) {
    if (i > 0) large += ",";
    large += "{\"ipAddress\":\"10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) +
             "\",\"port\":30080,\"weight\":1,\"name\":\"nœud-" + std::to_string(i) + "\"}";
  }
  large += "]}";
  return {
      {"GET", v::kGetUrl, "", ""},
      {"GET", iaas + "/20160918/instances/ocid1.instance.oc1.iad.anuwcljt", "", ""},
      {"HEAD", "https://objectstorage.us-ashburn-1.oraclecloud.com/n/ns/b/bucket/o/my%20object%3Aname", "", ""},
      {"DELETE", lb + "/backendSets/bs-1/backends/10.0.0.5%3A8080", "", ""},
      {"GET",
       iaas + "/20160918/instances?compartmentId=ocid1.compartment.oc1..aaaa&limit=100&page=AAAA%2Fbb%3D%3D"
              "&sortBy=TIMECREATED&sortOrder=ASC&displayName=caf%C3%A9%20%E2%9C%93",
       "", ""},
      {"GET", iaas + "/20160918/vcns/%E6%97%A5%E6%9C%AC%E8%AA%9E/%F0%9F%9A%80", "", ""},
      {"GET", iaas + "/20160918/things/a%3ab%2fc?q=%3a%2f", "", ""},
      {"GET", "https://iaas.example.com:8443/20160918/regions", "", ""},
      {"GET", "https://iaas.us-ashburn-1.oraclecloud.com:443/20160918/regions", "", ""},
      {"GET", "https://IAAS.US-Ashburn-1.OracleCloud.com/20160918/regions", "", ""},
      {"GET", "https://iaas.us-ashburn-1.oraclecloud.com", "", ""},
      {"GET", iaas + "/20160918/x?a=1&a=2&b=&c", "", ""},
      {"GET", iaas + "/p/a~b!c$d*e+f,g;h=i@j:k/z?x=/?:@!$*+,;", "", ""},
      {"DELETE", lb + "?isForceDeletion=true", "", ""},
      {"HEAD", lb + "/backendSets?limit=1&page=2", "", ""},
      {"PUT", lb + "/backendSets/bs-1", "", ""},
      {"PUT", lb + "/backendSets/bs-1",
       "{\"policy\":\"ROUND_ROBIN\",\"backends\":[{\"ipAddress\":\"10.0.0.5\",\"port\":30080}],"
       "\"healthChecker\":{\"protocol\":\"TCP\",\"port\":30080}}",
       ""},
      {"POST", v::kPostUrl, v::kPostBody, ""},
      {"POST", iaas + "/20160918/instances/ocid1.instance.oc1.iad.x?action=SOFTRESET", "", ""},
      {"POST", lb + "/backendSets/bs-1/backends", "{\"name\":\"日本語 ✓ 🚀\",\"note\":\"tab\\there\\nnewline\"}", ""},
      {"PATCH", "https://iaas.us-ashburn-1.oraclecloud.com/20200501/networkLoadBalancers/nlb1",
       "{\"displayName\":\"x\"}", "application/merge-patch+json"},
      {"POST", lb + "/backendSets/big/backends", large, ""},
      {"PUT", "https://objectstorage.us-ashburn-1.oraclecloud.com/n/ns/b/b/o/blob", "binary-ish\ttext\r\nline2",
       "application/octet-stream"},
      {"POST", "http://127.0.0.1:12345/20170115/loadBalancers", "{}", ""},
      {"DELETE", "http://[::1]:8080/20170115/loadBalancers/x", "", ""},
  };
}

TEST(SignerSdkCrosscheckTest, MatchesOracleJavaScriptSdk) {
  const char* source_dir = std::getenv("CCM_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr) << "CCM_SOURCE_DIR is not set (ctest sets it; set it to the repository root)";
  const fs::path sdk = fs::path(source_dir) / "test/sdk/node";
  const fs::path script = sdk / "sign_requests.js";
  ASSERT_TRUE(fs::exists(script)) << script << " is missing";
  ASSERT_EQ(std::system("command -v node >/dev/null 2>&1"), 0)
      << "node is not installed; install Node.js (hack/install-deps.sh) to run the SDK cross-check";
  ASSERT_TRUE(fs::exists(sdk / "node_modules/oci-common/package.json"))
      << "Oracle's SDK is not installed in " << sdk / "node_modules"
      << "; run `bash test/sdk/install.sh` (`make test` does this)";

  ccm::testing::SimulatedClock clock;
  clock.SetWall(std::chrono::system_clock::from_time_t(1735689600) + std::chrono::seconds(12345));
  auto key = RsaPrivateKey::FromPem(v::kPrivateKeyPem, "", "Oracle test key");
  ASSERT_TRUE(key);
  const std::string key_id = std::string(v::kTenancy) + "/" + v::kUser + "/" + v::kKeyIdFingerprint;
  ApiKeySigner signer(key_id, *key, clock);

  const std::vector<TestRequest> cases = Requests();
  ASSERT_GE(cases.size(), 20u);
  std::vector<HttpRequest> ours;
  std::string input = "[";
  for (size_t i = 0; i < cases.size(); ++i) {
    HttpRequest request;
    request.method = cases[i].method;
    request.url = cases[i].url;
    request.body = cases[i].body;
    if (!cases[i].content_type.empty()) request.headers.emplace_back("content-type", cases[i].content_type);
    auto status = signer.Sign(request);
    ASSERT_TRUE(status) << cases[i].url << ": " << status.error().ToString();
    ours.push_back(request);

    if (i > 0) input += ",";
    input += "{\"method\":";
    json::AppendQuoted(input, request.method);
    input += ",\"url\":";
    json::AppendQuoted(input, request.url);
    input += ",\"headers\":{\"date\":";
    json::AppendQuoted(input, *FindHeader(request.headers, "date"));
    if (!cases[i].content_type.empty()) {
      input += ",\"content-type\":";
      json::AppendQuoted(input, cases[i].content_type);
    }
    input += "},\"body\":";
    json::AppendQuoted(input, MethodSignsBody(request.method) ? request.body : "");
    input += "}";
  }
  input += "]";

  const fs::path dir = fs::path(::testing::TempDir()) / ("signer_crosscheck_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "in.json", std::ios::binary) << input;
  }
  const std::string command = "node '" + script.string() + "' < '" + (dir / "in.json").string() + "' > '" +
                              (dir / "out.json").string() + "' 2> '" + (dir / "err.txt").string() + "'";
  const int rc = std::system(command.c_str());
  const std::string output = ReadFile(dir / "out.json");
  const std::string errors = ReadFile(dir / "err.txt");
  fs::remove_all(dir);
  ASSERT_EQ(rc, 0) << "sign_requests.js failed: " << errors;

  auto doc = json::Parse(output, "sign_requests.js output");
  ASSERT_TRUE(doc) << doc.error().ToString();
  ASSERT_TRUE(doc->IsArray());
  ASSERT_EQ(doc->Size(), cases.size());

  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].method + " " + cases[i].url.substr(0, 160));
    const HttpRequest& our = ours[i];
    const json::Value& theirs = (*doc)[static_cast<rapidjson::SizeType>(i)];
    const json::Value& their_headers = theirs["headers"];
    auto header = [&](const char* name) { return json::String(their_headers, name, "").value_or("<absent>"); };

    const std::string date = *FindHeader(our.headers, "date");
    EXPECT_EQ(header("x-date"), date);
    EXPECT_EQ(header("host"), *FindHeader(our.headers, "host"));
    const bool body = MethodSignsBody(our.method);
    for (const char* name : {"content-length", "content-type", "x-content-sha256"}) {
      if (body) {
        EXPECT_EQ(header(name), *FindHeader(our.headers, name)) << name;
      } else {
        EXPECT_EQ(FindHeader(our.headers, name), nullptr) << name;
      }
    }

    auto their_auth = AuthParams(json::String(theirs, "authorization", "").value_or(""));
    auto our_auth = AuthParams(*FindHeader(our.headers, "authorization"));
    EXPECT_EQ(their_auth["version"], "1");
    EXPECT_EQ(our_auth["version"], "1");
    EXPECT_EQ(their_auth["keyId"], our_auth["keyId"]);
    EXPECT_EQ(their_auth["algorithm"], our_auth["algorithm"]);

    // Same set of signed headers (the SDK names the date x-date).
    std::vector<std::string> their_names = SplitLower(their_auth["headers"]);
    std::vector<std::string> our_names = SplitLower(our_auth["headers"]);
    std::vector<std::string> their_as_ours = their_names;
    std::replace(their_as_ours.begin(), their_as_ours.end(), std::string("x-date"), std::string("date"));
    std::sort(their_as_ours.begin(), their_as_ours.end());
    std::sort(our_names.begin(), our_names.end());
    EXPECT_EQ(their_as_ours, our_names);

    // Our signing string and RSA signature over the SDK's header list equal the SDK's.
    auto url = ParseRequestUrl(our.url);
    ASSERT_TRUE(url);
    HttpHeaders headers = our.headers;
    headers.emplace_back("x-date", date);
    auto signing_string = BuildSigningString(our.method, url->request_target, headers, their_names);
    ASSERT_TRUE(signing_string) << signing_string.error().ToString();
    auto signature = key->SignSha256(*signing_string);
    ASSERT_TRUE(signature);
    EXPECT_EQ(Base64Encode(*signature), their_auth["signature"]) << "signing string:\n" << *signing_string;
  }
}

}  // namespace
}  // namespace ccm::oci
