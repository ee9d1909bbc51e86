// The list-then-watch loop behind every informer (client-go's Reflector): LIST (paginated),
// then WATCH from the list's resourceVersion with bookmarks and a randomized timeout of
// [min_watch_timeout, 2 x min_watch_timeout); when a watch ends, watch again from the last
// seen resourceVersion; on 410 Gone (HTTP or ERROR event) list again, letting the sink
// replace its contents (deleting what vanished). Failures wait a jittered exponential
// backoff (0.8 s doubling to 30 s) that resets once the reflector has been healthy for
// `healthy_reset`. All waits go through the injected Clock; Stop() cancels a watch promptly.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <random>
#include <string>
#include <thread>

#include "pkg/base/backoff.h"
#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/kube/rest_client.h"

namespace ccm::kube {

// Receives what the reflector reads. Called only from the reflector's thread.
class ReflectorSink {
 public:
  virtual ~ReflectorSink() = default;
  // A list starts; pages follow with their `items` arrays.
  virtual void BeginList() = 0;
  virtual void ListItems(const json::Value& items) = 0;
  // The list finished: `complete` false means it failed midway and must be discarded.
  virtual void EndList(bool complete) = 0;
  // ADDED, MODIFIED or DELETED.
  virtual void Apply(std::string_view type, const json::Value& object) = 0;
};

struct ReflectorOptions {
  std::string name;  // for logs, e.g. "nodes"
  std::string path;  // collection path, e.g. "/api/v1/nodes"
  std::string label_selector;
  std::string field_selector;
  int64_t page_size = 500;
  std::chrono::seconds min_watch_timeout{300};
  BackoffPolicy backoff{};
  Clock::Duration healthy_reset = std::chrono::minutes(2);
  uint64_t seed = std::random_device{}();
};

class Reflector {
 public:
  // `clock` times backoff and watch health; it must outlive the reflector.
  Reflector(RestClient& client, ReflectorOptions options, ReflectorSink& sink, const Clock& clock);
  ~Reflector();
  Reflector(const Reflector&) = delete;
  Reflector& operator=(const Reflector&) = delete;

  // Starts the loop on its own thread.
  void Start();
  // Cancels the running watch or backoff wait and joins the thread. Idempotent.
  void Stop();
  // Runs the loop on the calling thread until Stop() (tests, or callers with their own thread).
  void Run();

  bool HasSynced() const { return synced_.load(); }
  // Waits (through the clock) until synced or `timeout`; false on timeout or stop.
  bool WaitForSync(Clock::Duration timeout);

  std::string last_resource_version() const;
  int lists() const { return lists_.load(); }
  int watches() const { return watches_.load(); }
  int failures() const { return failures_.load(); }
  // The timeoutSeconds the next watch will use, drawn per watch.
  int NextWatchTimeoutSeconds();

 private:
  Status ListOnce();
  // Returns the watch's outcome and whether it delivered anything.
  Status WatchOnce(bool& progressed);
  // Waits `delay` unless stopped; returns false when stopped.
  bool Sleep(Clock::Duration delay);
  void OnFailure(const Error& error, bool immediate);

  RestClient& client_;
  ReflectorOptions options_;
  ReflectorSink& sink_;
  const Clock& clock_;
  Backoff backoff_;
  std::mt19937_64 rng_;
  Clock::TimePoint last_failure_{};
  bool failed_before_ = false;

  mutable Mutex mu_;
  std::condition_variable cv_;
  std::string resource_version_ GUARDED_BY(mu_);
  std::atomic<bool> stop_{false};
  std::atomic<bool> synced_{false};
  std::atomic<int> lists_{0}, watches_{0}, failures_{0};
  std::thread thread_;
};

}  // namespace ccm::kube
