// OCI API operations served by the simulator. Each handler takes the store (it locks it),
// the call (request + injected faults) and the decoded path parameters.
#pragma once

#include <string>
#include <vector>

#include "test/ocisim/api_types.h"
#include "test/ocisim/faults.h"
#include "test/ocisim/sim_store.h"

namespace ccm::ocisim {

struct CallContext {
  const ApiRequest& request;
  const FaultDecision& fault;
};
using PathParams = std::vector<std::string>;

// Load balancers; `kind` picks the classic (20170115) or network (20200501) flavour.
ApiResponse GetLoadBalancer(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
ApiResponse GetBackendSet(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
ApiResponse UpdateBackendSet(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
ApiResponse ListBackends(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
ApiResponse CreateBackend(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
ApiResponse GetBackend(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
ApiResponse UpdateBackend(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
ApiResponse DeleteBackend(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
ApiResponse GetBackendSetHealth(SimStore& s, LbKind kind, const CallContext& c, const PathParams& p);
// Classic: GET /loadBalancerWorkRequests/{id}, GET /loadBalancers/{id}/workRequests.
ApiResponse GetLbWorkRequest(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse ListLbWorkRequests(SimStore& s, const CallContext& c, const PathParams& p);
// Network: GET /workRequests/{id}, /workRequests/{id}/errors, /workRequests?compartmentId=.
ApiResponse GetNlbWorkRequest(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse ListNlbWorkRequestErrors(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse ListNlbWorkRequests(SimStore& s, const CallContext& c, const PathParams& p);

// Compute.
ApiResponse GetInstance(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse ListInstances(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse ListVnicAttachments(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse GetVnic(SimStore& s, const CallContext& c, const PathParams& p);

// Core networking (20160918): public IPs, public IP pools, private IPs, subnets.
ApiResponse CreatePublicIp(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse GetPublicIp(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse GetPublicIpByIpAddress(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse GetPublicIpByPrivateIpId(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse UpdatePublicIp(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse DeletePublicIp(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse ListPublicIps(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse GetPublicIpPool(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse ListPrivateIps(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse GetPrivateIp(SimStore& s, const CallContext& c, const PathParams& p);
ApiResponse GetSubnet(SimStore& s, const CallContext& c, const PathParams& p);
// Seeds (store lock held): fill OCI's defaults, keep the given fields.
Status SeedPublicIpLocked(SimStore& s, json::Value& public_ip) REQUIRES(s.mu);
Status SeedPrivateIpLocked(SimStore& s, json::Value& private_ip) REQUIRES(s.mu);
Status SeedSubnetLocked(SimStore& s, json::Value& subnet) REQUIRES(s.mu);
Status SeedPublicIpPoolLocked(SimStore& s, json::Value& pool) REQUIRES(s.mu);

// JSON of work requests, as the APIs return them (store lock held).
std::string LbWorkRequestJson(const SimStore& s, const WorkRequest& wr) REQUIRES(s.mu);
std::string NlbWorkRequestJson(const SimStore& s, const WorkRequest& wr) REQUIRES(s.mu);

// Normalizes a seeded or submitted backend: fills `name` and OCI's defaults.
Status NormalizeBackend(LbKind kind, json::Value& backend, simjson::Alloc& alloc,
                        const std::string& path);
// Normalizes a load balancer for storage: backendSets as an object keyed by name, every
// backend normalized, lifecycleState defaulting to ACTIVE.
Status NormalizeLoadBalancer(LbKind kind, json::Value& lb, simjson::Alloc& alloc);
Status NormalizeBackendSet(LbKind kind, json::Value& set, simjson::Alloc& alloc,
                           const std::string& path);

}  // namespace ccm::ocisim
