// One X509 trust store per transport, shared by every TLS connection it opens.
//
// libcurl otherwise builds a store per connection (or per pooled handle) and, by default,
// parses the whole system bundle into it: ~0.85 MB for Debian's 144 roots, times every
// connection. Shared, the system roots are read lazily from the hashed certificate directory,
// so only the roots a peer actually chains to are ever loaded.
#pragma once

#include <memory>
#include <string>

#include "pkg/base/error.h"

struct x509_store_st;

namespace ccm {

struct TrustStoreSource {
  std::string ca_pem;        // PEM certificates to trust
  bool system_roots = true;  // also the system's roots (libcurl's built-in CA directory or bundle)
};

class TlsTrustStore {
 public:
  static Result<std::shared_ptr<TlsTrustStore>> Build(const TrustStoreSource& source);
  ~TlsTrustStore();
  TlsTrustStore(const TlsTrustStore&) = delete;
  TlsTrustStore& operator=(const TlsTrustStore&) = delete;

  // Valid for this object's lifetime; OpenSSL reference-counts it for each SSL_CTX using it.
  x509_store_st* get() const { return store_; }
  // "directory /etc/ssl/certs", "bundle ...", "none": where system roots come from (for logs).
  const std::string& system_roots_origin() const { return origin_; }
  int pem_certificates() const { return pem_certificates_; }

 private:
  TlsTrustStore() = default;
  x509_store_st* store_ = nullptr;
  std::string origin_ = "none";
  int pem_certificates_ = 0;
};

}  // namespace ccm
