#include "pkg/kube/controller/status_writer.h"

#include <glog/logging.h>

#include <algorithm>

#include "pkg/base/mutex.h"

namespace ccm::kube {

StatusWriter::StatusWriter(RestClient& client, const Clock& clock, StatusWriterOptions options)
    : client_(client), clock_(clock), options_(std::move(options)) {
  if (options_.start_thread) thread_ = std::thread([this] { Loop(); });
}

StatusWriter::~StatusWriter() { Stop(); }

void StatusWriter::Patch(const std::string& path, std::string body) {
  {
    MutexLock lock(mu_);
    Pending& p = pending_[path];
    p.body = std::move(body);
    p.version = ++next_version_;
    p.due = clock_.Now();
    p.retry_delay = Clock::Duration::zero();
  }
  cv_.notify_one();
}

void StatusWriter::Forget(const std::string& path) {
  MutexLock lock(mu_);
  pending_.erase(path);
}

size_t StatusWriter::queued() const {
  MutexLock lock(mu_);
  return pending_.size();
}

std::string StatusWriter::NextDueLocked(Clock::TimePoint now, Clock::TimePoint* next_due) const {
  const std::string* best = nullptr;
  const Pending* best_pending = nullptr;
  for (const auto& [path, p] : pending_) {
    // Oldest first (by when it became due, then by when it was decided), so no object starves.
    if (best_pending == nullptr || p.due < best_pending->due ||
        (p.due == best_pending->due && p.version < best_pending->version)) {
      best = &path;
      best_pending = &p;
    }
  }
  if (best == nullptr) return "";
  if (best_pending->due > now) {
    if (next_due != nullptr) *next_due = best_pending->due;
    return "";
  }
  return *best;
}

bool StatusWriter::WriteNext() {
  std::string path;
  std::string body;
  uint64_t version = 0;
  {
    MutexLock lock(mu_);
    path = NextDueLocked(clock_.Now(), nullptr);
    if (path.empty()) return false;
    const Pending& p = pending_.at(path);
    body = p.body;
    version = p.version;
  }
  auto r = client_.Patch(path, PatchType::kMerge, body, /*status_subresource=*/true);
  MutexLock lock(mu_);
  auto it = pending_.find(path);
  if (it == pending_.end() || it->second.version != version) return true;  // forgotten or replaced meanwhile
  if (r || r.error().kind == ErrorKind::kNotFound) {
    pending_.erase(it);
    return true;
  }
  Pending& p = it->second;
  p.retry_delay = p.retry_delay == Clock::Duration::zero() ? options_.retry_initial
                                                           : std::min(p.retry_delay * 2, options_.retry_max);
  p.due = clock_.Now() + p.retry_delay;
  LOG(WARNING) << options_.name << ": status of " << path << " not written (again in "
               << std::chrono::duration_cast<std::chrono::milliseconds>(p.retry_delay).count()
               << " ms): " << r.error().ToString();
  return true;
}

void StatusWriter::Loop() {
  MutexLock lock(mu_);
  while (!stopping_) {
    Clock::TimePoint next_due = Clock::TimePoint::max();
    if (NextDueLocked(clock_.Now(), &next_due).empty()) {
      if (next_due == Clock::TimePoint::max()) {
        cv_.wait(lock.native());
      } else {
        clock_.WaitUntil(cv_, lock.native(), next_due);
      }
      continue;
    }
    lock.Unlock();
    WriteNext();
    lock.Lock();
  }
}

void StatusWriter::Stop() {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  const Clock::TimePoint deadline = clock_.Now() + options_.stop_drain;
  while (clock_.Now() < deadline && WriteNext()) {
  }
}

}  // namespace ccm::kube
