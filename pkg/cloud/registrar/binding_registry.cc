#include "pkg/cloud/registrar/binding_registry.h"

#include "pkg/base/mutex.h"

namespace ccm::cloud::registrar {

void BindingRegistry::Index(const SourceState& s) {
  for (const auto& b : s.bindings) {
    by_lb_[b.load_balancer_id].insert(s.source);
    if (b.service) by_service_[b.service->namespace_name + "/" + b.service->name].insert(s.source);
  }
}

void BindingRegistry::Unindex(const SourceState& s) {
  for (const auto& b : s.bindings) {
    if (auto it = by_lb_.find(b.load_balancer_id); it != by_lb_.end()) {
      it->second.erase(s.source);
      if (it->second.empty()) by_lb_.erase(it);
    }
    if (b.service) {
      std::string key = b.service->namespace_name + "/" + b.service->name;
      if (auto it = by_service_.find(key); it != by_service_.end()) {
        it->second.erase(s.source);
        if (it->second.empty()) by_service_.erase(it);
      }
    }
  }
}

std::set<std::string> BindingRegistry::Upsert(SourceState next) {
  MutexLock lock(mu_);
  std::set<std::string> affected;
  auto it = sources_.find(next.source);
  if (it != sources_.end()) {
    if (next.in_error() && next.bindings.empty()) next.bindings = it->second.bindings;  // freeze
    for (const auto& b : it->second.bindings) affected.insert(b.load_balancer_id);
    Unindex(it->second);
  }
  for (const auto& b : next.bindings) affected.insert(b.load_balancer_id);
  Index(next);
  sources_[next.source] = std::move(next);
  return affected;
}

std::set<std::string> BindingRegistry::Remove(const std::string& source) {
  MutexLock lock(mu_);
  std::set<std::string> affected;
  auto it = sources_.find(source);
  if (it == sources_.end()) return affected;
  for (const auto& b : it->second.bindings) affected.insert(b.load_balancer_id);
  Unindex(it->second);
  sources_.erase(it);
  return affected;
}

std::vector<SourceState> BindingRegistry::SourcesFor(const std::string& lb_id) const {
  MutexLock lock(mu_);
  std::vector<SourceState> out;
  if (auto it = by_lb_.find(lb_id); it != by_lb_.end()) {
    for (const auto& s : it->second) out.push_back(sources_.at(s));
  }
  return out;
}

bool BindingRegistry::Contains(const std::string& source) const {
  MutexLock lock(mu_);
  return sources_.contains(source);
}

std::optional<SourceState> BindingRegistry::Get(const std::string& source) const {
  MutexLock lock(mu_);
  auto it = sources_.find(source);
  if (it == sources_.end()) return std::nullopt;
  return it->second;
}

std::set<std::string> BindingRegistry::LoadBalancersForService(const std::string& service_key) const {
  MutexLock lock(mu_);
  std::set<std::string> out;
  if (auto it = by_service_.find(service_key); it != by_service_.end()) {
    for (const auto& s : it->second) {
      for (const auto& b : sources_.at(s).bindings) out.insert(b.load_balancer_id);
    }
  }
  return out;
}

std::set<std::string> BindingRegistry::LoadBalancers() const {
  MutexLock lock(mu_);
  std::set<std::string> out;
  for (const auto& [lb, s] : by_lb_) out.insert(lb);
  return out;
}

}  // namespace ccm::cloud::registrar
