// A scripted RestClient for reflector/informer tests: lists answer from a queue, watches run
// scripted steps in order, then block until canceled. (test/mocks/fake_rest_client.h is the
// in-memory API fake with resourceVersion semantics.)
#pragma once

#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "pkg/base/status_macros.h"
#include "pkg/kube/rest_client.h"

namespace ccm::kube::testing {

class ScriptedRestClient : public RestClient {
 public:
  using WatchStep = std::function<Status(const WatchOptions&, const std::function<bool(const WatchEvent&)>&)>;

  // Each list call pops the next page set (a vector of JSON pages) or error.
  void PushList(Result<std::vector<std::string>> pages) {
    std::lock_guard lock(mu_);
    lists_.push_back(std::move(pages));
  }
  void PushWatch(WatchStep step) {
    std::lock_guard lock(mu_);
    watches_.push_back(std::move(step));
  }
  std::vector<WatchOptions> watch_calls() {
    std::lock_guard lock(mu_);
    return watch_calls_;
  }
  int list_calls() {
    std::lock_guard lock(mu_);
    return list_calls_;
  }
  int pending_watches() {
    std::lock_guard lock(mu_);
    return static_cast<int>(watches_.size());
  }
  bool blocked_in_watch() const { return blocked_.load(); }

  Result<std::string> Get(const std::string&) override { return Fail(ErrorKind::kInternal, "unused"); }
  Result<std::string> Create(const std::string&, const std::string&) override {
    return Fail(ErrorKind::kInternal, "unused");
  }
  Result<std::string> Update(const std::string&, const std::string&) override {
    return Fail(ErrorKind::kInternal, "unused");
  }
  Result<std::string> UpdateStatus(const std::string&, const std::string&) override {
    return Fail(ErrorKind::kInternal, "unused");
  }
  Result<std::string> Patch(const std::string&, PatchType, const std::string&, bool) override {
    return Fail(ErrorKind::kInternal, "unused");
  }
  Status Delete(const std::string&, const Preconditions&) override { return Fail(ErrorKind::kInternal, "unused"); }

  Result<std::string> List(const std::string&, const ListOptions&,
                           const std::function<Status(const json::Document&)>& on_page) override {
    Result<std::vector<std::string>> pages = Fail(ErrorKind::kUnavailable, "no scripted list");
    {
      std::lock_guard lock(mu_);
      ++list_calls_;
      if (!lists_.empty()) {
        pages = std::move(lists_.front());
        lists_.pop_front();
      }
    }
    if (!pages) return Fail(pages.error());
    std::string rv;
    for (const auto& p : *pages) {
      ASSIGN_OR_RETURN(auto doc, json::Parse(p, "page"));
      rv = doc["metadata"]["resourceVersion"].GetString();
      RETURN_IF_ERROR(on_page(doc));
    }
    return rv;
  }

  Status Watch(const std::string&, const WatchOptions& options,
               const std::function<bool(const WatchEvent&)>& on_event,
               const std::atomic<bool>* cancel) override {
    WatchStep step;
    {
      std::lock_guard lock(mu_);
      watch_calls_.push_back(options);
      if (!watches_.empty()) {
        step = std::move(watches_.front());
        watches_.pop_front();
      }
    }
    if (step) return step(options, on_event);
    blocked_ = true;
    while (cancel == nullptr || !cancel->load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    blocked_ = false;
    return {};
  }

 private:
  std::mutex mu_;
  std::deque<Result<std::vector<std::string>>> lists_;
  std::deque<WatchStep> watches_;
  std::vector<WatchOptions> watch_calls_;
  int list_calls_ = 0;
  std::atomic<bool> blocked_{false};
};

// Delivers `lines` (JSON watch events {"type","object"}) and then returns `result`.
inline ScriptedRestClient::WatchStep Events(std::vector<std::string> events, Status result = {}) {
  return [events = std::move(events), result](const WatchOptions&,
                                              const std::function<bool(const WatchEvent&)>& on_event) -> Status {
    for (const auto& e : events) {
      ASSIGN_OR_RETURN(auto doc, json::Parse(e, "event"));
      std::string type = doc["type"].GetString();
      if (!on_event(WatchEvent{type, doc["object"]})) return {};
    }
    return result;
  };
}

}  // namespace ccm::kube::testing
