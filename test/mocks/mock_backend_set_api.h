// gmock double for the registrar's view of OCI backend sets (LB and NLB alike).
#pragma once

#include <gmock/gmock.h>

#include "pkg/oci/clients/backend_set_api.h"

namespace ccm::testing {

class MockBackendSetApi : public oci::BackendSetApi {
 public:
  MOCK_METHOD(oci::LoadBalancerKind, kind, (), (const, override));
  MOCK_METHOD(Result<oci::LoadBalancerInfo>, GetLoadBalancer, (const std::string& lb_id), (override));
  MOCK_METHOD(Result<oci::BackendSetInfo>, GetBackendSet, (const std::string& lb_id, const std::string& set),
              (override));
  MOCK_METHOD(Result<std::string>, ReplaceBackends,
              (const std::string&, const std::string&, const std::vector<oci::BackendSpec>&,
               oci::BackendSetInfo*),
              (override));
  MOCK_METHOD(Result<std::string>, CreateBackend,
              (const std::string& lb_id, const std::string& set, const oci::BackendSpec& backend), (override));
  MOCK_METHOD(Result<std::string>, UpdateBackend,
              (const std::string& lb_id, const std::string& set, const oci::BackendSpec& backend), (override));
  MOCK_METHOD(Result<std::string>, DeleteBackend,
              (const std::string& lb_id, const std::string& set, const std::string& backend_name), (override));
  MOCK_METHOD(Result<oci::WorkRequestState>, GetWorkRequest, (const std::string& work_request_id), (override));
};

}  // namespace ccm::testing
