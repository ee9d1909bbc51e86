// Counts the Compute API calls made on behalf of each node, so tests can prove a cache bounds
// them; the metrics layer records through its own OciCallRecorder. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "pkg/base/mutex.h"

namespace ccm::cloud::instances {

// What Instances reports each call to; the metrics layer may implement its own.
class OciCallRecorder {
 public:
  virtual ~OciCallRecorder() = default;
  // `node` is the node the call was made for; `operation` the OCI operation ("GetInstance").
  virtual void RecordOciCall(std::string_view node, std::string_view operation, bool ok) = 0;
};

class OciCallCounter final : public OciCallRecorder {
 public:
  void RecordOciCall(std::string_view node, std::string_view operation, bool ok) override;

  // Calls made for `node` (all operations, failed ones included).
  uint64_t Calls(std::string_view node) const;
  // Calls of `operation` for `node`.
  uint64_t Calls(std::string_view node, std::string_view operation) const;
  // Drops a deleted node's entry so churned nodes do not accumulate.
  void Forget(std::string_view node);

 private:
  struct NodeCounts {
    uint64_t calls = 0;
    std::map<std::string, uint64_t, std::less<>> by_operation;
  };
  mutable Mutex mu_;
  std::map<std::string, NodeCounts, std::less<>> nodes_ GUARDED_BY(mu_);
};

}  // namespace ccm::cloud::instances
