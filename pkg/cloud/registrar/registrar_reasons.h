// Every reason the registrar writes into a condition or an Event, in one place: users and
// alerts match on these words (docs/operations.md lists them), so none is spelt inline.
#pragma once

namespace ccm::cloud::registrar {

// Ready=False / Degraded=True reasons, decided once per source by BuildSourceStatus.
// The source's own spec.
inline constexpr char kReasonInvalidSpec[] = "InvalidSpec";
// Binding resolution (desired_state.h).
inline constexpr char kReasonServiceNotFound[] = "ServiceNotFound";
inline constexpr char kReasonServicePortNotFound[] = "ServicePortNotFound";
inline constexpr char kReasonServicePortRequired[] = "ServicePortRequired";
inline constexpr char kReasonNoNodePort[] = "NoNodePort";
inline constexpr char kReasonNoEligibleNodes[] = "NoEligibleNodes";
inline constexpr char kReasonWeightConflict[] = "WeightConflict";
// Credentials and permission to use the load balancer (load_balancer_access.h).
inline constexpr char kReasonCredentialsError[] = "CredentialsError";
inline constexpr char kReasonSecretNamespaceNotAllowed[] = "SecretNamespaceNotAllowed";
inline constexpr char kReasonSecretNotFound[] = "SecretNotFound";
inline constexpr char kReasonSecretUnreadable[] = "SecretUnreadable";
inline constexpr char kReasonInvalidApiKey[] = "InvalidAPIKey";
inline constexpr char kReasonLoadBalancerNotAllowed[] = "LoadBalancerNotAllowed";
// The load balancer's writer (load_balancer_sync.h).
inline constexpr char kReasonLoadBalancerNotFound[] = "LoadBalancerNotFound";
inline constexpr char kReasonBackendSetNotFound[] = "BackendSetNotFound";
inline constexpr char kReasonOciUnauthorized[] = "OCIUnauthorized";
inline constexpr char kReasonOciThrottled[] = "OCIThrottled";
inline constexpr char kReasonOciConflict[] = "OCIConflict";
inline constexpr char kReasonOciTimeout[] = "OCITimeout";          // no answer within requestTimeout
inline constexpr char kReasonOciUnreachable[] = "OCIUnreachable";  // no connection: DNS, refused, reset
inline constexpr char kReasonOciError[] = "OCIError";
inline constexpr char kReasonWorkRequestFailed[] = "WorkRequestFailed";
inline constexpr char kReasonOwnershipRecord[] = "OwnershipRecordError";
inline constexpr char kReasonRemovalWithheld[] = "RemovalWithheld";
// Kubernetes writes the controller needs before touching OCI (finalizer).
inline constexpr char kReasonKubernetesApi[] = "KubernetesAPIError";

// Healthy conditions.
inline constexpr char kReasonBackendsRegistered[] = "BackendsRegistered";
inline constexpr char kReasonRegistering[] = "Registering";
inline constexpr char kReasonAsExpected[] = "AsExpected";

// Normal and Warning Events that are not a condition's reason.
inline constexpr char kEventBackendsUpdated[] = "BackendsUpdated";
inline constexpr char kEventDeregistered[] = "Deregistered";
inline constexpr char kEventSpecFieldIgnored[] = "SpecFieldIgnored";
inline constexpr char kEventSpecFieldDeprecated[] = "SpecFieldDeprecated";

}  // namespace ccm::cloud::registrar
