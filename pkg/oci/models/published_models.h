// The settings objects an UpdateBackendSet body carries whole, as OCI publishes them: the
// fields of HealthCheckerDetails, SSLConfigurationDetails, SessionPersistenceConfigurationDetails
// and LBCookieSessionPersistenceConfigurationDetails (Load Balancer API 20170115), and of
// HealthCheckerDetails / DnsHealthCheckerDetails (Network Load Balancer API 20200501), from the
// API reference's request models, which the SDKs' model classes mirror.
//
// A read keeps each of these objects as JSON holding only the published fields, so a
// read-modify-write sends back every setting OCI lets a client set (a PUT that omits one may
// clear it) and nothing the model lacks (read-only or not yet published members). The body
// writers themselves (load_balancer_models.cc, network_load_balancer_models.cc) write the
// other models field by field; test/sdk/python/test_write_models.py checks all of them against
// the installed SDKs' field lists, so a setting OCI adds is noticed, not silently dropped.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::oci {

struct PublishedModel;
struct PublishedField {
  std::string_view name;
  const PublishedModel* nested = nullptr;  // the value is an object (or array of objects) of this model
};
struct PublishedModel {
  std::string_view name;
  std::span<const PublishedField> fields;
};

extern const PublishedModel kLbHealthCheckerDetails;
extern const PublishedModel kLbSslConfigurationDetails;
extern const PublishedModel kLbSessionPersistenceConfigurationDetails;
extern const PublishedModel kLbCookieSessionPersistenceConfigurationDetails;
extern const PublishedModel kNlbHealthCheckerDetails;

// `value` serialized with only `model`'s fields (recursively); a non-object verbatim.
std::string SerializeAs(const json::Value& value, const PublishedModel& model);

// Member `field` of `obj` serialized as `model` when present and not null, else "". A present
// member that is not an object is an error naming `path.field`.
Result<std::string> PublishedObject(const json::Value& obj, std::string_view field, std::string_view path,
                                    const PublishedModel& model, bool required = false);

}  // namespace ccm::oci
