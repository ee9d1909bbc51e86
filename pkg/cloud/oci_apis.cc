#include "pkg/cloud/oci_apis.h"

#include <glog/logging.h>
#include <openssl/sha.h>

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "pkg/oci/auth/api_key_signer.h"
#include "pkg/oci/auth/instance_principal_signer.h"
#include "pkg/oci/auth/rsa_key.h"
#include "pkg/oci/transport/endpoint.h"
#include "pkg/oci/transport/region.h"

namespace ccm::cloud {

struct OciApis::Stack {
  std::string region;
  std::shared_ptr<oci::RequestSigner> signer;  // shared by the stacks of other regions
  std::unique_ptr<oci::OciTransport> transport;
  std::unique_ptr<oci::LoadBalancerClient> lb;
  std::unique_ptr<oci::NetworkLoadBalancerClient> nlb;
  std::unique_ptr<oci::ComputeClient> compute;
  std::unique_ptr<oci::VirtualNetworkClient> virtual_network;
  std::unique_ptr<oci::LbBackendSetApi> lb_api;
  std::unique_ptr<oci::NlbBackendSetApi> nlb_api;
};

OciApis::OciApis(const CloudConfig& config, const Clock& clock, oci::OciCallObserver* observer,
                 const std::atomic<bool>* shutdown)
    : config_(config), clock_(clock), observer_(observer), shutdown_(shutdown) {
  http_ = std::make_unique<CurlTransport>(CurlTransportOptions{.tls = {.ca_pem = config.extra_ca_pem}});
}

OciApis::~OciApis() = default;

Result<std::unique_ptr<OciApis::Stack>> OciApis::BuildStack(std::shared_ptr<oci::RequestSigner> signer,
                                                            const std::string& region, const std::string& realm_hint) {
  auto stack = std::make_unique<Stack>();
  const oci::RegionInfo where = oci::LookupRegion(region, realm_hint);
  if (!where.warning.empty()) LOG(WARNING) << where.warning;
  stack->region = where.region;
  stack->signer = std::move(signer);
  oci::OciTransportOptions options;
  options.read_limit = {config_.rate_limits.read_qps, config_.rate_limits.read_burst};
  options.write_limit = {config_.rate_limits.write_qps, config_.rate_limits.write_burst};
  options.request_timeout = config_.request_timeout;
  stack->transport = std::make_unique<oci::OciTransport>(*http_, *stack->signer, clock_, options, observer_);
  oci::ServiceEndpoints endpoints = oci::EndpointsForRegion(
      where.region, where.domain,
      {.load_balancer = config_.endpoints.load_balancer,
       .network_load_balancer = config_.endpoints.network_load_balancer,
       .compute = config_.endpoints.compute});
  stack->lb = std::make_unique<oci::LoadBalancerClient>(*stack->transport, endpoints.load_balancer, shutdown_);
  stack->nlb = std::make_unique<oci::NetworkLoadBalancerClient>(*stack->transport, endpoints.network_load_balancer, shutdown_);
  stack->compute = std::make_unique<oci::ComputeClient>(*stack->transport, endpoints.compute, shutdown_);
  stack->virtual_network = std::make_unique<oci::VirtualNetworkClient>(*stack->transport, endpoints.compute, shutdown_);
  stack->lb_api = std::make_unique<oci::LbBackendSetApi>(*stack->lb);
  stack->nlb_api = std::make_unique<oci::NlbBackendSetApi>(*stack->nlb);
  return stack;
}

Result<std::unique_ptr<OciApis>> OciApis::Create(const CloudConfig& config, const Clock& clock,
                                                 oci::OciCallObserver* observer, const std::atomic<bool>* shutdown) {
  std::unique_ptr<OciApis> apis(new OciApis(config, clock, observer, shutdown));
  std::unique_ptr<oci::RequestSigner> signer;
  std::string region = config.auth.region;
  if (config.use_instance_principals) {
    oci::InstancePrincipalOptions options;
    if (!config.endpoints.metadata.empty()) options.metadata_base_url = config.endpoints.metadata;
    options.region = config.auth.region;
    options.federation_endpoint = config.endpoints.auth;
    auto ip = oci::InstancePrincipalSigner::Create(*apis->http_, clock, options);
    if (!ip) return Fail(ip.error().Wrap("instance principals (useInstancePrincipals: true)"));
    if (auto st = (*ip)->Refresh(); !st) return Fail(st.error().Wrap("instance principals: first token"));
    if (region.empty()) region = (*ip)->region();
    signer = std::move(*ip);
  } else {
    // Name the cloud-config field a key problem lies in: the signer knows only "API private key".
    const std::string key_field =
        config.auth.key_file.empty() ? std::string("auth.key") : "auth.key_file " + config.auth.key_file;
    if (auto parsed = oci::RsaPrivateKey::FromPem(config.auth.private_key_pem, config.auth.passphrase, key_field);
        !parsed) {
      const bool encrypted = config.auth.private_key_pem.find("ENCRYPTED") != std::string::npos;
      return Fail(ErrorKind::kInvalidArgument,
                  "cloud-config " + std::string(encrypted ? "auth.passphrase: " : "") + parsed.error().message);
    }
    auto key = oci::ApiKeySigner::Create({.tenancy = config.auth.tenancy, .user = config.auth.user,
                                          .fingerprint = config.auth.fingerprint,
                                          .private_key_pem = config.auth.private_key_pem,
                                          .passphrase = config.auth.passphrase},
                                         clock);
    if (!key) return Fail(key.error().Wrap("cloud-config auth"));
    signer = std::move(*key);
  }
  ASSIGN_OR_RETURN(auto stack, apis->BuildStack(std::move(signer), region));
  apis->default_ = std::move(stack);
  return apis;
}

oci::ComputeApi& OciApis::compute() { return *default_->compute; }

oci::VirtualNetworkApi& OciApis::virtual_network() { return *default_->virtual_network; }

Result<oci::BackendSetApi*> OciApis::For(const std::string& lb_id, const registrar::ApiKeyMaterial* key) {
  ASSIGN_OR_RETURN(auto kind, oci::LoadBalancerKindOf(lb_id));
  // A load balancer answers only at its own region's endpoint; its OCID names the region.
  const oci::OcidLocation home = oci::LocationOfOcid(lb_id);
  Stack* stack = default_.get();
  if (key == nullptr) {
    MutexLock lock(mu_);
    UseLocked(lb_id, "");
  }
  if (key != nullptr) {
    std::string identity = key->ref.tenancy + "\n" + key->ref.user + "\n" + key->ref.fingerprint + "\n" +
                           key->ref.region + "\n" + key->private_key_pem;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(identity.data()), identity.size(), digest);
    const std::string region = home.region.empty() ? key->ref.region : home.region;
    std::string slot_key(reinterpret_cast<const char*>(digest), sizeof(digest));
    slot_key += "\n" + region;
    MutexLock lock(mu_);
    auto& slot = keyed_[slot_key];
    if (!slot) {
      auto signer = oci::ApiKeySigner::Create({.tenancy = key->ref.tenancy, .user = key->ref.user,
                                               .fingerprint = key->ref.fingerprint,
                                               .private_key_pem = key->private_key_pem},
                                              clock_);
      if (!signer) {
        keyed_.erase(slot_key);
        Error e = signer.error().Wrap("spec.apiKey");
        e.kind = ErrorKind::kInvalidArgument;
        return Fail(e);
      }
      auto built = BuildStack(std::move(*signer), region, home.realm);
      if (!built) {
        keyed_.erase(slot_key);
        return Fail(built.error());
      }
      slot = std::move(*built);
    }
    stack = slot.get();
    UseLocked(lb_id, slot_key);
  } else if (!home.region.empty() && home.region != default_->region) {
    MutexLock lock(mu_);
    auto& slot = regional_[home.region];
    if (!slot) {
      auto built = BuildStack(default_->signer, home.region, home.realm);
      if (!built) {
        regional_.erase(home.region);
        return Fail(built.error());
      }
      LOG(INFO) << "load balancers in region " << home.region << " are called at " << home.region
                << "'s endpoints (the cloud-config's region is " << default_->region << ")";
      slot = std::move(*built);
    }
    stack = slot.get();
  }
  if (kind == oci::LoadBalancerKind::kNetworkLoadBalancer) return static_cast<oci::BackendSetApi*>(stack->nlb_api.get());
  return static_cast<oci::BackendSetApi*>(stack->lb_api.get());
}

void OciApis::UseLocked(const std::string& lb_id, const std::string& slot_key) {
  std::string previous;
  if (auto it = stack_of_lb_.find(lb_id); it != stack_of_lb_.end()) previous = it->second;
  if (slot_key.empty()) stack_of_lb_.erase(lb_id);
  else stack_of_lb_[lb_id] = slot_key;
  if (previous.empty() || previous == slot_key) return;
  for (const auto& [lb, used] : stack_of_lb_) {
    if (used == previous) return;
  }
  keyed_.erase(previous);
}

size_t OciApis::KeyedStacks() {
  MutexLock lock(mu_);
  return keyed_.size();
}

}  // namespace ccm::cloud
