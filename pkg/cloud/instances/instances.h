// Node -> OCI instance, for the node controllers (the cloud-provider "InstancesV2" role):
// - which instance: spec.providerID ("oci://<OCID>" or the bare OCID); without one, the single
//   non-terminated instance whose display name is the node name in the configured compartment,
//   else the instance whose VNIC has the node name or one of its InternalIPs as private or
//   public IP (or hostname label);
// - metadata: providerID "oci://<OCID>", addresses from the PRIMARY VNIC (InternalIP,
//   ExternalIP when public, Hostname = node name), shape as instance type, zone/region/fault
//   domain;
// - state: exists is false ONLY for TERMINATING/TERMINATED or a 404 confirmed by listing the
//   compartment (a 404 NotAuthorizedOrNotFound alone may be a missing policy, as Oracle's CCM
//   knows); a failed confirmation list is an error, never "gone". shutdown = STOPPING/STOPPED.
// Metadata and states are cached for a TTL on the injected clock; "gone" is never cached. Every
// Compute call is counted per node. Thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"
#include "pkg/base/mutex.h"
#include "pkg/cloud/instances/oci_call_counter.h"
#include "pkg/cloud/zones/zones.h"
#include "pkg/kube/informer/projections.h"
#include "pkg/oci/clients/compute_client.h"

namespace ccm::cloud::instances {

struct Address {
  std::string type;  // InternalIP, ExternalIP, Hostname
  std::string address;
  bool operator==(const Address&) const = default;
};

struct InstanceMetadata {
  std::string instance_id;
  std::string provider_id;    // oci://<instance_id>
  std::string instance_type;  // shape
  std::vector<Address> addresses;
  zones::Topology topology;
  std::string lifecycle_state;
  std::string compartment_id;
};

struct InstanceState {
  std::string instance_id;
  std::string lifecycle_state;  // "" when the instance is confirmed absent
  bool exists = true;
  bool shutdown = false;
};

struct InstancesOptions {
  std::string compartment_id;  // cloud-config compartment: name/IP lookups, 404 confirmation
  std::string region;          // cloud-config region: fallback for unknown region keys
  Clock::Duration metadata_ttl = std::chrono::seconds(60);
  Clock::Duration state_ttl = std::chrono::seconds(15);
  OciCallRecorder* recorder = nullptr;  // optional, in addition to calls()
};

bool IsTerminatedState(std::string_view lifecycle_state);  // TERMINATING, TERMINATED
bool IsStoppedState(std::string_view lifecycle_state);     // STOPPING, STOPPED

class Instances {
 public:
  // `compute` and `clock` must outlive this object.
  Instances(oci::ComputeApi& compute, const Clock& clock, InstancesOptions options);

  // Metadata for `node`, served from the cache while younger than metadata_ttl.
  Result<InstanceMetadata> Metadata(const kube::Node& node);
  // Fresh metadata (bypasses and refreshes the cache).
  Result<InstanceMetadata> FetchMetadata(const kube::Node& node);

  // The instance's state, served from the cache while younger than state_ttl. When
  // `oci_call_budget` is given, a fetch consumes one unit and, at zero, fails with
  // kTooManyRequests instead of calling OCI (the caller retries next period).
  Result<InstanceState> State(const kube::Node& node, int* oci_call_budget = nullptr);

  // Drops what is cached and counted for a deleted node.
  void Forget(std::string_view node_name);

  const OciCallCounter& calls() const { return calls_; }
  const InstancesOptions& options() const { return options_; }

 private:
  struct CachedMetadata {
    InstanceMetadata metadata;
    Clock::TimePoint fetched_at;
  };
  struct CachedState {
    InstanceState state;
    std::string compartment_id;
    Clock::TimePoint fetched_at;
  };

  template <typename F>
  auto Call(std::string_view node, std::string_view operation, F&& call) -> decltype(call());

  Result<oci::Instance> FindInstance(const kube::Node& node);
  Result<oci::Instance> FindByDisplayName(const kube::Node& node);
  Result<oci::Instance> FindByVnicAddress(const kube::Node& node);
  Result<oci::Vnic> PrimaryVnic(const std::string& node, const oci::Instance& instance);
  Result<std::string> InstanceIdFor(const kube::Node& node);
  // A 404 on GetInstance: lists the compartment to tell "gone" from "not authorized".
  Result<InstanceState> ConfirmAbsent(const std::string& node, const std::string& instance_id,
                                      const Error& not_found);
  void CacheState(const std::string& node, const oci::Instance& instance);

  oci::ComputeApi& compute_;
  const Clock& clock_;
  const InstancesOptions options_;
  OciCallCounter calls_;

  mutable Mutex mu_;
  std::map<std::string, CachedMetadata, std::less<>> metadata_ GUARDED_BY(mu_);  // by node name
  std::map<std::string, CachedState, std::less<>> states_ GUARDED_BY(mu_);       // by node name
};

}  // namespace ccm::cloud::instances
