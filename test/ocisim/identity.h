// Instance-principal identity: what IMDS v2 serves (leaf certificate with the tenancy in its
// subject, its key, an intermediate) and the federation endpoint that trades a request
// signed by that leaf key for a session token (JWT) bound to the caller's session key.
#pragma once

#include <chrono>
#include <string>

#include "pkg/base/error.h"
#include "pkg/base/json.h"
#include "pkg/base/mutex.h"
#include "test/ocisim/api_types.h"
#include "test/ocisim/signature_verifier.h"
#include "test/support/test_pki.h"

namespace ccm::ocisim {

struct IdentitySpec {
  std::string tenancy_id = "ocid1.tenancy.oc1..simtenancy";
  std::string instance_id = "ocid1.instance.oc1.phx.simimds";
  std::string compartment_id = "ocid1.compartment.oc1..sim";
  std::string region = "phx";                    // /opc/v2/instance/region
  std::string canonical_region = "us-phoenix-1";
  std::string availability_domain = "Uocm:PHX-AD-1";
  std::string fault_domain = "FAULT-DOMAIN-1";
  std::string display_name = "sim-instance";
  std::string shape = "VM.Standard.E4.Flex";
  // Images from before IMDS v2 serve only /opc/v1; an instance with legacy endpoints disabled
  // serves only /opc/v2 ("Getting Instance Metadata", OCI Compute docs).
  bool v1_enabled = true;
  bool v2_enabled = true;
};

class Identity {
 public:
  // `issuer` (the simulator CA) signs the intermediate, which signs the leaf.
  explicit Identity(testing::KeyPair issuer);

  // Generates a fresh intermediate and leaf for `spec` (RSA keygen: tens of milliseconds).
  Status Generate(const IdentitySpec& spec);
  // Uses explicit PEMs instead (e.g. an identity whose tenancy the caller controls).
  Status SetPems(const IdentitySpec& spec, const std::string& cert_pem, const std::string& key_pem,
                 const std::string& intermediate_pem);
  void SetTokenTtl(std::chrono::seconds ttl);

  // GET /opc/v2/... (requires `Authorization: Bearer Oracle`) and the legacy GET /opc/v1/...
  ApiResponse HandleImds(const ApiRequest& request);
  // Replaces the instance's description (region, compartment, v1/v2) without new keys.
  void SetSpec(const IdentitySpec& spec);
  // POST /v1/x509.
  ApiResponse HandleFederation(const ApiRequest& request, std::chrono::system_clock::time_point now,
                               SignatureVerifier& verifier);

  std::string leaf_cert_pem();
  std::string tenancy_id();
  // Number of tokens issued so far (tests assert renewal).
  int tokens_issued();

 private:
  Status EnsureLocked() REQUIRES(mu_);

  Mutex mu_;
  const testing::KeyPair issuer_;  // set at construction
  IdentitySpec spec_ GUARDED_BY(mu_);
  std::string cert_pem_ GUARDED_BY(mu_);
  std::string key_pem_ GUARDED_BY(mu_);
  std::string intermediate_pem_ GUARDED_BY(mu_);
  std::chrono::seconds token_ttl_ GUARDED_BY(mu_){1200};
  int tokens_issued_ GUARDED_BY(mu_) = 0;
};

}  // namespace ccm::ocisim
