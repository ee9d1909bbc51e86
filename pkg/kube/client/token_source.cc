#include "pkg/kube/client/token_source.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "pkg/base/mutex.h"

namespace ccm::kube {
namespace {

std::string TrimSpace(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

FileTokenSource::FileTokenSource(std::string path, const Clock& clock, Clock::Duration max_age)
    : path_(std::move(path)), clock_(clock), max_age_(max_age) {}

Result<std::string> FileTokenSource::ReadLocked() {
  std::ifstream f(path_, std::ios::binary);
  if (!f) {
    return Fail(ErrorKind::kUnauthenticated,
                "cannot read token file " + path_ + ": check the path and the file's permissions");
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string token = TrimSpace(ss.str());
  if (token.empty()) {
    return Fail(ErrorKind::kUnauthenticated, "token file " + path_ + " is empty");
  }
  return token;
}

Result<std::string> FileTokenSource::Token() {
  MutexLock lock(mu_);
  struct stat st {};
  bool have_stat = ::stat(path_.c_str(), &st) == 0;
  int64_t mtime = have_stat ? static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec : 0;
  int64_t size = have_stat ? static_cast<int64_t>(st.st_size) : -1;
  auto now = clock_.Now();
  bool changed = have_stat && (mtime != mtime_ns_ || size != size_);
  if (loaded_ && !changed && now - read_at_ < max_age_) return token_;
  auto token = ReadLocked();
  if (!token) {
    if (loaded_) return token_;  // a rotation in progress; the old token is still valid briefly
    return Fail(token.error());
  }
  token_ = std::move(*token);
  loaded_ = true;
  read_at_ = now;
  mtime_ns_ = mtime;
  size_ = size;
  return token_;
}

}  // namespace ccm::kube
