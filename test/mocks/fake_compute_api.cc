#include "test/mocks/fake_compute_api.h"

namespace ccm::testing {

std::optional<Error> FakeComputeApi::Enter(const std::string& operation) {
  ++calls_[operation];
  if (auto it = errors_.find(operation); it != errors_.end()) return it->second;
  return std::nullopt;
}

Error FakeComputeApi::HttpError(int status, const std::string& code) {
  ErrorKind kind = status == 401   ? ErrorKind::kUnauthenticated
                   : status == 403 ? ErrorKind::kForbidden
                   : status == 404 ? ErrorKind::kNotFound
                   : status == 429 ? ErrorKind::kTooManyRequests
                                   : ErrorKind::kUnavailable;
  Error e = MakeError(kind, code + " (fake)");
  e.http_status = status;
  e.code = code;
  return e;
}

Error FakeComputeApi::NotFound(const std::string& what) {
  Error e = HttpError(404, "NotAuthorizedOrNotFound");
  e.message = what + " not found or you are not authorized to access it";
  return e;
}

Result<oci::Instance> FakeComputeApi::GetInstance(const std::string& instance_id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("GetInstance")) return Fail(*e);
  auto it = instances_.find(instance_id);
  if (it == instances_.end()) return Fail(NotFound("Instance " + instance_id));
  return it->second;
}

Result<std::vector<oci::Instance>> FakeComputeApi::ListInstances(const std::string& compartment_id,
                                                                 const std::string& display_name) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("ListInstances")) return Fail(*e);
  std::vector<oci::Instance> out;
  for (const auto& [id, inst] : instances_) {
    if (inst.compartment_id != compartment_id) continue;
    if (!display_name.empty() && inst.display_name != display_name) continue;
    out.push_back(inst);
  }
  return out;
}

Result<std::vector<oci::VnicAttachment>> FakeComputeApi::ListVnicAttachments(const std::string& compartment_id,
                                                                             const std::string& instance_id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("ListVnicAttachments")) return Fail(*e);
  std::vector<oci::VnicAttachment> out;
  for (const auto& a : attachments_) {
    if (attachment_compartments_[a.id] != compartment_id) continue;
    if (!instance_id.empty() && a.instance_id != instance_id) continue;
    out.push_back(a);
  }
  return out;
}

Result<oci::Vnic> FakeComputeApi::GetVnic(const std::string& vnic_id) {
  std::lock_guard lock(mu_);
  if (auto e = Enter("GetVnic")) return Fail(*e);
  auto it = vnics_.find(vnic_id);
  if (it == vnics_.end()) return Fail(NotFound("Vnic " + vnic_id));
  return it->second;
}

void FakeComputeApi::PutInstance(const oci::Instance& instance) {
  std::lock_guard lock(mu_);
  instances_[instance.id] = instance;
}

void FakeComputeApi::RemoveInstance(const std::string& instance_id) {
  std::lock_guard lock(mu_);
  instances_.erase(instance_id);
}

void FakeComputeApi::SetLifecycleState(const std::string& instance_id, const std::string& state) {
  std::lock_guard lock(mu_);
  instances_.at(instance_id).lifecycle_state = state;
}

void FakeComputeApi::AttachVnic(const std::string& instance_id, const oci::Vnic& vnic) {
  std::lock_guard lock(mu_);
  oci::VnicAttachment a{.id = "ocid1.vnicattachment.oc1..a" + std::to_string(attachments_.size()),
                        .instance_id = instance_id,
                        .vnic_id = vnic.id,
                        .lifecycle_state = "ATTACHED",
                        .subnet_id = vnic.subnet_id};
  attachment_compartments_[a.id] = instances_.at(instance_id).compartment_id;
  attachments_.push_back(a);
  vnics_[vnic.id] = vnic;
}

void FakeComputeApi::SetError(const std::string& operation, Error error) {
  std::lock_guard lock(mu_);
  errors_[operation] = std::move(error);
}

void FakeComputeApi::ClearError(const std::string& operation) {
  std::lock_guard lock(mu_);
  errors_.erase(operation);
}

int FakeComputeApi::Calls(const std::string& operation) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(operation);
  return it == calls_.end() ? 0 : it->second;
}

int FakeComputeApi::TotalCalls() const {
  std::lock_guard lock(mu_);
  int total = 0;
  for (const auto& [op, n] : calls_) total += n;
  return total;
}

void FakeComputeApi::ResetCalls() {
  std::lock_guard lock(mu_);
  calls_.clear();
}

}  // namespace ccm::testing
