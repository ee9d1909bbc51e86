// Client for the instance metadata service (IMDS v2): the instance's identity certificate,
// its key and the region. Every request carries "Authorization: Bearer Oracle", which v2
// requires.
#pragma once

#include <chrono>
#include <string>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"

namespace ccm::oci {

inline constexpr char kDefaultMetadataBaseUrl[] = "http://169.254.169.254/opc/v2";

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

 private:
  Result<std::string> Get(const std::string& path);

  HttpTransport& transport_;
  const std::string base_url_;
  const std::chrono::milliseconds timeout_;
};

// Maps the short region codes IMDS returns for the oldest regions ("phx") to canonical
// names; other names pass through lower-cased and trimmed.
std::string CanonicalRegion(std::string_view region);

}  // namespace ccm::oci
