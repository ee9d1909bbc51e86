// Informer<T>: a Reflector feeding a Store<T> of compact projections, with event handlers.
//
//   Informer<Node> nodes(client, {.name = "nodes", .path = "/api/v1/nodes"}, ProjectNode, clock);
//   nodes.store().AddIndex("providerID", [](const Node& n) { return std::vector{n.provider_id}; });
//   nodes.AddHandlers({.on_add = ..., .on_update = ..., .on_delete = ...});
//   nodes.Start(); nodes.WaitForSync(30s);
//
// Handlers run on the informer's thread, in event order, after the store has been updated.
// An update whose projection is unchanged (T::operator== ignores resourceVersion) is stored
// but NOT delivered to on_update. After a relist (410 Gone), objects that vanished get
// on_delete, changed ones on_update and new ones on_add. Objects that fail to decode are
// skipped with a warning.
#pragma once

#include <glog/logging.h>

#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "pkg/kube/informer/reflector.h"
#include "pkg/kube/informer/store.h"

namespace ccm::kube {

template <typename T>
struct EventHandlers {
  std::function<void(const T&)> on_add;
  std::function<void(const T& old_obj, const T& new_obj)> on_update;
  std::function<void(const T&)> on_delete;  // the last known state
};

template <typename T>
class Informer final : private ReflectorSink {
 public:
  using Projector = std::function<Result<T>(const json::Value&)>;

  Informer(RestClient& client, ReflectorOptions options, Projector project, const Clock& clock)
      : name_(options.name), project_(std::move(project)), reflector_(client, std::move(options), *this, clock) {}
  ~Informer() override { Stop(); }

  // Call before Start().
  void AddHandlers(EventHandlers<T> handlers) { handlers_.push_back(std::move(handlers)); }
  Store<T>& store() { return store_; }
  const Store<T>& store() const { return store_; }

  void Start() { reflector_.Start(); }
  void Stop() { reflector_.Stop(); }
  bool HasSynced() const { return reflector_.HasSynced(); }
  bool WaitForSync(Clock::Duration timeout) { return reflector_.WaitForSync(timeout); }
  const Reflector& reflector() const { return reflector_; }
  // Decode failures skipped so far (observability).
  int skipped() const { return skipped_; }

 private:
  using Ptr = typename Store<T>::Ptr;

  std::shared_ptr<T> Project(const json::Value& object) {
    auto projected = project_(object);
    if (!projected) {
      ++skipped_;
      LOG(WARNING) << "informer " << name_ << ": skipping object: " << projected.error().ToString();
      return nullptr;
    }
    return std::make_shared<T>(std::move(*projected));
  }

  void Put(Ptr obj) {
    std::string key = ObjectKey(*obj);
    Ptr old = store_.Upsert(key, obj);
    for (const auto& h : handlers_) {
      if (old == nullptr) {
        if (h.on_add) h.on_add(*obj);
      } else if (!(*old == *obj)) {
        if (h.on_update) h.on_update(*old, *obj);
      }
    }
  }

  void BeginList() override { listed_.clear(); }
  void ListItems(const json::Value& items) override {
    for (const auto& item : items.GetArray()) {
      if (auto obj = Project(item)) listed_.push_back(std::move(obj));
    }
  }
  void EndList(bool complete) override {
    std::vector<Ptr> listed = std::move(listed_);
    listed_.clear();
    if (!complete) return;
    std::unordered_set<std::string> seen;
    seen.reserve(listed.size());
    for (auto& obj : listed) {
      seen.insert(ObjectKey(*obj));
      Put(std::move(obj));
    }
    for (const auto& key : store_.Keys()) {
      if (seen.contains(key)) continue;
      if (Ptr old = store_.Remove(key)) {
        for (const auto& h : handlers_) {
          if (h.on_delete) h.on_delete(*old);
        }
      }
    }
  }
  void Apply(std::string_view type, const json::Value& object) override {
    auto obj = Project(object);
    if (obj == nullptr) return;
    if (type == "DELETED") {
      if (Ptr old = store_.Remove(ObjectKey(*obj))) {
        for (const auto& h : handlers_) {
          if (h.on_delete) h.on_delete(*obj);
        }
      }
      return;
    }
    Put(std::move(obj));
  }

  std::string name_;
  Projector project_;
  Store<T> store_;
  std::vector<EventHandlers<T>> handlers_;
  std::vector<Ptr> listed_;
  int skipped_ = 0;
  Reflector reflector_;  // last: its thread stops before the members it uses go away
};

}  // namespace ccm::kube
