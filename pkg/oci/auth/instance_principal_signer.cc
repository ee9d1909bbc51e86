#include "pkg/oci/auth/instance_principal_signer.h"

#include "pkg/oci/auth/x509_certificate.h"
#include "pkg/oci/auth/x509_federation_client.h"

namespace ccm::oci {

InstancePrincipalSigner::InstancePrincipalSigner(std::string region, std::string tenancy,
                                                 std::unique_ptr<SessionTokenSource> source, const Clock& clock,
                                                 SessionTokenSignerOptions options)
    : region_(std::move(region)), tenancy_(std::move(tenancy)), session_(std::move(source), clock, options) {}

Result<std::unique_ptr<InstancePrincipalSigner>> InstancePrincipalSigner::Create(HttpTransport& transport,
                                                                                 const Clock& clock,
                                                                                 InstancePrincipalOptions options) {
  InstanceMetadataClient metadata(transport, options.metadata_base_url, options.metadata_timeout);
  std::string region = CanonicalRegion(options.region);
  if (region.empty()) {
    auto fetched = metadata.FetchRegion();
    if (!fetched) return Fail(fetched.error().Wrap("instance principals: reading the region"));
    region = std::move(*fetched);
  }
  auto identity = metadata.FetchIdentity();
  if (!identity) return Fail(identity.error().Wrap("instance principals: reading the instance certificate"));
  auto tenancy = TenancyFromCertificate(identity->leaf_cert_pem);
  if (!tenancy) return Fail(tenancy.error().Wrap("instance principals"));

  std::string endpoint = options.federation_endpoint.empty() ? DefaultFederationEndpoint(region)
                                                             : options.federation_endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  auto source = std::make_unique<X509FederationTokenSource>(transport, clock, std::move(metadata), std::move(endpoint),
                                                            *tenancy, options.federation_timeout);
  return std::unique_ptr<InstancePrincipalSigner>(
      new InstancePrincipalSigner(std::move(region), std::move(*tenancy), std::move(source), clock, options.session));
}

}  // namespace ccm::oci
