// A serving certificate generated in memory at start, for when no --tls-cert-file is given
// (kube-controller-manager does the same). The key never touches the disk.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pkg/base/error.h"

namespace ccm::health {

struct PemKeyPair {
  std::string cert_pem;
  std::string key_pem;  // PKCS#8; keep in memory, never log
};

struct SelfSignedOptions {
  std::string common_name;             // empty: this machine's hostname
  std::vector<std::string> dns_names;  // added to the hostname and "localhost"
  std::vector<std::string> ip_addresses;  // added to 127.0.0.1
  std::chrono::hours validity{24 * 365};
};

// ECDSA P-256 key; CN = common_name; SANs = hostname, localhost, 127.0.0.1 and the extras.
// The certificate is its own issuer, so clients trust exactly this certificate.
Result<PemKeyPair> GenerateSelfSignedCertificate(const SelfSignedOptions& options = {});

// gethostname(), or "localhost" when it fails.
std::string Hostname();

}  // namespace ccm::health
