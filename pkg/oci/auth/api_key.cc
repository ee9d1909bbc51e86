#include "pkg/oci/auth/api_key.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "pkg/base/status_macros.h"

namespace ccm::oci {
namespace {

std::string NormalizeFingerprint(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

Result<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorKind::kInvalidArgument,
                "private_key_path: cannot read '" + path + "'; check that the file exists and is readable");
  }
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

}  // namespace

Result<ApiKeyCredentials> LoadApiKey(const ApiKeyConfig& config) {
  if (config.tenancy.empty()) return Fail(ErrorKind::kInvalidArgument, "tenancy: the tenancy OCID is required for API key authentication");
  if (config.user.empty()) return Fail(ErrorKind::kInvalidArgument, "user: the user OCID is required for API key authentication");
  if (config.fingerprint.empty()) {
    return Fail(ErrorKind::kInvalidArgument, "fingerprint: the API key fingerprint is required (OCI console: User > API Keys)");
  }
  if (config.private_key_pem.empty() && config.private_key_path.empty()) {
    return Fail(ErrorKind::kInvalidArgument, "private key: set the API signing key (private_key_pem or private_key_path)");
  }

  std::string pem;
  std::string what = "API private key";
  if (!config.private_key_pem.empty()) {
    pem = config.private_key_pem;
  } else {
    ASSIGN_OR_RETURN(auto read, ReadKeyFile(config.private_key_path));
    pem = std::move(read);
    what = "API private key file '" + config.private_key_path + "'";
  }
  ASSIGN_OR_RETURN(auto key, RsaPrivateKey::FromPem(pem, config.passphrase, what));

  const std::string configured = NormalizeFingerprint(config.fingerprint);
  const std::string actual = key.Fingerprint();
  if (configured != actual) {
    return Fail(ErrorKind::kInvalidArgument,
                "fingerprint: the configured fingerprint " + configured + " does not match the private key, whose "
                "fingerprint is " + actual + "; set fingerprint to " + actual +
                " if that key is uploaded to the user's API keys, or configure the private key whose fingerprint is " +
                configured);
  }
  return ApiKeyCredentials{config.tenancy + "/" + config.user + "/" + actual, std::move(key)};
}

}  // namespace ccm::oci
