// How the Network Load Balancer service identifies a backend, and what follows from it.
//
// - An instance backend (targetId = instance OCID) is served at the instance's primary private
//   IP: "If you identify a backend server by OCID, Load Balancing uses the primary VNIC's
//   primary private IP address" (Backend Servers for Network Load Balancers,
//   https://docs.oracle.com/iaas/Content/NetworkLoadBalancer/BackendServers/backend-server-management.htm).
//   Reads return it in `ipAddress`, beside `targetId`, and `name` is "<targetId>:<port>"
//   (Backend.name: "the IP address/OCID and port that uniquely identify this backend server in
//   the backend set", SDK model and API reference).
// - A backend set holds one backend per target and port: a second one for the same instance,
//   or the same IP, at the same port is refused with 409 NotAuthorizedOrResourceAlreadyExists,
//   "Duplicate backend IP/id + port combinations not allowed" (OCI's answer as quoted in
//   oracle/terraform-provider-oci#1593; the code is listed in API Errors,
//   https://docs.oracle.com/iaas/Content/API/References/apierrors.htm).
//
// A targetId the simulator has no instance for is accepted as it is, without an ipAddress
// (tests that do not seed Compute); OCI would refuse it ("400-InvalidParameter, Invalid backend
// OCID", oracle/terraform-provider-oci#2267).
#pragma once

#include <optional>
#include <string>

#include "pkg/base/json.h"
#include "test/ocisim/api_types.h"
#include "test/ocisim/sim_store.h"

namespace ccm::ocisim {

// Fills `ipAddress` of an instance backend that lacks one, from the instance's primary VNIC;
// `backends` is one backend or an array of them. Store lock held.
void ResolveInstanceTargetsLocked(const SimStore& s, json::Value& backends, simjson::Alloc& alloc) REQUIRES(s.mu);

// The 409 for a backend set that would hold two backends for one target at one port: among
// `backends` (an array), or between `added` and `backends` when `added` is given.
std::optional<ApiResponse> DuplicateTarget(const json::Value& backends, const json::Value* added = nullptr);

}  // namespace ccm::ocisim
