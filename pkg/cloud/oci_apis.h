// Builds the OCI client stacks (signer -> transport -> LB / NLB / Compute clients) from the
// cloud-config, one more per distinct LBRegistrar API key, and one per other region a load
// balancer OCID names (a load balancer is served only by its own region's endpoint, in that
// region's realm domain). Key material is held in memory only.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "pkg/base/clock.h"
#include "pkg/base/curl_transport.h"
#include "pkg/base/mutex.h"
#include "pkg/cloud/config/cloud_config.h"
#include "pkg/cloud/registrar/backend_set_api_resolver.h"
#include "pkg/oci/auth/request_signer.h"
#include "pkg/oci/clients/compute_client.h"
#include "pkg/oci/clients/lb_backend_set_api.h"
#include "pkg/oci/clients/load_balancer_client.h"
#include "pkg/oci/clients/network_load_balancer_client.h"
#include "pkg/oci/clients/nlb_backend_set_api.h"
#include "pkg/oci/clients/virtual_network_client.h"
#include "pkg/oci/transport/call_observer.h"
#include "pkg/oci/transport/oci_transport.h"

namespace ccm::cloud {

class OciApis final : public registrar::BackendSetApiResolver {
 public:
  // Loads and checks the credentials (key parses, fingerprint matches; instance principals:
  // IMDS answers) so a bad configuration fails at start-up, not at the first write.
  static Result<std::unique_ptr<OciApis>> Create(const CloudConfig& config, const Clock& clock,
                                                 oci::OciCallObserver* observer = nullptr,
                                                 const std::atomic<bool>* shutdown = nullptr);
  ~OciApis() override;

  Result<oci::BackendSetApi*> For(const std::string& lb_id, const registrar::ApiKeyMaterial* key) override;
  oci::ComputeApi& compute();
  // Public and private IPs (the ReservedIP controller), with the cloud-config's credentials.
  oci::VirtualNetworkApi& virtual_network();
  // Client stacks built for LBRegistrar keys and still in use by some load balancer.
  size_t KeyedStacks();

 private:
  struct Stack;
  OciApis(const CloudConfig& config, const Clock& clock, oci::OciCallObserver* observer,
          const std::atomic<bool>* shutdown);
  Result<std::unique_ptr<Stack>> BuildStack(std::shared_ptr<oci::RequestSigner> signer, const std::string& region,
                                            const std::string& realm_hint = "");
  // Records that `lb_id` now uses the keyed stack `slot_key` ("": not a keyed one); a keyed
  // stack no load balancer uses any more is dropped, so rotated keys do not accumulate.
  // Needs mu_.
  void UseLocked(const std::string& lb_id, const std::string& slot_key) REQUIRES(mu_);

  CloudConfig config_;
  const Clock& clock_;
  oci::OciCallObserver* observer_;
  const std::atomic<bool>* shutdown_;
  std::unique_ptr<CurlTransport> http_;
  std::unique_ptr<Stack> default_;
  Mutex mu_;
  std::map<std::string, std::unique_ptr<Stack>> keyed_ GUARDED_BY(mu_);     // sha256 of key identity + PEM, region -> stack
  std::map<std::string, std::unique_ptr<Stack>> regional_ GUARDED_BY(mu_);  // other regions with the cloud-config's signer
  std::map<std::string, std::string> stack_of_lb_ GUARDED_BY(mu_);          // lb -> keyed_ slot it last used
};

}  // namespace ccm::cloud
