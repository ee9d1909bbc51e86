// RequestSigner for instance principals: the instance's identity (from IMDS) is federated
// into a security token, and requests are signed by a session key under "ST$<token>".
//
// Usage:
//   auto signer = InstancePrincipalSigner::Create(transport, Clock::Real(), {});
//   if (!signer) ...;                       // not on an OCI instance, IMDS unreachable...
//   (*signer)->Refresh();                   // optional: fetch the first token now
//   client uses (*signer)->region() and signs with (*signer)->Sign(request)
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/http_transport.h"
#include "pkg/oci/auth/instance_metadata.h"
#include "pkg/oci/auth/request_signer.h"
#include "pkg/oci/auth/session_token_signer.h"

namespace ccm::oci {

struct InstancePrincipalOptions {
  std::string metadata_base_url = kDefaultMetadataBaseUrl;
  std::string region;               // default: the instance's region from IMDS
  std::string federation_endpoint;  // default: https://auth.<region>.oraclecloud.com
  std::chrono::milliseconds metadata_timeout{10000};
  std::chrono::milliseconds federation_timeout{30000};
  SessionTokenSignerOptions session;
};

class InstancePrincipalSigner final : public RequestSigner {
 public:
  // Reads the region and the instance certificate's tenancy from IMDS; tokens are fetched on
  // first use (or by Refresh()).
  static Result<std::unique_ptr<InstancePrincipalSigner>> Create(HttpTransport& transport, const Clock& clock,
                                                                 InstancePrincipalOptions options = {});

  Status Sign(HttpRequest& request) override { return session_.Sign(request); }
  Status Refresh() { return session_.Refresh(); }

  const std::string& region() const { return region_; }
  const std::string& tenancy() const { return tenancy_; }
  const SessionTokenSigner& session() const { return session_; }

 private:
  InstancePrincipalSigner(std::string region, std::string tenancy, std::unique_ptr<SessionTokenSource> source,
                          const Clock& clock, SessionTokenSignerOptions options);

  const std::string region_;
  const std::string tenancy_;
  SessionTokenSigner session_;
};

}  // namespace ccm::oci
