// Instance-principal federation: exchanges the instance's identity certificate (from IMDS)
// and a session public key for a security token at the auth service's POST /v1/x509, the
// request signed by the certificate's key under keyId
// "<tenancy>/fed-x509-sha256/<SHA-256 certificate fingerprint>", as Oracle's Go SDK does.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/base/http_transport.h"
#include "pkg/oci/auth/instance_metadata.h"
#include "pkg/oci/auth/session_token_signer.h"
#include "pkg/oci/transport/region.h"

namespace ccm::oci {

// {"certificate":..,"publicKey":..,"intermediateCertificates":[..],"fingerprintAlgorithm":"SHA256"}
std::string FederationRequestBody(std::string_view leaf_cert_body, std::string_view public_key_body,
                                  const std::vector<std::string>& intermediate_bodies);

// "https://auth.<region>.<realm domain>" (oraclecloud.com in the commercial realm)
std::string DefaultFederationEndpoint(std::string_view region);

class X509FederationTokenSource final : public SessionTokenSource {
 public:
  // `tenancy` is the OCID read from the certificate at startup: a certificate naming another
  // tenancy later is refused rather than silently switching tenancies.
  X509FederationTokenSource(HttpTransport& transport, const Clock& clock, InstanceMetadataClient metadata,
                            std::string federation_endpoint, std::string tenancy,
                            std::chrono::milliseconds timeout = std::chrono::seconds(30));

  Result<std::string> FetchToken(const RsaPrivateKey& session_key) override;

 private:
  HttpTransport& transport_;
  const Clock& clock_;
  InstanceMetadataClient metadata_;
  const std::string endpoint_;
  const std::string tenancy_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace ccm::oci
