// The leader-election record kept in a coordination.k8s.io/v1 Lease, read and written through
// RestClient. Writes are PUTs carrying the resourceVersion of the Lease this lock last read
// or wrote, so a concurrent writer makes them fail with kConflict (HTTP 409).
#pragma once

#include <optional>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/kube/rest_client.h"

namespace ccm::kube {

struct LeaderElectionRecord {
  std::string holder_identity;  // "" = nobody holds the lease (released)
  int lease_duration_seconds = 0;
  std::optional<Clock::WallTime> acquire_time;
  std::optional<Clock::WallTime> renew_time;
  int lease_transitions = 0;

  bool operator==(const LeaderElectionRecord&) const = default;
};

// The Lease spec JSON for `record` (times as RFC 3339 with microseconds).
std::string LeaseSpecJson(const LeaderElectionRecord& record);
// Reads spec of a Lease object; absent fields take their zero values.
Result<LeaderElectionRecord> RecordFromLease(const json::Value& lease);

class LeaseLock {
 public:
  LeaseLock(RestClient& client, std::string lease_namespace, std::string lease_name);

  // kNotFound when the Lease does not exist.
  Result<LeaderElectionRecord> Get();
  // kConflict (AlreadyExists) when someone created it first.
  Status Create(const LeaderElectionRecord& record);
  // Replaces the spec of the last Lease read or written; kConflict when it changed since.
  Status Update(const LeaderElectionRecord& record);

  std::string Describe() const { return namespace_ + "/" + name_; }
  std::string ObjectPath() const;

 private:
  Status Remember(const std::string& lease_json);

  RestClient& client_;
  const std::string namespace_;
  const std::string name_;
  std::string last_lease_;  // JSON of the Lease as last seen; carries its resourceVersion
};

}  // namespace ccm::kube
