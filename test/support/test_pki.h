// In-memory test PKI: a CA and leaf certificates for the control plane, the OCI simulator
// and TLS tests. Keys are RSA 2048; everything is PEM.
#pragma once

#include <string>
#include <vector>

#include "pkg/base/error.h"

namespace ccm::testing {

struct KeyPair {
  std::string cert_pem;
  std::string key_pem;  // PKCS#8
};

struct CertSpec {
  std::string common_name;
  std::vector<std::string> organizations;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  bool server = true;
  bool client = false;
  int valid_days = 365;
};

Result<KeyPair> GenerateCa(const std::string& common_name);
Result<KeyPair> IssueCertificate(const KeyPair& ca, const CertSpec& spec);
// A bare RSA key pair: private key PEM (PKCS#8) and public key PEM (SubjectPublicKeyInfo).
Result<KeyPair> GenerateRsaKey(int bits = 2048);

}  // namespace ccm::testing
