// kubeconfig YAML (ParseKubeconfig). Relative file references resolve in a scratch directory
// holding a CA, a client certificate and key, and a token file. Invariants: a loaded config
// talks https to a host without a trailing slash; an error says what is wrong and never
// quotes a token or client key.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "pkg/kube/client/rest_config.h"
#include "test/fuzz/fuzz_check.h"
#include "test/fuzz/secret_scan.h"

namespace {

using ccm::fuzz::Check;
using ccm::fuzz::Contains;
namespace kube = ccm::kube;

std::string g_dir;

void Write(const std::string& name, const std::string& text) {
  std::ofstream(g_dir + "/" + name) << text;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char tmpl[] = "/tmp/kubeconfig-fuzz-XXXXXX";
  Check(mkdtemp(tmpl) != nullptr, "making the scratch directory");
  g_dir = tmpl;
  Write("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIBfuzz\n-----END CERTIFICATE-----\n");
  Write("client.crt", "-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n");
  Write("client.key", "-----BEGIN PRIVATE KEY-----\nMIIBkey\n-----END PRIVATE KEY-----\n");
  Write("token", "file-token-0123456789\n");
  Write("empty", "");
  std::atexit([] { std::filesystem::remove_all(g_dir); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string yaml(reinterpret_cast<const char*>(data), size);
  // Files outside the scratch directory could be devices that never end.
  for (std::string_view bad : {"/dev", "dev/", "/proc", "proc/", "/sys", "sys/", "/run", "/var"}) {
    if (Contains(yaml, bad)) return 0;
  }
  kube::KubeconfigOptions options;
  if (size > 0 && (data[size - 1] & 1)) options.master = "https://10.0.0.1:6443/";
  if (size > 0 && (data[size - 1] & 2)) options.context = "other";

  auto config = kube::ParseKubeconfig(yaml, g_dir, options, ccm::Clock::Real());
  if (config) {
    Check(config->host.starts_with("https://"), "a kubeconfig host is https", config->host);
    Check(!config->host.ends_with("/"), "a kubeconfig host has no trailing slash", config->host);
    if (!options.master.empty()) Check(config->host == "https://10.0.0.1:6443", "--master overrides the server");
    Check(!config->description.empty(), "a loaded config says where it came from");
    if (config->token_source) {
      auto token = config->token_source->Token();
      Check(token.has_value(), "a loaded token source yields a token");
    }
    Check(config->tls.client_cert_pem.empty() == config->tls.client_key_pem.empty(),
          "a client certificate comes with its key");
    return 0;
  }
  const std::string& m = config.error().message;
  Check(!m.empty(), "a kubeconfig error says what is wrong");
  ccm::fuzz::CheckSecretsNotQuoted(yaml, m, {"token", "client-key-data"}, [&](const std::string& y) {
    auto again = kube::ParseKubeconfig(y, g_dir, options, ccm::Clock::Real());
    return again ? std::string() : again.error().message;
  });
  return 0;
}
