// An in-memory Compute API (instances, VNIC attachments, VNICs) for unit tests, with
// per-operation call counts and injectable errors. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pkg/oci/clients/compute_client.h"

namespace ccm::testing {

class FakeComputeApi final : public oci::ComputeApi {
 public:
  Result<oci::Instance> GetInstance(const std::string& instance_id) override;
  Result<std::vector<oci::Instance>> ListInstances(const std::string& compartment_id,
                                                   const std::string& display_name = "") override;
  Result<std::vector<oci::VnicAttachment>> ListVnicAttachments(const std::string& compartment_id,
                                                               const std::string& instance_id = "") override;
  Result<oci::Vnic> GetVnic(const std::string& vnic_id) override;

  void PutInstance(const oci::Instance& instance);
  void RemoveInstance(const std::string& instance_id);
  void SetLifecycleState(const std::string& instance_id, const std::string& state);
  // Adds an ATTACHED VNIC to the instance (in the instance's compartment).
  void AttachVnic(const std::string& instance_id, const oci::Vnic& vnic);

  // Every later call of `operation` fails with `error` (until ClearError).
  void SetError(const std::string& operation, Error error);
  void ClearError(const std::string& operation);
  // OCI's answer for a missing or unauthorized resource.
  static Error NotFound(const std::string& what);
  static Error HttpError(int status, const std::string& code);

  int Calls(const std::string& operation) const;
  int TotalCalls() const;
  void ResetCalls();

 private:
  std::optional<Error> Enter(const std::string& operation);

  mutable std::mutex mu_;
  std::map<std::string, oci::Instance> instances_;
  std::vector<oci::VnicAttachment> attachments_;
  std::map<std::string, std::string> attachment_compartments_;  // attachment id -> compartment
  std::map<std::string, oci::Vnic> vnics_;
  std::map<std::string, Error> errors_;
  std::map<std::string, int> calls_;
};

}  // namespace ccm::testing
