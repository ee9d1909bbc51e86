// Durable record of which backends this controller registered, per (load balancer, backend
// set), so a node deleted while the controller was down is still removed after a restart and
// hand-added backends are never mistaken for ours.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/cloud/registrar/backend_plan.h"
#include "pkg/kube/rest_client.h"

namespace ccm::cloud::registrar {

using OwnershipByBackendSet = std::map<std::string, Ownership>;

class OwnershipStore {
 public:
  virtual ~OwnershipStore() = default;
  virtual Result<OwnershipByBackendSet> Load(const std::string& lb_id) = 0;
  // Writes one backend set's record (an empty record removes it).
  virtual Status Save(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership) = 0;
  // Load balancers with a record, so sets whose sources vanished while we were down are found.
  virtual Result<std::vector<std::string>> LoadBalancers() = 0;
};

// One ConfigMap per load balancer in the controller's namespace, named
// lb-registrar-<first 20 hex of sha256(lb OCID)>, one data key per backend set. Only the
// load balancer's single writer touches its ConfigMap.
class ConfigMapOwnershipStore final : public OwnershipStore {
 public:
  ConfigMapOwnershipStore(kube::RestClient& client, std::string namespace_name);

  Result<OwnershipByBackendSet> Load(const std::string& lb_id) override;
  Status Save(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership) override;
  Result<std::vector<std::string>> LoadBalancers() override;

  static std::string ConfigMapName(const std::string& lb_id);
  static std::string Encode(const Ownership& ownership);
  static Result<Ownership> Decode(std::string_view text);

 private:
  Result<OwnershipByBackendSet> LoadLocked(const std::string& lb_id);
  Status Write(const std::string& lb_id, const OwnershipByBackendSet& sets, const std::string& resource_version);

  kube::RestClient& client_;
  std::string namespace_;
  std::mutex mu_;
  std::map<std::string, std::pair<OwnershipByBackendSet, std::string>> cache_;  // lb -> (sets, resourceVersion)
};

// For unit tests and the dry-run mode.
class InMemoryOwnershipStore final : public OwnershipStore {
 public:
  Result<OwnershipByBackendSet> Load(const std::string& lb_id) override;
  Status Save(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership) override;
  Result<std::vector<std::string>> LoadBalancers() override;
  int saves() const { return saves_; }

 private:
  std::mutex mu_;
  std::map<std::string, OwnershipByBackendSet> data_;
  int saves_ = 0;
};

}  // namespace ccm::cloud::registrar
