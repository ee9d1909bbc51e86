#include "test/ocisim/identity.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>

#include "pkg/base/base64.h"
#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "test/ocisim/sim_store.h"

namespace ccm::ocisim {
namespace {

std::string Base64Url(std::string_view data) {
  std::string s = Base64Encode(data);
  for (auto& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::string ToPem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free_all(bio);
  return out;
}

std::string KeyToPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free_all(bio);
  return out;
}

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext != nullptr) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

// A certificate for `key` with subject entries (type, value), signed by issuer_key.
X509Ptr MakeCert(EVP_PKEY* key, const std::vector<std::pair<std::string, std::string>>& subject,
                 X509* issuer, EVP_PKEY* issuer_key, bool ca) {
  static std::atomic<long> serial{5000};
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 365);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& [type, value] : subject) {
    X509_NAME_add_entry_by_txt(name, type.c_str(), MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
  }
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer != nullptr ? issuer : cert.get()));
  AddExt(cert.get(), issuer != nullptr ? issuer : cert.get(), NID_basic_constraints,
         ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  AddExt(cert.get(), issuer != nullptr ? issuer : cert.get(), NID_key_usage,
         ca ? "critical,keyCertSign,cRLSign,digitalSignature" : "critical,digitalSignature,keyEncipherment");
  X509_sign(cert.get(), issuer_key, EVP_sha256());
  return cert;
}

std::string DerBase64ToPem(const std::string& b64, const char* label) {
  std::string pem = std::string("-----BEGIN ") + label + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END " + label + "-----\n";
}

std::string CertDerBase64(X509* cert) {
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  std::string out = Base64Encode(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(len)));
  OPENSSL_free(der);
  return out;
}

ApiResponse Unauthenticated(const std::string& why) {
  return ApiResponse::Error(401, "NotAuthenticated", "federation request rejected: " + why);
}

}  // namespace

Identity::Identity(testing::KeyPair issuer) : issuer_(std::move(issuer)) {}

Status Identity::Generate(const IdentitySpec& spec) {
  ASSIGN_OR_RETURN(auto issuer_key, ParsePrivateKeyPem(issuer_.key_pem));
  ASSIGN_OR_RETURN(auto issuer_cert, ParseCertificatePem(issuer_.cert_pem));
  PKeyPtr inter_key(EVP_RSA_gen(2048), PKeyFree{});
  PKeyPtr leaf_key(EVP_RSA_gen(2048), PKeyFree{});
  if (!inter_key || !leaf_key) return Fail(ErrorKind::kInternal, "RSA key generation failed");
  X509Ptr inter = MakeCert(inter_key.get(), {{"CN", "PKISVC Identity Intermediate sim"}},
                           issuer_cert.get(), issuer_key.get(), true);
  X509Ptr leaf = MakeCert(leaf_key.get(),
                          {{"CN", spec.instance_id},
                           {"OU", "opc-instance:" + spec.instance_id},
                           {"OU", "opc-compartment:" + spec.compartment_id},
                           {"OU", "opc-tenant:" + spec.tenancy_id}},
                          inter.get(), inter_key.get(), false);
  MutexLock lock(mu_);
  spec_ = spec;
  cert_pem_ = ToPem(leaf.get());
  key_pem_ = KeyToPem(leaf_key.get());
  intermediate_pem_ = ToPem(inter.get());
  return {};
}

Status Identity::SetPems(const IdentitySpec& spec, const std::string& cert_pem,
                         const std::string& key_pem, const std::string& intermediate_pem) {
  if (auto c = ParseCertificatePem(cert_pem); !c) return Fail(c.error().Wrap("identity cert"));
  if (auto k = ParsePrivateKeyPem(key_pem); !k) return Fail(k.error().Wrap("identity key"));
  MutexLock lock(mu_);
  spec_ = spec;
  cert_pem_ = cert_pem;
  key_pem_ = key_pem;
  intermediate_pem_ = intermediate_pem;
  return {};
}

void Identity::SetTokenTtl(std::chrono::seconds ttl) {
  MutexLock lock(mu_);
  token_ttl_ = ttl;
}

Status Identity::EnsureLocked() {
  if (!cert_pem_.empty()) return {};
  IdentitySpec spec = spec_;
  mu_.Unlock();
  Status st = Generate(spec);
  mu_.Lock();
  return st;
}

std::string Identity::leaf_cert_pem() {
  MutexLock lock(mu_);
  (void)EnsureLocked();
  return cert_pem_;
}

std::string Identity::tenancy_id() {
  MutexLock lock(mu_);
  return spec_.tenancy_id;
}

int Identity::tokens_issued() {
  MutexLock lock(mu_);
  return tokens_issued_;
}

void Identity::SetSpec(const IdentitySpec& spec) {
  MutexLock lock(mu_);
  spec_ = spec;
}

ApiResponse Identity::HandleImds(const ApiRequest& request) {
  // segments: opc v1|v2 <group> [<field>]
  const auto& seg = request.segments;
  const bool v2 = seg.size() >= 2 && seg[1] == "v2";
  {
    MutexLock lock(mu_);
    // "Getting Instance Metadata" (OCI Compute docs): with the legacy endpoints disabled, v1
    // requests are rejected with 404; images without IMDS v2 have no /opc/v2 at all.
    if ((v2 && !spec_.v2_enabled) || (!v2 && !spec_.v1_enabled)) {
      return ApiResponse::Error(404, "NotFound", "no such metadata path: " + request.target);
    }
  }
  // Same page: every v2 request must carry the authorization header; v1 predates it.
  if (v2 && request.Header("authorization") != "Bearer Oracle") {
    return ApiResponse::Error(401, "NotAuthenticated",
                              "IMDS v2 requires the header 'Authorization: Bearer Oracle'");
  }
  MutexLock lock(mu_);
  if (auto st = EnsureLocked(); !st) return ApiResponse::Error(500, "InternalServerError", st.error().message);
  auto text = [](const std::string& body) {
    ApiResponse r = ApiResponse::Empty(200);
    r.body = body;
    r.SetHeader("content-type", "text/plain");
    return r;
  };
  if (seg.size() == 4 && seg[2] == "identity") {
    if (seg[3] == "cert.pem") return text(cert_pem_);
    if (seg[3] == "key.pem") return text(key_pem_);
    if (seg[3] == "intermediate.pem") return text(intermediate_pem_);
  }
  if (seg.size() >= 3 && seg[2] == "instance") {
    std::string inst = "{\"id\":";
    json::AppendQuoted(inst, spec_.instance_id);
    inst += ",\"compartmentId\":";
    json::AppendQuoted(inst, spec_.compartment_id);
    inst += ",\"tenantId\":";
    json::AppendQuoted(inst, spec_.tenancy_id);
    inst += ",\"displayName\":";
    json::AppendQuoted(inst, spec_.display_name);
    inst += ",\"availabilityDomain\":";
    json::AppendQuoted(inst, spec_.availability_domain);
    inst += ",\"faultDomain\":";
    json::AppendQuoted(inst, spec_.fault_domain);
    inst += ",\"region\":";
    json::AppendQuoted(inst, spec_.region);
    inst += ",\"canonicalRegionName\":";
    json::AppendQuoted(inst, spec_.canonical_region);
    inst += ",\"shape\":";
    json::AppendQuoted(inst, spec_.shape);
    inst += ",\"state\":\"Running\"}";
    if (seg.size() == 3) return ApiResponse::Json(200, inst);
    auto doc = json::Parse(inst, "instance");
    if (const json::Value* v = doc ? json::Find(*doc, seg[3]) : nullptr; v != nullptr && v->IsString()) {
      return text(v->GetString());
    }
  }
  return ApiResponse::Error(404, "NotFound", "no such metadata path: " + request.target);
}

ApiResponse Identity::HandleFederation(const ApiRequest& request,
                                       std::chrono::system_clock::time_point now,
                                       SignatureVerifier& verifier) {
  MutexLock lock(mu_);
  if (auto st = EnsureLocked(); !st) return ApiResponse::Error(500, "InternalServerError", st.error().message);
  auto leaf = ParseCertificatePem(cert_pem_);
  if (!leaf) return ApiResponse::Error(500, "InternalServerError", "identity certificate broken");
  auto params = SignatureVerifier::ParseAuthorization(request.Header("authorization"));
  if (params.empty()) return Unauthenticated("missing or malformed Authorization signature");
  const std::string key_id = params["keyId"];
  std::string sha256_id = spec_.tenancy_id + "/fed-x509-sha256/" + CertFingerprint(leaf->get(), true);
  std::string sha1_id = spec_.tenancy_id + "/fed-x509/" + CertFingerprint(leaf->get(), false);
  auto same = [](std::string a, std::string b) {
    for (auto& c : a) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (auto& c : b) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return a == b;
  };
  if (!same(key_id, sha256_id) && !same(key_id, sha1_id)) {
    return Unauthenticated("keyId '" + key_id + "' does not name this instance's tenancy and leaf "
                           "certificate fingerprint (<tenancy>/fed-x509-sha256/<fingerprint>)");
  }
  PKeyPtr leaf_key(X509_get_pubkey(leaf->get()), PKeyFree{});
  SignatureRules rules;
  rules.require_host = false;
  VerifyOutcome outcome = SignatureVerifier::VerifyWith(request, leaf_key.get(), now, rules);
  if (!outcome.ok) return Unauthenticated(outcome.failure);
  auto body = json::Parse(request.body, "federation request");
  if (!body || !body->IsObject()) return ApiResponse::Error(400, "InvalidParameter", "body must be a JSON object");
  std::string cert_b64 = simjson::GetString(*body, "certificate");
  std::string pub_b64 = simjson::GetString(*body, "publicKey");
  if (cert_b64.empty() || pub_b64.empty()) {
    return ApiResponse::Error(400, "MissingParameter", "certificate and publicKey are required");
  }
  if (cert_b64 != CertDerBase64(leaf->get())) {
    return Unauthenticated("certificate in the body is not the instance's leaf certificate");
  }
  auto session_key = ParsePublicKeyPem(DerBase64ToPem(pub_b64, "PUBLIC KEY"));
  if (!session_key) return ApiResponse::Error(400, "InvalidParameter", "publicKey does not parse");

  auto issuer_key = ParsePrivateKeyPem(issuer_.key_pem);
  if (!issuer_key) return ApiResponse::Error(500, "InternalServerError", "issuer key broken");
  auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto exp = iat + token_ttl_.count();
  std::string header = R"({"alg":"RS256","kid":"asw","typ":"JWT"})";
  std::string payload = "{\"sub\":";
  json::AppendQuoted(payload, spec_.instance_id);
  payload += ",\"opc-tenant\":";
  json::AppendQuoted(payload, spec_.tenancy_id);
  payload += ",\"opc-instance\":";
  json::AppendQuoted(payload, spec_.instance_id);
  payload += ",\"opc-compartment\":";
  json::AppendQuoted(payload, spec_.compartment_id);
  payload += ",\"ptype\":\"instance\",\"iss\":\"authService.oracle.com\",\"aud\":\"oci\",\"iat\":" +
             std::to_string(iat) + ",\"exp\":" + std::to_string(exp) + ",\"jti\":\"sim-" +
             std::to_string(++tokens_issued_) + "\"}";
  std::string signing_input = Base64Url(header) + "." + Base64Url(payload);
  auto sig = RsaSha256Sign(issuer_key->get(), signing_input);
  if (!sig) return ApiResponse::Error(500, "InternalServerError", "token signing failed");
  std::string token = signing_input + "." + Base64Url(*sig);
  verifier.AddSessionToken(token, *session_key, now + token_ttl_);
  std::string out = "{\"token\":";
  json::AppendQuoted(out, token);
  return ApiResponse::Json(200, out + "}");
}

}  // namespace ccm::ocisim
