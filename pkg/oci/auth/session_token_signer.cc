#include "pkg/oci/auth/session_token_signer.h"

#include <glog/logging.h>

#include <algorithm>

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "pkg/oci/auth/jwt.h"
#include "pkg/oci/auth/signing.h"

namespace ccm::oci {

SessionTokenSigner::SessionTokenSigner(std::unique_ptr<SessionTokenSource> source, const Clock& clock,
                                       SessionTokenSignerOptions options)
    : source_(std::move(source)), clock_(clock), options_(options) {}

Result<std::shared_ptr<const SessionTokenSigner::Session>> SessionTokenSigner::FetchSession() {
  ASSIGN_OR_RETURN(auto key, RsaPrivateKey::Generate(options_.session_key_bits));
  ASSIGN_OR_RETURN(auto token, source_->FetchToken(key));
  ASSIGN_OR_RETURN(auto times, ParseJwtTimes(token));
  const Clock::WallTime now = clock_.WallNow();
  if (times.expires_at <= now) {
    return Fail(ErrorKind::kUnauthenticated,
                "the auth service issued a security token that has already expired; check that the "
                "system clock is correct");
  }
  const Clock::WallTime issued = times.issued_at.value_or(now);
  const auto lifetime = times.expires_at - std::min(issued, now);
  auto margin = std::max<Clock::WallTime::duration>(lifetime / 10, options_.min_refresh_margin);
  margin = std::min<Clock::WallTime::duration>(margin, lifetime / 2);
  return std::make_shared<const Session>(Session{"ST$" + token, std::move(key), times.expires_at,
                                                 times.expires_at - margin});
}

Result<std::shared_ptr<const SessionTokenSigner::Session>> SessionTokenSigner::Current() {
  std::shared_ptr<const Session> current;
  {
    MutexLock lock(mu_);
    current = session_;
    if (current && clock_.WallNow() < current->refresh_at) return current;
  }
  if (current && clock_.WallNow() < current->expires_at) {
    // Due for renewal but still valid: one caller renews, the others keep signing.
    if (!refresh_mu_.TryLock()) return current;
    MutexLock refresh(refresh_mu_, std::adopt_lock);
    {
      MutexLock lock(mu_);
      if (session_ != current) return session_;
      if (clock_.WallNow() < next_attempt_) return current;
    }
    auto fresh = FetchSession();
    MutexLock lock(mu_);
    if (!fresh) {
      LOG(WARNING) << "renewing the OCI security token failed; signing with the current token until it expires: "
                   << fresh.error().ToString();
      next_attempt_ = clock_.WallNow() + options_.retry_interval;
      last_error_ = fresh.error();
      return current;
    }
    session_ = *fresh;
    last_error_.reset();
    return session_;
  }

  // No valid token: every caller needs the fetch, so they wait for one.
  MutexLock refresh(refresh_mu_);
  {
    MutexLock lock(mu_);
    if (session_ && clock_.WallNow() < session_->expires_at) return session_;
    if (last_error_ && clock_.WallNow() < next_attempt_) return Fail(*last_error_);
  }
  auto fresh = FetchSession();
  MutexLock lock(mu_);
  if (!fresh) {
    Error error = fresh.error().Wrap(session_ ? "the OCI security token expired and renewing it failed"
                                              : "obtaining an OCI security token failed");
    next_attempt_ = clock_.WallNow() + options_.retry_interval;
    last_error_ = error;
    return Fail(std::move(error));
  }
  session_ = *fresh;
  last_error_.reset();
  return session_;
}

Status SessionTokenSigner::Sign(HttpRequest& request) {
  ASSIGN_OR_RETURN(auto session, Current());
  return SignRequest(request, FormatHttpDate(clock_.WallNow()), session->key, session->key_id);
}

Status SessionTokenSigner::Refresh() {
  MutexLock refresh(refresh_mu_);
  auto fresh = FetchSession();
  MutexLock lock(mu_);
  if (!fresh) return Fail(fresh.error());
  session_ = *fresh;
  last_error_.reset();
  next_attempt_ = {};
  return {};
}

Clock::WallTime SessionTokenSigner::refresh_at() const {
  MutexLock lock(mu_);
  return session_ ? session_->refresh_at : Clock::WallTime{};
}

}  // namespace ccm::oci
