// An EventRecorder that keeps every Event in memory, for unit tests.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/kube/events/event_recorder.h"

namespace ccm::testing {

struct RecordedEvent {
  std::string name;
  kube::EventType type;
  std::string reason;
  std::string message;
};

class CollectingRecorder final : public kube::EventRecorder {
 public:
  void Record(const kube::ObjectReference& object, kube::EventType type, std::string_view reason,
              std::string_view message) override {
    std::lock_guard lock(mu_);
    events_.push_back({object.name, type, std::string(reason), std::string(message)});
  }
  std::vector<RecordedEvent> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  int Count(const std::string& reason) const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& e : events_) n += e.reason == reason;
    return n;
  }

 private:
  mutable std::mutex mu_;
  std::vector<RecordedEvent> events_;
};

}  // namespace ccm::testing
