// Durable record of which backends this controller registered, per (load balancer, backend
// set), so a node deleted while the controller was down is still removed after a restart and
// hand-added backends are never mistaken for ours.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/mutex.h"
#include "pkg/cloud/registrar/backend_plan.h"
#include "pkg/cloud/registrar/compact_ownership.h"
#include "pkg/kube/rest_client.h"

namespace ccm::cloud::registrar {

// Backend set -> the sources ("LBRegistrar/x", "Service/ns/y") its record names.
using RecordedSets = std::map<std::string, std::set<std::string>>;

class OwnershipStore {
 public:
  virtual ~OwnershipStore() = default;
  // One backend set's record; empty when there is none.
  virtual Result<Ownership> Load(const std::string& lb_id, const std::string& backend_set) = 0;
  // Every backend set of `lb_id` with a record, so sets whose sources vanished are found.
  virtual Result<RecordedSets> Recorded(const std::string& lb_id) = 0;
  // Writes one backend set's record (an empty record removes it).
  virtual Status Save(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership) = 0;
  // Load balancers with a record, so sets whose sources vanished while we were down are found.
  virtual Result<std::vector<std::string>> LoadBalancers() = 0;
};

// One ConfigMap per (load balancer, backend set) in the controller's namespace, named
// lb-registrar-<20 hex of sha256(lb OCID)>-<10 hex of sha256(set)>, so no record nears the
// 1 MiB object limit (a set of 5,000 instance-OCID backends is ~450 KB) and a write carries
// one set. All records are listed once (by label) and then kept in memory, compactly and in
// one table (load balancers share their instances): only a load balancer's single writer
// changes its records.
class ConfigMapOwnershipStore final : public OwnershipStore {
 public:
  ConfigMapOwnershipStore(kube::RestClient& client, std::string namespace_name);

  Result<Ownership> Load(const std::string& lb_id, const std::string& backend_set) override;
  Result<RecordedSets> Recorded(const std::string& lb_id) override;
  Status Save(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership) override;
  Result<std::vector<std::string>> LoadBalancers() override;

  static std::string ConfigMapName(const std::string& lb_id, const std::string& backend_set);
  static std::string Encode(const Ownership& ownership);
  static Result<Ownership> Decode(std::string_view text);

 private:
  Status EnsureLoadedLocked() REQUIRES(mu_);
  Status Write(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership,
               const std::string& resource_version) REQUIRES(mu_);

  kube::RestClient& client_;
  std::string namespace_;
  Mutex mu_;
  bool loaded_ GUARDED_BY(mu_) = false;
  CompactOwnership records_ GUARDED_BY(mu_);
  std::map<std::string, std::string> versions_ GUARDED_BY(mu_);      // ConfigMap name -> resourceVersion
};

// For unit tests.
class InMemoryOwnershipStore final : public OwnershipStore {
 public:
  Result<Ownership> Load(const std::string& lb_id, const std::string& backend_set) override;
  Result<RecordedSets> Recorded(const std::string& lb_id) override;
  Status Save(const std::string& lb_id, const std::string& backend_set, const Ownership& ownership) override;
  Result<std::vector<std::string>> LoadBalancers() override;
  int saves() const {
    MutexLock lock(mu_);
    return saves_;
  }

 private:
  mutable Mutex mu_;
  std::map<std::string, std::map<std::string, Ownership>> data_ GUARDED_BY(mu_);
  int saves_ GUARDED_BY(mu_) = 0;
};

}  // namespace ccm::cloud::registrar
