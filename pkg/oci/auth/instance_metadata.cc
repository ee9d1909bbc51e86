#include "pkg/oci/auth/instance_metadata.h"

#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"

namespace ccm::oci {

namespace {
std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The legacy endpoint beside a v2 base URL ("http://169.254.169.254/opc/v1"), or "" when the
// base is not a v2 URL.
std::string V1Base(const std::string& v2_base) {
  constexpr std::string_view kV2 = "/opc/v2";
  if (!v2_base.ends_with(kV2)) return "";
  return v2_base.substr(0, v2_base.size() - kV2.size()) + "/opc/v1";
}
}  // namespace

InstanceMetadataClient::InstanceMetadataClient(HttpTransport& transport, std::string base_url,
                                               std::chrono::milliseconds timeout)
    : transport_(transport), base_url_(WithoutTrailingSlash(std::move(base_url))), timeout_(timeout) {}

Result<std::string> InstanceMetadataClient::Get(const std::string& path) { return GetFrom(base_url_, path, true); }

Result<std::string> InstanceMetadataClient::GetFrom(const std::string& base, const std::string& path, bool v2) {
  HttpRequest request;
  request.method = "GET";
  request.url = base + path;
  // v2 rejects requests without it; v1 predates it.
  if (v2) request.headers = {{"authorization", "Bearer Oracle"}};
  request.timeout = timeout_;
  auto response = transport_.Send(request);
  const std::string where = "instance metadata " + request.url;
  if (!response) {
    return Fail(response.error().Wrap(where + " is unreachable (it answers only on OCI compute "
                                              "instances)"));
  }
  if (response->status != 200) {
    Error e = MakeError(response->status == 404 ? ErrorKind::kNotFound
                        : response->status >= 500 ? ErrorKind::kUnavailable
                                                  : ErrorKind::kUnauthenticated,
                        where + " answered HTTP " + std::to_string(response->status) +
                            " (it answers only on OCI compute instances)");
    e.http_status = response->status;
    return Fail(std::move(e));
  }
  return std::move(response->body);
}

Result<InstanceIdentity> InstanceMetadataClient::FetchIdentity() {
  InstanceIdentity identity;
  ASSIGN_OR_RETURN(auto cert, Get("/identity/cert.pem"));
  ASSIGN_OR_RETURN(auto key, Get("/identity/key.pem"));
  ASSIGN_OR_RETURN(auto intermediate, Get("/identity/intermediate.pem"));
  identity.leaf_cert_pem = std::move(cert);
  identity.leaf_key_pem = std::move(key);
  identity.intermediate_pem = std::move(intermediate);
  return identity;
}

Result<std::string> InstanceMetadataClient::FetchRegion() {
  ASSIGN_OR_RETURN(auto region, Get("/instance/region"));
  std::string canonical = CanonicalRegion(region);
  if (canonical.empty()) return Fail(ErrorKind::kMalformedResponse, "instance metadata returned an empty region");
  return canonical;
}

Result<InstanceInfo> InstanceMetadataClient::FetchInstance() {
  InstanceInfo info;
  auto body = Get("/instance/");
  if (!body && body.error().kind == ErrorKind::kNotFound && !V1Base(base_url_).empty()) {
    // Images from before IMDS v2 serve only v1 ("Getting Instance Metadata", OCI docs).
    auto v1 = GetFrom(V1Base(base_url_), "/instance/", false);
    if (!v1) return Fail(v1.error().Wrap("IMDS v2 answered 404 and v1 failed too"));
    body = std::move(v1);
    info.from_v1 = true;
  }
  if (!body) return Fail(body.error());
  ASSIGN_OR_RETURN(auto doc, json::Parse(*body, "instance metadata"));
  if (!doc.IsObject()) return Fail(ErrorKind::kMalformedResponse, "instance metadata: /instance/ is not a JSON object");
  // A field of the wrong type is an error naming it, not an absent value.
  auto id = json::String(doc, "id", "instance metadata /instance/");
  auto compartment = json::String(doc, "compartmentId", "instance metadata /instance/");
  auto ad = json::String(doc, "availabilityDomain", "instance metadata /instance/");
  // canonicalRegionName is always the full name; `region` is a short code for the oldest regions.
  auto canonical = json::String(doc, "canonicalRegionName", "instance metadata /instance/");
  auto region = json::String(doc, "region", "instance metadata /instance/");
  for (const auto* r : {&id, &compartment, &ad, &canonical, &region}) {
    if (!*r) return Fail(r->error());
  }
  info.id = *id;
  info.compartment_id = *compartment;
  info.availability_domain = *ad;
  info.region = CanonicalRegion(canonical->empty() ? *region : *canonical);
  return info;
}

}  // namespace ccm::oci
