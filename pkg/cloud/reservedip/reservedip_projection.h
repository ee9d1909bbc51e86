// What the informers keep of ReservedIPs and Pods.
//
// ReservedIP: identity, finalizers, the raw spec (parsed by ParseReservedIPSpec), the pod it
// names (for the pod -> ReservedIP index) and, of its status, only the public IP's OCID: the
// one status fact the controller needs back after a restart. A status write that changes
// nothing else is not an update, so it queues nothing.
//
// Pod: the few fields an assignment follows (uid and podIP change when a pod is recreated).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::cloud::reservedip {

struct ReservedIPObject {
  std::string namespace_;
  std::string name;
  std::string uid;
  int64_t generation = 0;
  std::string resource_version;
  std::string deletion_timestamp;
  std::vector<std::string> finalizers;
  std::string spec_json;
  std::string pod_name;      // spec.assignment.podName, "" when none
  std::string public_ip_id;  // status.publicIpId

  bool HasFinalizer(std::string_view f) const;
  // Ignores resource_version.
  bool operator==(const ReservedIPObject& o) const;
};

struct PodRef {
  std::string namespace_;
  std::string name;
  std::string uid;
  std::string pod_ip;
  std::string node_name;
  bool host_network = false;
  bool deleting = false;

  bool operator==(const PodRef&) const = default;
};

Result<ReservedIPObject> ProjectReservedIP(const json::Value& object);
Result<PodRef> ProjectPod(const json::Value& object);
// "namespace/name".
std::string ObjectKey(const ReservedIPObject& o);
std::string ObjectKey(const PodRef& o);
size_t ApproxBytes(const PodRef& p);

}  // namespace ccm::cloud::reservedip
