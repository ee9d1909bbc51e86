// Client for the instance metadata service (IMDS v2): the instance's identity certificate,
// its key, the region and compartment. Every v2 request carries "Authorization: Bearer
// Oracle", which v2 requires. FetchInstance falls back to the legacy v1 endpoint (no header)
// when v2 answers 404, as on images older than IMDS v2; Oracle's SDKs do the same.
#pragma once

#include <chrono>
#include <string>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"
#include "pkg/oci/transport/region.h"

namespace ccm::oci {

inline constexpr char kDefaultMetadataBaseUrl[] = "http://169.254.169.254/opc/v2";

// The fields of GET /opc/v2/instance/ this controller reads.
struct InstanceInfo {
  std::string id;
  std::string region;  // canonical ("us-phoenix-1"), from canonicalRegionName or region
  std::string compartment_id;
  std::string availability_domain;
  bool from_v1 = false;  // answered by the legacy v1 endpoint
};

struct InstanceIdentity {
  std::string leaf_cert_pem;
  std::string leaf_key_pem;  // secret: never log
  std::string intermediate_pem;
};

class InstanceMetadataClient {
 public:
  InstanceMetadataClient(HttpTransport& transport, std::string base_url = kDefaultMetadataBaseUrl,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

  Result<InstanceIdentity> FetchIdentity();
  // Canonical region name ("us-phoenix-1"); IMDS answers short codes for the oldest regions.
  Result<std::string> FetchRegion();
  // GET /instance/ (JSON), retried at /opc/v1/instance/ when v2 answers 404.
  Result<InstanceInfo> FetchInstance();

 private:
  Result<std::string> Get(const std::string& path);
  Result<std::string> GetFrom(const std::string& base, const std::string& path, bool v2);

  HttpTransport& transport_;
  const std::string base_url_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace ccm::oci
