// Kubernetes Events (core/v1) about the objects the controllers act on, as client-go's
// tools/record writes them:
// - an event goes to the involved object's namespace; cluster-scoped objects (Node,
//   LBRegistrar) use "default";
// - a repeat of the same (object, type, reason, message) within the aggregation window
//   (10 min) PATCHes the existing Event's count and lastTimestamp instead of creating one;
// - a per-object token bucket (burst 25, one more every 5 min) drops event spam;
// - Record() never waits for the API: events go through a bounded queue drained by one
//   background thread; when the queue is full the event is dropped and counted.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <thread>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"
#include "pkg/kube/events/lru_map.h"
#include "pkg/kube/rest_client.h"

namespace ccm::kube {

struct ObjectReference {
  std::string kind;        // "Node", "Service", "LBRegistrar"
  std::string namespace_;  // "" for cluster-scoped objects
  std::string name;
  std::string uid;
  std::string api_version;  // "v1", "nodes.peppy-ratio.dev/v1alpha1"
  std::string resource_version;
};

enum class EventType { kNormal, kWarning };

// What controllers depend on; tests substitute their own.
class EventRecorder {
 public:
  virtual ~EventRecorder() = default;
  // `reason` is UpperCamelCase ("BackendsUpdated"); `message` is for humans.
  virtual void Record(const ObjectReference& object, EventType type, std::string_view reason,
                      std::string_view message) = 0;
};

struct EventRecorderOptions {
  std::string component = "oci-lb-registrar-ccm";  // source.component, reportingComponent
  std::string instance;                            // reportingInstance (e.g. the pod name)
  std::string host;                                // source.host (optional)
  Clock::Duration aggregation_window = std::chrono::minutes(10);
  int spam_burst = 25;
  double spam_qps = 1.0 / 300;
  size_t queue_capacity = 1000;
  size_t cache_entries = 4096;  // per-event and per-object state kept (LRU)
  int max_attempts = 3;         // for retryable API errors
  Clock::Duration retry_delay = std::chrono::seconds(2);
  // At shutdown, queued events are written for at most this long: an unreachable API server
  // must not hold the process past its termination grace period.
  Clock::Duration shutdown_drain = std::chrono::seconds(2);
};

struct EventRecorderStats {
  uint64_t created = 0;
  uint64_t patched = 0;
  uint64_t dropped_queue_full = 0;
  uint64_t dropped_spam = 0;
  uint64_t failed = 0;  // the API refused or stayed unavailable
  uint64_t dropped_shutdown = 0;  // still queued when the shutdown drain time ran out
};

class AsyncEventRecorder final : public EventRecorder {
 public:
  // `client` and `clock` must outlive the recorder.
  AsyncEventRecorder(RestClient& client, EventRecorderOptions options, const Clock& clock);
  // Shutdown().
  ~AsyncEventRecorder() override;

  void Record(const ObjectReference& object, EventType type, std::string_view reason,
              std::string_view message) override;

  // Writes what is queued (no retry waits, for at most options.shutdown_drain) and stops the
  // background thread. Later Record() calls are dropped.
  void Shutdown();
  // Waits (real time, at most `timeout`) until the queue is empty and no write is in flight.
  bool Flush(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  EventRecorderStats stats() const;

 private:
  struct Pending {
    ObjectReference object;
    EventType type;
    std::string reason;
    std::string message;
    Clock::TimePoint at;
    Clock::WallTime wall;
  };
  struct Written {
    std::string path;  // of the Event object
    int64_t count = 0;
    std::string first_timestamp;
    Clock::TimePoint last_seen;
  };
  struct Bucket {
    double tokens;
    Clock::TimePoint last;
  };

  void Loop();
  void Process(const Pending& event);
  bool AllowedBySpamFilter(uint64_t key, Clock::TimePoint at);
  // Runs `call` with retries for retryable errors; false if it finally failed.
  template <typename Call>
  auto WithRetries(Call call) -> decltype(call());
  std::string CreateBody(const Pending& e, const std::string& name, const std::string& ns) const;

  RestClient& client_;
  const EventRecorderOptions options_;
  const Clock& clock_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  Clock::TimePoint drain_deadline_ GUARDED_BY(mu_){};
  bool busy_ GUARDED_BY(mu_) = false;
  EventRecorderStats stats_ GUARDED_BY(mu_);

  // Owned by the background thread (Process runs with mu_ released).
  LruMap<Written, uint64_t> written_;  // by hash of the event's identity
  LruMap<Bucket, uint64_t> spam_;      // by hash of the object's identity
  uint64_t name_seq_ = 0;
  std::thread worker_;
};

}  // namespace ccm::kube
