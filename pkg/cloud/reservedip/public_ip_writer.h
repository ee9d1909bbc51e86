// The only code of the ReservedIP controller that calls OCI. One run of Converge or Release
// does at most one write and never waits: when OCI is still working (a transitional
// lifecycleState) it says when to look again, and the controller requeues the key for then.
//
// What it remembers per ReservedIP (keys are never run by two workers at once): the poll
// delay (doubling from first_poll to max_poll while OCI works), the private IP an assignment
// was sent to (so OCI's silent move failure - the IP back to AVAILABLE - is noticed and
// retried) and the private IP a pod address resolved to (so a pod that did not change costs no
// VNIC lookups).
#pragma once

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pkg/base/mutex.h"
#include "pkg/base/thread_annotations.h"
#include "pkg/base/clock.h"
#include "pkg/cloud/reservedip/desired_target.h"
#include "pkg/cloud/reservedip/reservedip_spec.h"
#include "pkg/oci/clients/compute_client.h"
#include "pkg/oci/clients/virtual_network_client.h"

namespace ccm::cloud::reservedip {

struct WriterSettings {
  std::string compartment_id;  // where public IPs are created and VNIC attachments listed
  Clock::Duration first_poll = std::chrono::milliseconds(200);
  Clock::Duration max_poll = std::chrono::seconds(5);
};

struct ConvergeRequest {
  std::string key;  // "namespace/name": display name and memory key
  std::string uid;
  const ReservedIPSpec* spec = nullptr;
  std::string known_public_ip_id;  // status.publicIpId
  // Where to assign, or why the pod cannot be targeted now.
  std::expected<Target, TargetProblem> target;
};

struct ReleaseRequest {
  std::string key;
  std::string uid;
  std::string known_public_ip_id;
  std::string address;  // an adopted IP's address, when the spec named one
  ReclaimPolicy reclaim = ReclaimPolicy::kDelete;
};

struct WriterEvent {
  std::string reason;
  std::string message;
  bool warning = false;
};

struct Observation {
  std::optional<oci::PublicIp> ip;
  bool ours = false;          // the IP carries this resource's uid tag: created here
  std::string state;          // status.state
  std::string private_ip_id;  // assigned or being assigned to
  std::string reason;         // a problem (reservedip_reasons.h); "" when none
  std::string message;
  bool transient = false;        // the problem may pass by itself
  Clock::Duration poll_after{};  // > 0: OCI is still working, look again then
  bool released = false;         // Release: nothing of ours is left in OCI
  std::vector<WriterEvent> events;
};

class PublicIpWriter {
 public:
  // The APIs must outlive the writer.
  PublicIpWriter(oci::VirtualNetworkApi& network, oci::ComputeApi& compute,
                 WriterSettings settings);

  Observation Converge(const ConvergeRequest& request);
  Observation Release(const ReleaseRequest& request);
  // Drops what is remembered about `key` (its resource is gone).
  void Forget(const std::string& key);

  // The opc-retry-token of a resource's CreatePublicIp: the same across restarts.
  static std::string RetryTokenFor(const std::string& uid);

 private:
  struct Memory {
    Clock::Duration next_poll{};
    std::string assigning_to;  // the private IP an assignment was last sent to
    bool moving = false;       // that assignment moved the IP from another private IP
    bool deleting = false;
    std::string resolved_pod_uid, resolved_address, resolved_private_ip_id;
  };
  struct Resolved {
    std::string private_ip_id;
    std::string reason, message;
    bool transient = false;
  };

  Memory& MemoryFor(const std::string& key);
  Clock::Duration NextPoll(Memory& m);
  // The public IP this resource created (uid tag), if any.
  Result<std::optional<oci::PublicIp>> FindOurs(const std::string& uid);
  Resolved ResolvePodAddress(Memory& m, const Target& target);
  Resolved ResolveTarget(Memory& m, const std::expected<Target, TargetProblem>& target);
  // The pool a spec names; UnknownPool (naming spec.publicIPv4Pool) or the OCI failure.
  std::expected<oci::PublicIpPool, Observation> LoadPool(const std::string& pool_id);
  Observation Create(const ConvergeRequest& r, Memory& m);
  Observation Adopt(const ConvergeRequest& r, std::optional<oci::PublicIp>& ip);
  std::string StateWhileWorking(const oci::PublicIp& ip, const Memory& m) const;
  std::map<std::string, std::string> DesiredTags(const ConvergeRequest& r) const;

  oci::VirtualNetworkApi& network_;
  oci::ComputeApi& compute_;
  WriterSettings settings_;
  Mutex mu_;  // guards the maps; a key's Memory is used by one worker at a time
  std::map<std::string, Memory> memory_ GUARDED_BY(mu_);
  std::map<std::string, bool> subnet_prohibits_public_ip_ GUARDED_BY(mu_);  // subnet OCID -> prohibitPublicIpOnVnic
};

}  // namespace ccm::cloud::reservedip
