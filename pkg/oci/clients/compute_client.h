// Compute / VCN API (20160918): instances and their VNICs, for node addresses and zones.
// List calls return every page.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/oci/models/compute_models.h"
#include "pkg/oci/transport/oci_transport.h"

namespace ccm::oci {

class ComputeApi {
 public:
  virtual ~ComputeApi() = default;
  virtual Result<Instance> GetInstance(const std::string& instance_id) = 0;
  // `display_name` filters when non-empty.
  virtual Result<std::vector<Instance>> ListInstances(const std::string& compartment_id,
                                                      const std::string& display_name = "") = 0;
  // `instance_id` filters when non-empty.
  virtual Result<std::vector<VnicAttachment>> ListVnicAttachments(const std::string& compartment_id,
                                                                  const std::string& instance_id = "") = 0;
  virtual Result<Vnic> GetVnic(const std::string& vnic_id) = 0;
};

class ComputeClient final : public ComputeApi {
 public:
  ComputeClient(OciTransport& transport, Endpoint endpoint, const std::atomic<bool>* shutdown = nullptr)
      : transport_(transport), endpoint_(std::move(endpoint)), shutdown_(shutdown) {}

  Result<Instance> GetInstance(const std::string& instance_id) override;
  Result<std::vector<Instance>> ListInstances(const std::string& compartment_id,
                                              const std::string& display_name = "") override;
  Result<std::vector<VnicAttachment>> ListVnicAttachments(const std::string& compartment_id,
                                                          const std::string& instance_id = "") override;
  Result<Vnic> GetVnic(const std::string& vnic_id) override;

 private:
  OciTransport& transport_;
  Endpoint endpoint_;
  const std::atomic<bool>* shutdown_;
};

}  // namespace ccm::oci
