#include "pkg/oci/auth/x509_federation_client.h"

#include "pkg/base/base64.h"
#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"
#include "pkg/oci/auth/signing.h"
#include "pkg/oci/auth/x509_certificate.h"

namespace ccm::oci {
namespace {

ErrorKind KindForStatus(int status) {
  if (status == 401) return ErrorKind::kUnauthenticated;
  if (status == 403) return ErrorKind::kForbidden;
  if (status == 404) return ErrorKind::kNotFound;
  if (status == 429) return ErrorKind::kTooManyRequests;
  if (status >= 500) return ErrorKind::kUnavailable;
  return ErrorKind::kInvalidArgument;
}

}  // namespace

std::string FederationRequestBody(std::string_view leaf_cert_body, std::string_view public_key_body,
                                  const std::vector<std::string>& intermediate_bodies) {
  std::string body = "{\"certificate\":";
  json::AppendQuoted(body, leaf_cert_body);
  body += ",\"publicKey\":";
  json::AppendQuoted(body, public_key_body);
  body += ",\"intermediateCertificates\":[";
  for (size_t i = 0; i < intermediate_bodies.size(); ++i) {
    if (i > 0) body += ",";
    json::AppendQuoted(body, intermediate_bodies[i]);
  }
  body += "],\"fingerprintAlgorithm\":\"SHA256\"}";
  return body;
}

std::string DefaultFederationEndpoint(std::string_view region) {
  const RegionInfo where = LookupRegion(region);
  return "https://auth." + where.region + "." + where.domain;
}

X509FederationTokenSource::X509FederationTokenSource(HttpTransport& transport, const Clock& clock,
                                                     InstanceMetadataClient metadata, std::string federation_endpoint,
                                                     std::string tenancy, std::chrono::milliseconds timeout)
    : transport_(transport),
      clock_(clock),
      metadata_(std::move(metadata)),
      endpoint_(std::move(federation_endpoint)),
      tenancy_(std::move(tenancy)),
      timeout_(timeout) {}

Result<std::string> X509FederationTokenSource::FetchToken(const RsaPrivateKey& session_key) {
  // Fetched on every renewal: the instance certificate rotates.
  ASSIGN_OR_RETURN(auto identity, metadata_.FetchIdentity());
  ASSIGN_OR_RETURN(auto tenancy, TenancyFromCertificate(identity.leaf_cert_pem));
  if (tenancy != tenancy_) {
    return Fail(ErrorKind::kUnauthenticated, "the instance certificate now names tenancy " + tenancy +
                                                 " instead of " + tenancy_ + "; restart the controller");
  }
  ASSIGN_OR_RETURN(auto fingerprint, CertificateSha256Fingerprint(identity.leaf_cert_pem));
  ASSIGN_OR_RETURN(auto leaf_bodies, CertificateBodies(identity.leaf_cert_pem));
  if (leaf_bodies.empty()) return Fail(ErrorKind::kMalformedResponse, "instance metadata cert.pem holds no certificate");
  ASSIGN_OR_RETURN(auto intermediates, CertificateBodies(identity.intermediate_pem));
  ASSIGN_OR_RETURN(auto leaf_key, RsaPrivateKey::FromPem(identity.leaf_key_pem, "", "instance metadata key.pem"));

  HttpRequest request;
  request.method = "POST";
  request.url = endpoint_ + "/v1/x509";
  request.timeout = timeout_;
  request.body = FederationRequestBody(leaf_bodies.front(), Base64Encode(session_key.PublicKeyDer()), intermediates);
  request.headers = {{"content-type", "application/json"}};
  RETURN_IF_ERROR(SignRequest(request, FormatHttpDate(clock_.WallNow()), leaf_key,
                              tenancy_ + "/fed-x509-sha256/" + fingerprint, FederationSignedHeaders()));

  const std::string where = "instance principal federation at " + request.url;
  auto response = transport_.Send(request);
  if (!response) return Fail(response.error().Wrap(where));
  if (response->status != 200) {
    Error e = MakeError(KindForStatus(response->status), where + " answered HTTP " + std::to_string(response->status));
    e.http_status = response->status;
    e.request_id = response->Header("opc-request-id");
    if (auto doc = json::Parse(response->body, "federation error"); doc && doc->IsObject()) {
      e.code = json::String(*doc, "code", "").value_or("");
      std::string message = json::String(*doc, "message", "").value_or("");
      if (!message.empty()) e.message += ": " + message;
    }
    if (response->status == 401 || response->status == 404) {
      e.message += " (check that a dynamic group matches this instance and that the system clock is correct)";
    }
    return Fail(std::move(e));
  }
  auto doc = json::Parse(response->body, "federation response");
  if (!doc) return Fail(doc.error().Wrap(where));
  auto token = json::String(*doc, "token", "", true);
  if (!token) return Fail(token.error().Wrap(where));
  if (token->empty()) return Fail(ErrorKind::kMalformedResponse, where + " returned an empty token");
  return std::move(*token);
}

}  // namespace ccm::oci
