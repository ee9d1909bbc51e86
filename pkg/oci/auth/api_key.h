// OCI API key credentials: the user's RSA key plus the OCIDs and fingerprint that form the
// keyId "<tenancy>/<user>/<fingerprint>". Loading checks that the configured fingerprint is
// the key's own, because a mismatch otherwise surfaces only as a 401 from every OCI call.
#pragma once

#include <string>

#include "pkg/base/error.h"
#include "pkg/oci/auth/rsa_key.h"

namespace ccm::oci {

struct ApiKeyConfig {
  std::string tenancy;          // ocid1.tenancy...
  std::string user;             // ocid1.user...
  std::string fingerprint;      // "aa:bb:..." as shown in the OCI console
  std::string private_key_pem;  // the key itself, or
  std::string private_key_path; // a file to read it from (read only; never written)
  std::string passphrase;       // only for encrypted keys
};

struct ApiKeyCredentials {
  std::string key_id;  // "<tenancy>/<user>/<fingerprint>"
  RsaPrivateKey key;
};

// Validates `config`, loads the key and checks its fingerprint.
Result<ApiKeyCredentials> LoadApiKey(const ApiKeyConfig& config);

}  // namespace ccm::oci
