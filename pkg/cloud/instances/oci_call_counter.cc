#include "pkg/cloud/instances/oci_call_counter.h"

#include "pkg/base/mutex.h"

namespace ccm::cloud::instances {

void OciCallCounter::RecordOciCall(std::string_view node, std::string_view operation, bool /*ok*/) {
  MutexLock lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) it = nodes_.emplace(std::string(node), NodeCounts{}).first;
  NodeCounts& n = it->second;
  ++n.calls;
  auto op = n.by_operation.find(operation);
  if (op == n.by_operation.end()) op = n.by_operation.emplace(std::string(operation), 0).first;
  ++op->second;
}

uint64_t OciCallCounter::Calls(std::string_view node) const {
  MutexLock lock(mu_);
  auto it = nodes_.find(node);
  return it == nodes_.end() ? 0 : it->second.calls;
}

uint64_t OciCallCounter::Calls(std::string_view node, std::string_view operation) const {
  MutexLock lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return 0;
  auto op = it->second.by_operation.find(operation);
  return op == it->second.by_operation.end() ? 0 : op->second;
}

void OciCallCounter::Forget(std::string_view node) {
  MutexLock lock(mu_);
  auto it = nodes_.find(node);
  if (it != nodes_.end()) nodes_.erase(it);
}

}  // namespace ccm::cloud::instances
