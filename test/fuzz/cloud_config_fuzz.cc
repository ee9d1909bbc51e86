// The --cloud-config file (ParseCloudConfig). Input: YAML, optionally followed by a line
// "#FILE" and the bytes key_file / caBundleFile read as; without it reading a file fails.
// Invariants: a loaded config is valid (OCIDs, key PEM, positive periods); a region or
// compartment it lacks is left empty for instance metadata to fill, never invented; an error lists each problem under its field and never quotes the passphrase or
// the key.
#include <cstdint>
#include <string>

#include "pkg/cloud/config/cloud_config.h"
#include "pkg/cloud/config/instance_defaults.h"
#include "pkg/oci/transport/endpoint.h"
#include "pkg/oci/transport/region.h"
#include "test/fuzz/fuzz_check.h"
#include "test/fuzz/secret_scan.h"

namespace {

using ccm::fuzz::Check;
using ccm::fuzz::Contains;
namespace cloud = ccm::cloud;
namespace oci = ccm::oci;

std::string g_file;
bool g_file_readable = false;

ccm::Result<std::string> ReadFuzzFile(const std::string& path) {
  if (!g_file_readable) return ccm::Fail(ccm::ErrorKind::kInvalidArgument, "cannot open " + path);
  return g_file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kMarker = "\n#FILE\n";
  size_t marker = text.find(kMarker);
  g_file_readable = marker != std::string::npos;
  g_file = g_file_readable ? text.substr(marker + kMarker.size()) : "";
  std::string yaml = g_file_readable ? text.substr(0, marker) : text;

  auto cfg = cloud::ParseCloudConfig(yaml, &ReadFuzzFile);
  if (cfg) {
    // Oracle's file may leave both out: they come from instance metadata at startup.
    Check(cfg->compartment.empty() || cfg->compartment.starts_with("ocid1.compartment.") ||
              cfg->compartment.starts_with("ocid1.tenancy."),
          "a loaded config has a compartment OCID or none", cfg->compartment);
    Check(cloud::NeedsInstanceMetadata(*cfg) == (cfg->auth.region.empty() || cfg->compartment.empty()),
          "a config without region or compartment asks instance metadata for them");
    if (!cfg->use_instance_principals) {
      Check(cfg->auth.private_key_pem.find("-----BEGIN") != std::string::npos, "a loaded config has a PEM key");
      Check(cfg->auth.tenancy.starts_with("ocid1.tenancy.") && cfg->auth.user.starts_with("ocid1.user.") &&
                cfg->auth.fingerprint.size() == 47,
            "a loaded API-key config has tenancy, user and fingerprint");
    }
    const auto& r = cfg->registrar;
    Check(r.drain_period.count() >= 0 && r.resync_period.count() > 0 && r.work_request_timeout.count() > 0,
          "registrar periods are positive");
    Check(cfg->rate_limits.read_burst >= 1 && cfg->rate_limits.write_burst >= 1, "bursts are at least 1");
    for (const auto* url : {&cfg->endpoints.load_balancer, &cfg->endpoints.compute, &cfg->endpoints.auth}) {
      Check(url->empty() || (url->starts_with("http") && !url->ends_with("/")), "endpoints are URLs without a trailing slash", *url);
    }
    if (!cfg->auth.region.empty()) {
      const oci::RegionInfo where = oci::LookupRegion(cfg->auth.region);
      auto resolved = oci::EndpointsForRegion(where.region, where.domain, {.load_balancer = cfg->endpoints.load_balancer});
      Check(!resolved.load_balancer.base_url.empty() && !resolved.compute.base_url.empty(), "endpoints resolve");
    }
    return 0;
  }
  const std::string& m = cfg.error().message;
  Check(!m.empty(), "a cloud-config error says what is wrong");
  if (m.starts_with("invalid cloud-config (")) {
    // Each problem is "  - <field>: <what>".
    size_t pos = m.find("\n  - ");
    Check(pos != std::string::npos, "an invalid cloud-config lists its problems", m);
    while (pos != std::string::npos) {
      size_t next = m.find("\n  - ", pos + 1);
      std::string_view item = std::string_view(m).substr(pos + 5, next == std::string::npos ? std::string::npos : next - pos - 5);
      // A key may itself contain ": ", so only an empty name right before a message counts.
      bool unnamed = item.starts_with(": unknown field") || item.starts_with(": must") || item.starts_with(": is ");
      Check(item.find(": ") != std::string_view::npos && !unnamed, "each problem names its field", item);
      pos = next;
    }
  }
  ccm::fuzz::CheckSecretsNotQuoted(yaml, m, {"passphrase", "key_passphrase", "key"}, [](const std::string& y) {
    auto again = cloud::ParseCloudConfig(y, &ReadFuzzFile);
    return again ? std::string() : again.error().message;
  });
  if (g_file_readable && g_file.size() >= 24 && !Contains(yaml, g_file)) {
    Check(!Contains(m, g_file), "a cloud-config error never quotes the key file's content", m);
  }
  return 0;
}
