// A RestClient for the registrar under test: passes everything through, but while paused it
// cuts and refuses LISTs and WATCHes, so the registrar's caches fall behind the cluster while
// the test changes it. Counts, per collection path, the LISTs served and the WATCHes that
// ended in 410 Gone, so a test can prove a relist really happened.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "pkg/base/json.h"
#include "pkg/kube/rest_client.h"

namespace ccm::itest {

class PausableRestClient final : public kube::RestClient {
 public:
  explicit PausableRestClient(kube::RestClient& inner) : inner_(inner) {}
  void Pause(bool paused) { paused_ = paused; }

  int lists(const std::string& path) const { return Get(lists_, path); }
  int gone(const std::string& path) const { return Get(gone_, path); }
  int refused(const std::string& path) const { return Get(refused_, path); }

  Result<std::string> Get(const std::string& p) override { return inner_.Get(p); }
  Result<std::string> List(const std::string& p, const kube::ListOptions& o,
                           const std::function<Status(const json::Document&)>& f) override {
    if (paused_) {
      Bump(refused_, p);
      return Fail(ErrorKind::kUnavailable, "paused by test");
    }
    auto r = inner_.List(p, o, f);
    if (r) Bump(lists_, p);
    return r;
  }
  Result<std::string> Create(const std::string& p, const std::string& b) override { return inner_.Create(p, b); }
  Result<std::string> Update(const std::string& p, const std::string& b) override { return inner_.Update(p, b); }
  Result<std::string> UpdateStatus(const std::string& p, const std::string& b) override {
    return inner_.UpdateStatus(p, b);
  }
  Result<std::string> Patch(const std::string& p, kube::PatchType t, const std::string& b, bool s) override {
    return inner_.Patch(p, t, b, s);
  }
  Status Delete(const std::string& p, const kube::Preconditions& pre) override { return inner_.Delete(p, pre); }
  Status Watch(const std::string& p, const kube::WatchOptions& o, const std::function<bool(const kube::WatchEvent&)>& f,
               const std::atomic<bool>* cancel) override {
    if (paused_) {
      Bump(refused_, p);
      return Fail(ErrorKind::kUnavailable, "paused by test");
    }
    std::atomic<bool> inner_cancel{false}, done{false};
    std::thread monitor([&] {
      while (!done) {
        if (paused_ || (cancel != nullptr && cancel->load())) inner_cancel = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
    // A 410 arrives either as the HTTP answer (the status) or as an ERROR event in the stream.
    bool gone_event = false;
    Status st = inner_.Watch(p, o, [&](const kube::WatchEvent& e) {
      if (e.type == "ERROR" && e.object.IsObject() && e.object.HasMember("code") && e.object["code"].IsInt() &&
          e.object["code"].GetInt() == 410) {
        gone_event = true;
      }
      return f(e);
    }, &inner_cancel);
    done = true;
    monitor.join();
    if (gone_event || (!st && st.error().kind == ErrorKind::kGone)) Bump(gone_, p);
    return st;
  }

 private:
  int Get(const std::map<std::string, int>& m, const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = m.find(path);
    return it == m.end() ? 0 : it->second;
  }
  void Bump(std::map<std::string, int>& m, const std::string& path) {
    std::lock_guard lock(mu_);
    ++m[path];
  }

  kube::RestClient& inner_;
  std::atomic<bool> paused_{false};
  mutable std::mutex mu_;
  std::map<std::string, int> lists_, gone_, refused_;
};

}  // namespace ccm::itest
