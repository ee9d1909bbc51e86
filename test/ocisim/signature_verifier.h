// Verifies OCI request signatures (draft-cavage HTTP Signatures, rsa-sha256) the way OCI's
// front end does: required signed headers per method, body digest, date skew, known key.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/mutex.h"
#include "test/ocisim/api_types.h"
#include "test/ocisim/crypto_util.h"

namespace ccm::ocisim {

struct VerifyOutcome {
  bool ok = false;
  std::string key_id;
  std::string failure;  // which check failed, for the 401 message
};

struct SignatureRules {
  bool require_host = true;  // the federation signer does not sign host
  std::chrono::seconds max_skew{300};
};

class SignatureVerifier {
 public:
  // keyId ("<tenancy>/<user>/<fingerprint>") -> public key PEM.
  Status AddKey(const std::string& key_id, const std::string& public_key_pem);
  void RemoveKey(const std::string& key_id);
  void ClearKeys();
  std::vector<std::string> KeyIds() const;
  // Session tokens from the federation endpoint: keyId "ST$<token>".
  void AddSessionToken(const std::string& token, PKeyPtr session_key,
                       std::chrono::system_clock::time_point expires);

  // Verifies with the registered keys and session tokens.
  VerifyOutcome Verify(const ApiRequest& request, std::chrono::system_clock::time_point now,
                       const SignatureRules& rules = {}) const;
  // Verifies with a given key (federation requests are signed by the caller's leaf key).
  static VerifyOutcome VerifyWith(const ApiRequest& request, EVP_PKEY* key,
                                  std::chrono::system_clock::time_point now,
                                  const SignatureRules& rules);

  // Parses `Signature k="v",...`; empty map when the header is not a signature.
  static std::map<std::string, std::string> ParseAuthorization(const std::string& header);

 private:
  struct Session {
    PKeyPtr key;
    std::chrono::system_clock::time_point expires;
  };
  mutable Mutex mu_;
  std::map<std::string, PKeyPtr> keys_ GUARDED_BY(mu_);
  std::map<std::string, Session> sessions_ GUARDED_BY(mu_);
};

// RFC 1123 date ("Tue, 07 Jun 2014 20:51:35 GMT"); false when it does not parse.
bool ParseHttpDate(const std::string& text, std::chrono::system_clock::time_point& out);
std::string FormatHttpDate(std::chrono::system_clock::time_point t);
// RFC 3339 with milliseconds, UTC ("2016-08-25T21:10:29.600Z").
std::string FormatRfc3339(std::chrono::system_clock::time_point t);

}  // namespace ccm::ocisim
