// Every name a ReservedIP user or operator sees, in one place: states (status.state, the
// STATE column), Ready condition reasons, Event reasons, the finalizer and the freeform tags
// the controller puts on the public IPs it creates.
#pragma once

namespace ccm::cloud::reservedip {

inline constexpr char kGroupVersion[] = "oci.k8s.logmein.com/v1alpha1";
inline constexpr char kKind[] = "ReservedIP";
inline constexpr char kFinalizer[] = "oci.k8s.logmein.com/reservedip-release";

// Freeform tags on public IPs this controller creates: the uid finds the IP again after a
// crash between create and the status write; only an IP carrying our uid is ever deleted.
inline constexpr char kTagUid[] = "k8s-reservedip-uid";
inline constexpr char kTagResource[] = "k8s-reservedip";  // "namespace/name"

// status.state (the AWS EIP operator's vocabulary).
namespace state {
inline constexpr char kAllocating[] = "allocating";
inline constexpr char kAllocated[] = "allocated";
inline constexpr char kAssigning[] = "assigning";
inline constexpr char kAssigned[] = "assigned";
inline constexpr char kReassigning[] = "reassigning";
inline constexpr char kUnassigning[] = "unassigning";
inline constexpr char kReleasing[] = "releasing";
}  // namespace state

// Ready condition reasons and Event reasons.
namespace reason {
// Ready=True.
inline constexpr char kAllocated[] = "Allocated";  // no assignment asked for
inline constexpr char kAssigned[] = "Assigned";
// Ready=False while OCI works (lifecycleState is transitional).
inline constexpr char kInProgress[] = "InProgress";
// Ready=False, only the user can fix (spec, cluster or OCI state); no OCI write is made.
inline constexpr char kInvalidAssignment[] = "InvalidAssignment";  // podName and privateIpId
inline constexpr char kInvalidAddress[] = "InvalidAddress";
inline constexpr char kInvalidPool[] = "InvalidPool";
inline constexpr char kInvalidTags[] = "InvalidTags";
inline constexpr char kInvalidPodName[] = "InvalidPodName";
inline constexpr char kInvalidPrivateIpId[] = "InvalidPrivateIpId";
inline constexpr char kInvalidSpec[] = "InvalidSpec";
inline constexpr char kUnknownPool[] = "UnknownPool";
inline constexpr char kAddressNotFound[] = "AddressNotFound";
inline constexpr char kAddressNotReserved[] = "AddressNotReserved";
inline constexpr char kAddressNotInPool[] = "AddressNotInPool";
inline constexpr char kPodNotFound[] = "PodNotFound";
inline constexpr char kPodHasNoIP[] = "PodHasNoIP";
inline constexpr char kHostNetworkUnsupported[] = "HostNetworkUnsupported";
inline constexpr char kNodeNotFound[] = "NodeNotFound";
inline constexpr char kPrivateIpNotFound[] = "PrivateIpNotFound";
inline constexpr char kPrivateSubnet[] = "PrivateSubnet";
inline constexpr char kPrivateIpHasPublicIp[] = "PrivateIpHasPublicIp";
// Ready=False, transient: retried on the queue's backoff.
inline constexpr char kOciError[] = "OciError";
inline constexpr char kKubernetesError[] = "KubernetesError";
// Events.
inline constexpr char kCreated[] = "PublicIpCreated";
inline constexpr char kAdopted[] = "PublicIpAdopted";
inline constexpr char kAssignStarted[] = "Assigning";
inline constexpr char kUnassignStarted[] = "Unassigning";
inline constexpr char kAssignmentFailed[] = "AssignmentFailed";  // OCI's silent move failure
inline constexpr char kReleased[] = "PublicIpReleased";
inline constexpr char kKeptOnDelete[] = "PublicIpRetained";
}  // namespace reason

}  // namespace ccm::cloud::reservedip
