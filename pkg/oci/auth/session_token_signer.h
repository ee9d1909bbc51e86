// RequestSigner for OCI security tokens: requests are signed by an in-memory session key
// under keyId "ST$<token>", where the token was issued for that key's public half. Where the
// token comes from is a SessionTokenSource: X.509 federation for instance principals
// (instance_principal_signer.h); OKE workload identity can be another source.
//
// The token is renewed before it expires (when less than max(10% of its lifetime, 5 min)
// remains), each time with a fresh session key. Thread-safe: one caller renews while the
// others keep signing with the current token; a failed renewal keeps the current token while
// it is valid (retrying after retry_interval) and returns the error once it has expired.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/oci/auth/request_signer.h"
#include "pkg/oci/auth/rsa_key.h"

namespace ccm::oci {

class SessionTokenSource {
 public:
  virtual ~SessionTokenSource() = default;
  // Returns a security token (JWT) bound to `session_key`'s public half.
  virtual Result<std::string> FetchToken(const RsaPrivateKey& session_key) = 0;
};

struct SessionTokenSignerOptions {
  int session_key_bits = 2048;
  std::chrono::seconds min_refresh_margin{300};
  std::chrono::seconds retry_interval{10};
};

class SessionTokenSigner final : public RequestSigner {
 public:
  SessionTokenSigner(std::unique_ptr<SessionTokenSource> source, const Clock& clock,
                     SessionTokenSignerOptions options = {});

  Status Sign(HttpRequest& request) override;
  // Fetches a new token and session key now (startup check, or after a 401).
  Status Refresh();

  // When the current token will be renewed; epoch when there is none.
  Clock::WallTime refresh_at() const;

 private:
  struct Session {
    std::string key_id;
    RsaPrivateKey key;
    Clock::WallTime expires_at;
    Clock::WallTime refresh_at;
  };
  Result<std::shared_ptr<const Session>> Current();
  Result<std::shared_ptr<const Session>> FetchSession();

  const std::unique_ptr<SessionTokenSource> source_;
  const Clock& clock_;
  const SessionTokenSignerOptions options_;

  Mutex refresh_mu_;  // one fetch at a time; held without mu_
  mutable Mutex mu_;
  std::shared_ptr<const Session> session_ GUARDED_BY(mu_);
  Clock::WallTime next_attempt_ GUARDED_BY(mu_){};
  std::optional<Error> last_error_ GUARDED_BY(mu_);
};

}  // namespace ccm::oci
