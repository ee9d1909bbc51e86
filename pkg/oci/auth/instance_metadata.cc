#include "pkg/oci/auth/instance_metadata.h"

#include <cctype>

namespace ccm::oci {

std::string CanonicalRegion(std::string_view region) {
  std::string r;
  for (char c : region) {
    if (!std::isspace(static_cast<unsigned char>(c))) r.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (r == "phx") return "us-phoenix-1";
  if (r == "iad") return "us-ashburn-1";
  if (r == "fra") return "eu-frankfurt-1";
  if (r == "lhr") return "uk-london-1";
  return r;
}

namespace {
std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}
}  // namespace

InstanceMetadataClient::InstanceMetadataClient(HttpTransport& transport, std::string base_url,
                                               std::chrono::milliseconds timeout)
    : transport_(transport), base_url_(WithoutTrailingSlash(std::move(base_url))), timeout_(timeout) {}

Result<std::string> InstanceMetadataClient::Get(const std::string& path) {
  HttpRequest request;
  request.method = "GET";
  request.url = base_url_ + path;
  request.headers = {{"authorization", "Bearer Oracle"}};
  request.timeout = timeout_;
  auto response = transport_.Send(request);
  const std::string where = "instance metadata " + request.url;
  if (!response) {
    return Fail(response.error().Wrap(where + " is unreachable (instance principals work only on OCI compute "
                                              "instances)"));
  }
  if (response->status != 200) {
    Error e = MakeError(response->status == 404 ? ErrorKind::kNotFound
                        : response->status >= 500 ? ErrorKind::kUnavailable
                                                  : ErrorKind::kUnauthenticated,
                        where + " answered HTTP " + std::to_string(response->status) +
                            " (instance principals work only on OCI compute instances)");
    e.http_status = response->status;
    return Fail(std::move(e));
  }
  return std::move(response->body);
}

Result<InstanceIdentity> InstanceMetadataClient::FetchIdentity() {
  InstanceIdentity identity;
  auto cert = Get("/identity/cert.pem");
  if (!cert) return Fail(cert.error());
  auto key = Get("/identity/key.pem");
  if (!key) return Fail(key.error());
  auto intermediate = Get("/identity/intermediate.pem");
  if (!intermediate) return Fail(intermediate.error());
  identity.leaf_cert_pem = std::move(*cert);
  identity.leaf_key_pem = std::move(*key);
  identity.intermediate_pem = std::move(*intermediate);
  return identity;
}

Result<std::string> InstanceMetadataClient::FetchRegion() {
  auto region = Get("/instance/region");
  if (!region) return Fail(region.error());
  std::string canonical = CanonicalRegion(*region);
  if (canonical.empty()) return Fail(ErrorKind::kMalformedResponse, "instance metadata returned an empty region");
  return canonical;
}

}  // namespace ccm::oci
