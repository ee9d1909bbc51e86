// The X.509 facts instance-principal federation needs from the instance's leaf certificate.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"

namespace ccm::oci {

// The tenancy OCID carried in the leaf certificate subject as an attribute value
// "opc-tenant:<ocid>" (or "opc-identity:<ocid>"), as Oracle's SDKs read it.
Result<std::string> TenancyFromCertificate(std::string_view cert_pem);

// SHA-256 of the certificate's DER, lower-case hex pairs joined by ':' (the Go SDK's form
// for keyId "<tenancy>/fed-x509-sha256/<fingerprint>").
Result<std::string> CertificateSha256Fingerprint(std::string_view cert_pem);

// The base64 body of each "CERTIFICATE" block (armor and line breaks removed), in order.
Result<std::vector<std::string>> CertificateBodies(std::string_view pem);

}  // namespace ccm::oci
