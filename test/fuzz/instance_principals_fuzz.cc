// Instance-principal responses: the federation service's answer (token or error body), the
// security token's JWT claims, and what IMDS returns (certificate PEM, region).
// Input: first byte picks the federation HTTP status and which IMDS answer is fuzzed; the
// rest is the body. Invariants: a token is returned only from a 200 JSON answer that holds
// it; errors say what went wrong and never quote the instance key or the token.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cctype>
#include <cstdint>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/json.h"
#include "pkg/oci/auth/instance_metadata.h"
#include "pkg/oci/auth/jwt.h"
#include "pkg/oci/auth/rsa_key.h"
#include "pkg/oci/auth/x509_federation_client.h"
#include "test/fuzz/fuzz_check.h"

namespace {

using ccm::fuzz::Check;
using ccm::fuzz::Contains;
namespace oci = ccm::oci;

constexpr char kTenancy[] = "ocid1.tenancy.oc1..aaaafuzz";

struct Identity {
  std::string cert_pem, key_pem;
};

// A throwaway self-signed "instance" certificate naming kTenancy, made once per process.
Identity MakeIdentity() {
  auto key = oci::RsaPrivateKey::Generate(1024);  // small: signing runs on every input
  Check(key.has_value(), "generating the test identity key");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key->get());
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("fuzz-instance"), -1, -1, 0);
  std::string ou = std::string("opc-tenant:") + kTenancy;
  X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(ou.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key->get(), EVP_sha256());
  Identity id;
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* p = nullptr;
  long n = BIO_get_mem_data(bio, &p);
  id.cert_pem.assign(p, static_cast<size_t>(n));
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key->get(), nullptr, nullptr, 0, nullptr, nullptr);
  n = BIO_get_mem_data(bio, &p);
  id.key_pem.assign(p, static_cast<size_t>(n));
  BIO_free(bio);
  X509_free(cert);
  return id;
}

const Identity& TheIdentity() {
  static const Identity id = MakeIdentity();
  return id;
}

const oci::RsaPrivateKey& SessionKey() {
  static const oci::RsaPrivateKey key = *oci::RsaPrivateKey::Generate(1024);
  return key;
}

class ScriptedTransport final : public ccm::HttpTransport {
 public:
  int federation_status = 200;
  std::string federation_body;
  std::string cert_pem, key_pem, intermediate_pem, region;

  ccm::Result<ccm::HttpResponse> Send(const ccm::HttpRequest& request) override {
    ccm::HttpResponse r;
    r.status = 200;
    if (request.url.ends_with("/identity/cert.pem")) r.body = cert_pem;
    else if (request.url.ends_with("/identity/key.pem")) r.body = key_pem;
    else if (request.url.ends_with("/identity/intermediate.pem")) r.body = intermediate_pem;
    else if (request.url.ends_with("/instance/region")) r.body = region;
    else if (request.url.ends_with("/v1/x509")) {
      Check(ccm::json::Parse(request.body, "federation request").has_value(), "the federation request is JSON");
      r.status = federation_status;
      r.body = federation_body;
      r.headers = {{"opc-request-id", "fuzz-request"}};
    } else {
      return ccm::Fail(ccm::ErrorKind::kUnavailable, "unexpected URL " + request.url);
    }
    return r;
  }
  ccm::Status Stream(const ccm::HttpRequest&, const ccm::StreamHandler&) override {
    return ccm::Fail(ccm::ErrorKind::kInternal, "no streams");
  }
};

// Base64 lines of a PEM (the secret part of a key) that the peer's own answer (`input`) did
// not carry: an error may echo what the service said, never what only this process holds.
void CheckNoPemLines(std::string_view pem, const std::string& message, std::string_view input) {
  size_t start = 0;
  while (start < pem.size()) {
    size_t end = pem.find('\n', start);
    if (end == std::string_view::npos) end = pem.size();
    std::string_view line = pem.substr(start, end - start);
    start = end + 1;
    if (line.size() >= 24 && !line.starts_with("-----") && !Contains(input, line)) {
      Check(!Contains(message, line), "an error never quotes the instance key", message);
    }
  }
}

void CheckJwt(std::string_view token) {
  auto times = oci::ParseJwtTimes(token);
  if (!times) {
    const std::string& m = times.error().message;
    Check(!m.empty(), "a token error says what is wrong");
    if (token.size() >= 16) Check(!Contains(m, token), "a token error never quotes the token", m);
    return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr int kStatuses[] = {200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 503, 302};
  const uint8_t selector = data[0];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  CheckJwt(body);

  ScriptedTransport transport;
  const Identity& id = TheIdentity();
  transport.cert_pem = id.cert_pem;
  transport.key_pem = id.key_pem;
  transport.region = "phx";
  const int mode = (selector >> 4) % 4;  // 0, 1: federation answer; 2: cert.pem; 3: intermediate.pem
  if (mode == 2) transport.cert_pem = std::string(body);
  if (mode == 3) transport.intermediate_pem = std::string(body);
  transport.federation_status = kStatuses[selector % std::size(kStatuses)];
  transport.federation_body = mode < 2 ? std::string(body) : R"({"token":"a.eyJleHAiOjE3MDAwMDAwMDB9.c"})";
  if (selector & 0x40) transport.region = std::string(body.substr(0, 64));

  oci::InstanceMetadataClient imds(transport, "http://169.254.169.254/opc/v2/");
  if (auto region = imds.FetchRegion(); region) {
    for (char c : *region) {
      Check(!std::isspace(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c)),
            "a canonical region is lower-case without spaces", *region);
    }
  }

  oci::X509FederationTokenSource source(transport, ccm::Clock::Real(), oci::InstanceMetadataClient(transport),
                                        "https://auth.us-phoenix-1.oraclecloud.com", kTenancy);
  auto token = source.FetchToken(SessionKey());
  if (!token) {
    const std::string& m = token.error().message;
    Check(!m.empty(), "a federation error says what is wrong");
    CheckNoPemLines(id.key_pem, m, body);
    return 0;
  }
  Check(transport.federation_status == 200, "a token comes only from a 200 answer");
  auto doc = ccm::json::Parse(transport.federation_body, "answer");
  Check(doc.has_value() && doc->IsObject(), "a token comes only from a JSON object answer");
  const auto* t = ccm::json::Find(*doc, "token");
  Check(t != nullptr && t->IsString() && std::string_view(t->GetString(), t->GetStringLength()) == *token &&
            !token->empty(),
        "the token returned is the answer's token");
  CheckJwt(*token);
  return 0;
}
