// The request bodies OCI publishes for the backend writes the simulator serves, field by field
// (names as on the wire), and the check that a body carries nothing else.
//
// Sources: the API reference's request data types (Load Balancer API 20170115:
// https://docs.oracle.com/iaas/api/#/en/loadbalancer/20170115/datatypes/UpdateBackendSetDetails,
// and .../datatypes/BackendDetails, CreateBackendDetails, UpdateBackendDetails,
// HealthCheckerDetails, SSLConfigurationDetails, SessionPersistenceConfigurationDetails,
// LBCookieSessionPersistenceConfigurationDetails; Network Load Balancer API 20200501:
// https://docs.oracle.com/iaas/api/#/en/networkloadbalancer/20200501/datatypes/
// UpdateBackendSetDetails, BackendDetails, CreateBackendDetails, UpdateBackendDetails,
// HealthCheckerDetails, DnsHealthCheckerDetails), which the SDKs' model classes mirror (PyPI
// oci 2.189.0, npm oci-loadbalancer / oci-networkloadbalancer: each class lists its fields;
// test/sdk checks the controller's writers against them).
//
// A member outside the model is refused with 400 InvalidParameter naming it: "A parameter is
// invalid or incorrectly formatted" (API Errors, https://docs.oracle.com/iaas/Content/API/
// References/apierrors.htm). The reference defines the bodies only by their fields and does
// not promise to ignore others; the simulator takes the strict reading, so a client that
// echoes read-only or unknown members back is caught here rather than in production.
#pragma once

#include "pkg/base/error.h"
#include "pkg/base/json.h"
#include "test/ocisim/sim_store.h"

namespace ccm::ocisim {

enum class WriteBody { kUpdateBackendSet, kCreateBackend, kUpdateBackend };

// kInvalidArgument naming the first member (by its path, e.g.
// "UpdateBackendSetDetails.backends[1].extra") that the body's model does not have.
Status CheckBodyFields(LbKind kind, WriteBody body_kind, const json::Value& body);

}  // namespace ccm::ocisim
