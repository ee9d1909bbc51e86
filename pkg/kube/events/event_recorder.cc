#include "pkg/kube/events/event_recorder.h"

#include <glog/logging.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string_view>

#include "pkg/base/json.h"
#include "pkg/base/mutex.h"
#include "pkg/kube/meta_time.h"

namespace ccm::kube {
namespace {

// The aggregation and spam caches hold a 64-bit hash of each key, not the key: keys carry
// whole messages, and at 4,096 entries a collision (two events sharing one count) has odds
// near 1e-12.
uint64_t KeyHash(std::string_view key) { return std::hash<std::string_view>{}(key); }

const char* TypeName(EventType type) { return type == EventType::kWarning ? "Warning" : "Normal"; }

std::string EventNamespace(const ObjectReference& o) {
  return o.namespace_.empty() ? std::string("default") : o.namespace_;
}

void Field(std::string& out, const char* name, std::string_view value, bool first = false) {
  if (!first) out += ",";
  out += "\"";
  out += name;
  out += "\":";
  json::AppendQuoted(out, value);
}

}  // namespace

AsyncEventRecorder::AsyncEventRecorder(RestClient& client, EventRecorderOptions options, const Clock& clock)
    : client_(client),
      options_(std::move(options)),
      clock_(clock),
      written_(options_.cache_entries),
      spam_(options_.cache_entries) {
  worker_ = std::thread([this] { Loop(); });
}

AsyncEventRecorder::~AsyncEventRecorder() { Shutdown(); }

void AsyncEventRecorder::Record(const ObjectReference& object, EventType type, std::string_view reason,
                                std::string_view message) {
  Pending event{object, type, std::string(reason), std::string(message), clock_.Now(), clock_.WallNow()};
  MutexLock lock(mu_);
  if (stopping_ || queue_.size() >= options_.queue_capacity) {
    ++stats_.dropped_queue_full;
    return;
  }
  queue_.push_back(std::move(event));
  cv_.notify_all();
}

void AsyncEventRecorder::Shutdown() {
  {
    MutexLock lock(mu_);
    if (!stopping_) drain_deadline_ = clock_.Now() + options_.shutdown_drain;
    stopping_ = true;
    cv_.notify_all();
  }
  if (!worker_.joinable()) return;
  worker_.join();
  MutexLock lock(mu_);
  if (stats_.dropped_shutdown > 0) {
    LOG(WARNING) << "events: " << stats_.dropped_shutdown << " queued event(s) not written: the API server did not "
                 << "take them within " << std::chrono::duration_cast<std::chrono::milliseconds>(options_.shutdown_drain).count()
                 << " ms of shutdown";
  }
}

bool AsyncEventRecorder::Flush(std::chrono::milliseconds timeout) {
  MutexLock lock(mu_);
  return cv_.wait_for(lock.native(), timeout, [this] {
    mu_.AssertHeld();
    return queue_.empty() && !busy_;
  });
}

EventRecorderStats AsyncEventRecorder::stats() const {
  MutexLock lock(mu_);
  return stats_;
}

void AsyncEventRecorder::Loop() {
  MutexLock lock(mu_);
  while (true) {
    cv_.wait(lock.native(), [this] {
      mu_.AssertHeld();
      return !queue_.empty() || stopping_;
    });
    if (stopping_ && !queue_.empty() && clock_.Now() >= drain_deadline_) {
      stats_.dropped_shutdown += queue_.size();
      queue_.clear();
    }
    if (queue_.empty()) return;  // stopping and drained
    Pending event = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.Unlock();
    Process(event);
    lock.Lock();
    busy_ = false;
    cv_.notify_all();  // Flush()
  }
}

bool AsyncEventRecorder::AllowedBySpamFilter(uint64_t key, Clock::TimePoint at) {
  Bucket* bucket = spam_.Find(key);
  if (bucket == nullptr) bucket = &spam_.Put(key, Bucket{static_cast<double>(options_.spam_burst), at});
  if (at > bucket->last) {
    double elapsed = std::chrono::duration<double>(at - bucket->last).count();
    bucket->tokens = std::min<double>(options_.spam_burst, bucket->tokens + elapsed * options_.spam_qps);
    bucket->last = at;
  }
  if (bucket->tokens < 1) return false;
  bucket->tokens -= 1;
  return true;
}

template <typename Call>
auto AsyncEventRecorder::WithRetries(Call call) -> decltype(call()) {
  for (int attempt = 1;; ++attempt) {
    auto result = call();
    if (result || !result.error().retryable || attempt >= options_.max_attempts) return result;
    MutexLock lock(mu_);
    if (stopping_) return result;
    Clock::TimePoint until = clock_.Now() + std::max<Clock::Duration>(options_.retry_delay, result.error().retry_after);
    while (!stopping_ && !clock_.WaitUntil(cv_, lock.native(), until)) {
    }
    if (stopping_) return result;
  }
}

std::string AsyncEventRecorder::CreateBody(const Pending& e, const std::string& name, const std::string& ns) const {
  std::string ts = FormatTime(e.wall);
  std::string out = R"({"apiVersion":"v1","kind":"Event","metadata":{)";
  Field(out, "name", name, true);
  Field(out, "namespace", ns);
  out += R"(},"involvedObject":{)";
  Field(out, "kind", e.object.kind, true);
  if (!e.object.namespace_.empty()) Field(out, "namespace", e.object.namespace_);
  Field(out, "name", e.object.name);
  if (!e.object.uid.empty()) Field(out, "uid", e.object.uid);
  if (!e.object.api_version.empty()) Field(out, "apiVersion", e.object.api_version);
  if (!e.object.resource_version.empty()) Field(out, "resourceVersion", e.object.resource_version);
  out += "}";
  Field(out, "reason", e.reason);
  Field(out, "message", e.message);
  Field(out, "type", TypeName(e.type));
  out += R"(,"source":{)";
  Field(out, "component", options_.component, true);
  if (!options_.host.empty()) Field(out, "host", options_.host);
  out += "}";
  Field(out, "firstTimestamp", ts);
  Field(out, "lastTimestamp", ts);
  out += R"(,"count":1)";
  Field(out, "reportingComponent", options_.component);
  Field(out, "reportingInstance", options_.instance);
  out += "}";
  return out;
}

void AsyncEventRecorder::Process(const Pending& e) {
  const ObjectReference& o = e.object;
  std::string spam_key = options_.component + '\x1f' + options_.host + '\x1f' + o.kind + '\x1f' + o.namespace_ +
                         '\x1f' + o.name + '\x1f' + o.uid + '\x1f' + o.api_version;
  if (!AllowedBySpamFilter(KeyHash(spam_key), e.at)) {
    MutexLock lock(mu_);
    ++stats_.dropped_spam;
    return;
  }
  const uint64_t event_key = KeyHash(spam_key + '\x1f' + TypeName(e.type) + '\x1f' + e.reason + '\x1f' + e.message);
  std::string ts = FormatTime(e.wall);

  if (Written* seen = written_.Find(event_key);
      seen != nullptr && e.at - seen->last_seen <= options_.aggregation_window) {
    int64_t count = seen->count + 1;
    std::string patch = "{\"count\":" + std::to_string(count);
    Field(patch, "lastTimestamp", ts);
    Field(patch, "message", e.message);
    patch += "}";
    std::string path = seen->path;
    auto patched = WithRetries([&] { return client_.Patch(path, PatchType::kStrategicMerge, patch); });
    if (patched) {
      seen->count = count;
      seen->last_seen = e.at;
      MutexLock lock(mu_);
      ++stats_.patched;
      return;
    }
    if (patched.error().kind != ErrorKind::kNotFound) {
      LOG(WARNING) << "event " << e.reason << " for " << o.kind << " " << o.name << " not updated: "
                   << patched.error().ToString();
      MutexLock lock(mu_);
      ++stats_.failed;
      return;
    }
    written_.Erase(event_key);  // deleted (e.g. by TTL): start a new one
  }

  std::string ns = EventNamespace(o);
  // client-go's naming: <object>.<hex nanoseconds>; the sequence keeps names unique when the
  // clock does not move between events (simulated time).
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(e.wall.time_since_epoch()).count();
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, ".%llx", static_cast<unsigned long long>(nanos) + name_seq_++);
  std::string name = o.name.substr(0, 253 - 20) + suffix;
  std::string collection = "/api/v1/namespaces/" + ns + "/events";
  auto created = WithRetries([&] { return client_.Create(collection, CreateBody(e, name, ns)); });
  if (!created) {
    LOG(WARNING) << "event " << e.reason << " for " << o.kind << " " << o.name << " not recorded: "
                 << created.error().ToString();
    MutexLock lock(mu_);
    ++stats_.failed;
    return;
  }
  written_.Put(event_key, Written{collection + "/" + name, 1, ts, e.at});
  MutexLock lock(mu_);
  ++stats_.created;
}

}  // namespace ccm::kube
