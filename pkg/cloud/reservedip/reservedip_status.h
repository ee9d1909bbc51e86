// What a ReservedIP's status says, decided by one pure function from what the sync learned,
// and the merge patch that writes it.
#pragma once

#include <cstdint>
#include <string>

namespace ccm::cloud::reservedip {

struct ReadyCondition {
  std::string status;  // True, False, Unknown
  std::string reason;
  std::string message;
  int64_t observed_generation = 0;
  std::string last_transition_time;
  bool operator==(const ReadyCondition&) const = default;
};

struct ReservedIPStatus {
  // Of the public IP; not written when `observed_ip` is false (nothing was read from OCI: a
  // spec problem), so the last known values stay.
  bool observed_ip = false;
  std::string state;
  std::string public_ip_address;
  std::string public_ip_id;
  std::string private_ip_id;
  std::string pod_name;
  int64_t observed_generation = 0;
  ReadyCondition ready;
  bool operator==(const ReservedIPStatus&) const = default;
};

struct StatusInput {
  int64_t generation = 0;
  bool observed_ip = false;
  std::string state;
  std::string public_ip_address;
  std::string public_ip_id;
  std::string private_ip_id;
  std::string pod_name;        // the pod the IP is assigned to, when it is
  std::string problem_reason;  // "" when none
  std::string problem_message;
};

// `previous` (may be null) keeps lastTransitionTime while Ready's status does not change;
// `now` is RFC 3339.
ReservedIPStatus BuildStatus(const StatusInput& in, const ReservedIPStatus* previous,
                             const std::string& now);

// {"status":{...}} for a merge patch of the status subresource.
std::string StatusPatch(const ReservedIPStatus& status);

}  // namespace ccm::cloud::reservedip
