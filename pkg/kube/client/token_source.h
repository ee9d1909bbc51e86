// Bearer tokens for the API server. Bound service-account tokens rotate (about hourly), so
// a file-backed source re-reads its file when the file changes and at least once a minute
// (client-go's cached file token source does the same). Tokens never appear in errors or logs.
#pragma once

#include <memory>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/base/mutex.h"

namespace ccm::kube {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // The current token; "" means send no Authorization header.
  virtual Result<std::string> Token() = 0;
};

class StaticTokenSource final : public TokenSource {
 public:
  explicit StaticTokenSource(std::string token) : token_(std::move(token)) {}
  Result<std::string> Token() override { return token_; }

 private:
  std::string token_;
};

class FileTokenSource final : public TokenSource {
 public:
  // Re-reads `path` when its modification time or size changed, and at least every
  // `max_age`. A failed re-read keeps serving the last good token (and retries next call).
  FileTokenSource(std::string path, const Clock& clock,
                  Clock::Duration max_age = std::chrono::minutes(1));
  Result<std::string> Token() override;
  const std::string& path() const { return path_; }

 private:
  Result<std::string> ReadLocked() REQUIRES(mu_);

  const std::string path_;
  const Clock& clock_;
  const Clock::Duration max_age_;
  Mutex mu_;
  std::string token_ GUARDED_BY(mu_);
  bool loaded_ GUARDED_BY(mu_) = false;
  Clock::TimePoint read_at_ GUARDED_BY(mu_){};
  int64_t mtime_ns_ GUARDED_BY(mu_) = 0;
  int64_t size_ GUARDED_BY(mu_) = -1;
};

}  // namespace ccm::kube
