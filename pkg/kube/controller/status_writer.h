// Writes objects' status subresources in the background, so a worker that decided a status
// goes on to its next key instead of waiting for the API server (and its QPS budget). The
// latest status per object wins: one decided while an older one still waits replaces it, and
// only the latest is sent. A failed write is retried on a doubling delay until it succeeds, is
// replaced, or the object is forgotten; a 404 drops it (the object is gone).
//
//   StatusWriter writer(client, clock, {.name = "service"});
//   writer.Patch("/apis/g/v1/things/x", R"({"status":{...}})");
#pragma once

#include <condition_variable>
#include <map>
#include <string>
#include <thread>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/kube/rest_client.h"

namespace ccm::kube {

struct StatusWriterOptions {
  std::string name;  // for logs
  Clock::Duration retry_initial = std::chrono::seconds(1);
  Clock::Duration retry_max = std::chrono::seconds(60);
  // At Stop(), queued writes are sent for at most this long.
  Clock::Duration stop_drain = std::chrono::seconds(2);
  bool start_thread = true;  // false: only WriteNext() sends (tests drive it)
};

class StatusWriter {
 public:
  // `client` and `clock` must outlive the writer.
  StatusWriter(RestClient& client, const Clock& clock, StatusWriterOptions options);
  ~StatusWriter();
  StatusWriter(const StatusWriter&) = delete;
  StatusWriter& operator=(const StatusWriter&) = delete;

  // Queues a merge patch of `path`'s status subresource, replacing one queued for `path`.
  void Patch(const std::string& path, std::string body);
  // Drops what is queued for `path`.
  void Forget(const std::string& path);
  // Sends the next write that is due; false when none is.
  bool WriteNext();
  // Writes what is queued (for at most options.stop_drain) and stops the thread.
  void Stop();
  size_t queued() const;

 private:
  struct Pending {
    std::string body;
    uint64_t version = 0;  // bumped by each Patch: a write in flight knows it was replaced
    Clock::TimePoint due;
    Clock::Duration retry_delay{};
  };
  void Loop();
  // The path of the earliest due write, or "" when none is due at `now` (`next_due` set then).
  std::string NextDueLocked(Clock::TimePoint now, Clock::TimePoint* next_due) const REQUIRES(mu_);

  RestClient& client_;
  const Clock& clock_;
  const StatusWriterOptions options_;
  mutable Mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Pending> pending_ GUARDED_BY(mu_);
  uint64_t next_version_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ccm::kube
