// The simulator's state: load balancers (classic and network) as their OCI JSON, compute
// instances, VNICs and attachments, work requests and retry tokens. Everything is guarded
// by one mutex; work requests complete lazily (Settle) whenever state is observed, so no
// background thread is needed and observations are always consistent.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "pkg/base/error.h"
#include "pkg/base/json.h"
#include "pkg/base/mutex.h"

namespace ccm::ocisim {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

enum class LbKind { kClassic, kNetwork };

struct WorkRequest {
  std::string id;
  LbKind kind = LbKind::kClassic;
  std::string lb_id;
  std::string compartment_id;
  std::string type;           // classic "UpdateBackendSet"; NLB "UPDATE_BACKENDSET"
  std::string resource_name;  // backend set or backend the request changes
  SteadyTime accepted;
  SteadyTime due;
  WallTime time_accepted;
  std::optional<WallTime> time_finished;
  std::string final_state;  // "" while pending, then SUCCEEDED or FAILED
  std::string error_message;
  bool fail = false;        // injected: ends FAILED without applying
  bool changed = false;     // SUCCEEDED and the load balancer differed afterwards (a no-op
                            // write is a duplicate: tests assert every write applied once)
  std::function<Status(json::Value& lb, json::Document::AllocatorType& alloc)> apply;
  int64_t seq = 0;
};

// A public IP's pending asynchronous change (assign, move, unassign, create, delete): OCI answers
// at once with a transitional lifecycleState and finishes later; the simulator finishes it when
// `due` has passed and the IP is next observed.
struct PublicIpChange {
  SteadyTime due;
  std::string final_state;   // AVAILABLE, ASSIGNED or TERMINATED
  bool fail = false;         // injected: an assignment that fails silently (ends AVAILABLE)
};

struct RetryRecord {
  std::string request_key;  // method + target: a token reused for another request conflicts
  std::string work_request_id;
  int status = 0;
  WallTime expires;
};

class SimStore {
 public:
  SimStore();

  Mutex mu;  // guards everything below

  std::map<std::string, json::Document> classic GUARDED_BY(mu);  // LB id -> LoadBalancer JSON
  std::map<std::string, json::Document> network GUARDED_BY(mu);  // NLB id -> NetworkLoadBalancer JSON
  std::map<std::string, json::Document> instances GUARDED_BY(mu);
  std::map<std::string, json::Document> vnics GUARDED_BY(mu);
  std::map<std::string, json::Document> attachments GUARDED_BY(mu);
  std::map<std::string, WorkRequest> work_requests GUARDED_BY(mu);
  // Core networking (20160918): public IPs, private IPs, subnets, BYOIP public IP pools.
  std::map<std::string, json::Document> public_ips GUARDED_BY(mu);
  std::map<std::string, json::Document> private_ips GUARDED_BY(mu);
  std::map<std::string, json::Document> subnets GUARDED_BY(mu);
  std::map<std::string, json::Document> public_ip_pools GUARDED_BY(mu);
  std::map<std::string, PublicIpChange> public_ip_changes GUARDED_BY(mu);  // public IP id -> pending change
  std::chrono::milliseconds public_ip_latency GUARDED_BY(mu){50};
  uint32_t next_public_address GUARDED_BY(mu) = 0;  // allocation cursor outside pools
  std::map<std::string, RetryRecord> retry_tokens GUARDED_BY(mu);
  std::chrono::milliseconds work_request_latency GUARDED_BY(mu){50};
  std::chrono::seconds clock_offset GUARDED_BY(mu){0};
  std::string region GUARDED_BY(mu) = "us-phoenix-1";

  // Simulated wall clock (real clock + offset).
  WallTime WallNowLocked() const REQUIRES(mu);
  // Completes every work request whose time has come.
  void SettleLocked() REQUIRES(mu);
  // ACCEPTED, IN_PROGRESS, SUCCEEDED or FAILED at this moment.
  std::string StateOfLocked(const WorkRequest& wr) const REQUIRES(mu);
  // The pending work request on a load balancer, if any.
  const WorkRequest* InFlightLocked(const std::string& lb_id) const REQUIRES(mu);
  std::string NewOcid(const std::string& type);
  WorkRequest& AddWorkRequestLocked(WorkRequest wr) REQUIRES(mu);
  void ClearLocked() REQUIRES(mu);
  // Finishes every public IP change whose time has come (public_ip_api.cc).
  void SettlePublicIpsLocked() REQUIRES(mu);

 private:
  std::mt19937_64 id_rng_;
  int64_t next_seq_ = 1;
};

// JSON helpers for the simulator's mutable documents.
namespace simjson {
using Alloc = json::Document::AllocatorType;
void Set(json::Value& obj, const char* name, json::Value value, Alloc& alloc);
void SetString(json::Value& obj, const char* name, const std::string& value, Alloc& alloc);
json::Value* FindMut(json::Value& obj, const char* name);
std::string GetString(const json::Value& obj, const char* name);
// Hex digest of the canonical serialization: changes whenever the resource changes.
std::string Etag(const json::Value& value);
json::Document Clone(const json::Value& value);
}  // namespace simjson

}  // namespace ccm::ocisim
