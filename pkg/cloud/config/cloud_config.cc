#include "pkg/cloud/config/cloud_config.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "pkg/base/strings.h"
#include "pkg/oci/ocid.h"
#include "pkg/oci/transport/region.h"

namespace ccm::cloud {
namespace {

// Keys of Oracle's cloud-provider.yaml that this controller does not use; accepted so the
// same file serves both controllers.
const std::set<std::string> kOracleOnlyKeys = {"loadBalancer", "metadata", "tags", "initialKeys"};

class Problems {
 public:
  // An empty key (`"": 1`, a bare tag) is still named, so every problem points somewhere.
  void Add(const std::string& field, const std::string& what) {
    items_.push_back((field.empty() ? std::string("\"\" (an empty key)") : field) + ": " + what);
  }
  bool empty() const { return items_.empty(); }
  std::string Join() const {
    std::string out = "invalid cloud-config (" + std::to_string(items_.size()) + " problem" +
                      (items_.size() == 1 ? "" : "s") + "):";
    for (const auto& i : items_) out += "\n  - " + i;
    return out;
  }

 private:
  std::vector<std::string> items_;
};

bool IsFingerprint(const std::string& value) {
  if (value.size() != 47) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    if (i % 3 == 2) {
      if (value[i] != ':') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(value[i]))) {
      return false;
    }
  }
  return true;
}

bool IsHttpUrl(const std::string& value) {
  return value.starts_with("https://") || value.starts_with("http://");
}

// Reads a scalar; a non-scalar is reported and yields "".
std::string Scalar(const YAML::Node& parent, const char* key, const std::string& path, Problems& p) {
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) return "";
  if (!n.IsScalar()) {
    p.Add(path, "must be a string");
    return "";
  }
  return n.Scalar();
}

std::optional<bool> Boolean(const YAML::Node& parent, const char* key, const std::string& path, Problems& p) {
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) return std::nullopt;
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    p.Add(path, "must be true or false");
    return std::nullopt;
  }
  return v;
}

template <typename T>
void Number(const YAML::Node& parent, const char* key, const std::string& path, T& out, T min, Problems& p) {
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) return;
  T v{};
  if (!n.IsScalar() || !YAML::convert<T>::decode(n, v) || v < min) {
    std::ostringstream msg;
    msg << "must be a number of at least " << min;
    p.Add(path, msg.str());
    return;
  }
  out = v;
}

void DurationField(const YAML::Node& parent, const char* key, const std::string& path,
                   std::chrono::seconds& out, Problems& p, bool allow_zero = false) {
  std::string text = Scalar(parent, key, path, p);
  if (text.empty()) return;
  auto ms = ParseDuration(text);
  auto d = ms ? std::optional(std::chrono::duration_cast<std::chrono::seconds>(*ms)) : std::nullopt;
  if (!d || d->count() < 0 || (d->count() == 0 && !allow_zero)) {
    p.Add(path, allow_zero ? "must be a duration such as 0s, 30s or 5m" : "must be a positive duration such as 30s, 5m or 1h");
    return;
  }
  // Past a day nothing is gained, and far larger values overflow clock arithmetic.
  if (*d > std::chrono::hours(24)) {
    p.Add(path, "must be at most 24h (got " + text + ")");
    return;
  }
  out = *d;
}

// yaml-cpp keeps both entries of a repeated key and reads the first: a second section
// appended by a script would be silently ignored.
void CheckDuplicateKeys(const YAML::Node& node, const std::string& path, Problems& p) {
  if (node.IsMap()) {
    std::set<std::string> seen;
    for (const auto& kv : node) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      std::string child = path.empty() ? key : path + "." + key;
      if (!seen.insert(key).second) {
        p.Add(child, "duplicate key: only the first one would apply; merge them into one");
        continue;
      }
      CheckDuplicateKeys(kv.second, child, p);
    }
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) CheckDuplicateKeys(node[i], path + "[" + std::to_string(i) + "]", p);
  }
}

// Every PEM block decodes as an X.509 certificate (a truncated paste does not).
bool AllCertificatesParse(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  int parsed = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++parsed;
  }
  ERR_clear_error();
  size_t blocks = 0;
  for (size_t i = pem.find("-----BEGIN"); i != std::string::npos; i = pem.find("-----BEGIN", i + 1)) ++blocks;
  return parsed > 0 && static_cast<size_t>(parsed) == blocks;
}

// Bounded both ways: under a second a healthy OCI call can time out; past the transport's
// two-minute retry deadline the timeout would never apply.
constexpr std::chrono::milliseconds kMinRequestTimeout{1000};
constexpr std::chrono::milliseconds kMaxRequestTimeout{120000};

void ParseRequestTimeout(const YAML::Node& root, std::chrono::milliseconds& out, Problems& p) {
  std::string text = Scalar(root, "requestTimeout", "requestTimeout", p);
  if (text.empty()) return;
  auto d = ParseDuration(text);
  if (!d || *d < kMinRequestTimeout || *d > kMaxRequestTimeout) {
    p.Add("requestTimeout", "must be a duration from 1s to 2m such as 10s (got '" + text +
                                "'): how long one OCI request may take before it is retried");
    return;
  }
  out = *d;
}

std::vector<std::string> StringList(const YAML::Node& parent, const char* key, const std::string& path,
                                    Problems& p) {
  std::vector<std::string> out;
  YAML::Node n = parent[key];
  if (!n || n.IsNull()) return out;
  if (!n.IsSequence()) {
    p.Add(path, "must be a list of strings");
    return out;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar()) {
      p.Add(path + "[" + std::to_string(i) + "]", "must be a string");
      continue;
    }
    out.push_back(n[i].Scalar());
  }
  return out;
}

void CheckKnownKeys(const YAML::Node& node, const std::string& path, const std::set<std::string>& known,
                    Problems& p) {
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    if (!known.contains(key)) {
      p.Add(path.empty() ? key : path + "." + key, "unknown field (check its spelling in docs/configuration.md)");
    }
  }
}

void ParseAuth(const YAML::Node& auth, CloudConfig& cfg, FileReader read_file, Problems& p) {
  if (auth && !auth.IsMap()) {
    p.Add("auth", "must be a mapping");
    return;
  }
  if (auth) {
    CheckKnownKeys(auth, "auth", {"region", "tenancy", "user", "key", "key_file", "fingerprint", "passphrase",
                                  "key_passphrase", "useInstancePrincipals", "compartment"},
                   p);
    if (auto legacy = Boolean(auth, "useInstancePrincipals", "auth.useInstancePrincipals", p); legacy) {
      cfg.use_instance_principals = cfg.use_instance_principals || *legacy;
      cfg.warnings.push_back("auth.useInstancePrincipals is deprecated: set useInstancePrincipals at the top level");
    }
  }
  AuthConfig& a = cfg.auth;
  YAML::Node empty;
  const YAML::Node& src = auth ? auth : empty;
  a.region = Scalar(src, "region", "auth.region", p);
  a.tenancy = Scalar(src, "tenancy", "auth.tenancy", p);
  a.user = Scalar(src, "user", "auth.user", p);
  a.fingerprint = Scalar(src, "fingerprint", "auth.fingerprint", p);
  a.passphrase = Scalar(src, "passphrase", "auth.passphrase", p);
  if (a.passphrase.empty()) a.passphrase = Scalar(src, "key_passphrase", "auth.key_passphrase", p);
  std::string inline_key = Scalar(src, "key", "auth.key", p);
  a.key_file = Scalar(src, "key_file", "auth.key_file", p);
  if (cfg.compartment.empty()) cfg.compartment = Scalar(src, "compartment", "auth.compartment", p);

  // An empty region comes from instance metadata at startup, as in Oracle's controller.
  if (!a.region.empty() && !oci::IsRegionIdentifier(a.region)) {
    p.Add("auth.region", "must be an OCI region identifier such as us-phoenix-1");
  }
  if (cfg.use_instance_principals) {
    // The instance's identity supplies the rest; an API key as well leaves unclear which
    // identity was meant.
    const std::pair<const char*, const std::string*> api_key_fields[] = {{"auth.user", &a.user},
                                                                         {"auth.fingerprint", &a.fingerprint},
                                                                         {"auth.key", &inline_key},
                                                                         {"auth.key_file", &a.key_file},
                                                                         {"auth.passphrase", &a.passphrase}};
    for (const auto& [field, value] : api_key_fields) {
      if (!value->empty()) {
        p.Add(field, "conflicts with useInstancePrincipals: true (instance principals use no API key); remove the API "
                     "key fields or set useInstancePrincipals: false");
      }
    }
    return;
  }

  if (a.tenancy.empty()) p.Add("auth.tenancy", "is required unless useInstancePrincipals is true");
  else if (!oci::IsOcidOf(a.tenancy, "tenancy")) p.Add("auth.tenancy", "must be a tenancy OCID (ocid1.tenancy...)");
  if (a.user.empty()) p.Add("auth.user", "is required unless useInstancePrincipals is true");
  else if (!oci::IsOcidOf(a.user, "user")) p.Add("auth.user", "must be a user OCID (ocid1.user...)");
  if (a.fingerprint.empty()) p.Add("auth.fingerprint", "is required unless useInstancePrincipals is true");
  else if (!IsFingerprint(a.fingerprint)) p.Add("auth.fingerprint", "must look like 12:34:...:ef (16 hex pairs)");
  if (!inline_key.empty() && !a.key_file.empty()) {
    p.Add("auth.key", "set either key or key_file, not both");
  } else if (!inline_key.empty()) {
    a.private_key_pem = inline_key;
  } else if (!a.key_file.empty()) {
    auto data = read_file(a.key_file);
    if (!data) p.Add("auth.key_file", "cannot be read: " + data.error().message);
    else a.private_key_pem = *data;
  } else {
    p.Add("auth.key", "an API private key (key, or key_file) is required unless useInstancePrincipals is true");
  }
  if (!a.private_key_pem.empty() && a.private_key_pem.find("-----BEGIN") == std::string::npos) {
    p.Add(a.key_file.empty() ? "auth.key" : "auth.key_file", "is not a PEM private key (no -----BEGIN line)");
  }
}

void ParseEndpoints(const YAML::Node& n, Endpoints& e, Problems& p) {
  if (!n) return;
  if (!n.IsMap()) {
    p.Add("endpoints", "must be a mapping");
    return;
  }
  CheckKnownKeys(n, "endpoints", {"loadBalancer", "networkLoadBalancer", "compute", "auth", "metadata"}, p);
  std::pair<const char*, std::string*> fields[] = {{"loadBalancer", &e.load_balancer},
                                                   {"networkLoadBalancer", &e.network_load_balancer},
                                                   {"compute", &e.compute},
                                                   {"auth", &e.auth},
                                                   {"metadata", &e.metadata}};
  for (auto& [key, out] : fields) {
    std::string path = std::string("endpoints.") + key;
    *out = Scalar(n, key, path, p);
    if (!out->empty() && !IsHttpUrl(*out)) p.Add(path, "must be an http:// or https:// URL");
    while (!out->empty() && out->back() == '/') out->pop_back();
  }
}

void ParseRegistrar(const YAML::Node& n, RegistrarConfig& r, Problems& p) {
  if (!n) return;
  if (!n.IsMap()) {
    p.Add("registrar", "must be a mapping");
    return;
  }
  CheckKnownKeys(n, "registrar", {"allowedLoadBalancers", "allowedCompartments", "drainPeriod", "resyncPeriod",
                                  "workRequestTimeout"},
                 p);
  r.allowed_load_balancers = StringList(n, "allowedLoadBalancers", "registrar.allowedLoadBalancers", p);
  for (size_t i = 0; i < r.allowed_load_balancers.size(); ++i) {
    const auto& id = r.allowed_load_balancers[i];
    if (!oci::IsAnyLoadBalancerOcid(id)) {
      p.Add("registrar.allowedLoadBalancers[" + std::to_string(i) + "]",
            "must be a load balancer OCID (ocid1.loadbalancer... or ocid1.networkloadbalancer...)");
    }
  }
  r.allowed_compartments = StringList(n, "allowedCompartments", "registrar.allowedCompartments", p);
  for (size_t i = 0; i < r.allowed_compartments.size(); ++i) {
    if (!oci::IsCompartmentOcid(r.allowed_compartments[i])) {
      p.Add("registrar.allowedCompartments[" + std::to_string(i) + "]", "must be a compartment OCID");
    }
  }
  DurationField(n, "drainPeriod", "registrar.drainPeriod", r.drain_period, p, /*allow_zero=*/true);
  DurationField(n, "resyncPeriod", "registrar.resyncPeriod", r.resync_period, p);
  DurationField(n, "workRequestTimeout", "registrar.workRequestTimeout", r.work_request_timeout, p);
}

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Fail(ErrorKind::kInvalidArgument, "cannot open " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Result<CloudConfig> ParseCloudConfig(std::string_view yaml, FileReader read_file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorKind::kInvalidArgument, "cloud-config is not valid YAML: line " + std::to_string(e.mark.line + 1) +
                                                 ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root || root.IsNull()) return Fail(ErrorKind::kInvalidArgument, "cloud-config is empty");
  if (!root.IsMap()) return Fail(ErrorKind::kInvalidArgument, "cloud-config must be a YAML mapping");

  CloudConfig cfg;
  Problems p;
  try {
    CheckDuplicateKeys(root, "", p);
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      static const std::set<std::string> known = {"useInstancePrincipals", "auth", "compartment", "vcn",
                                                  "rateLimiter", "requestTimeout", "endpoints", "caBundle",
                                                  "caBundleFile", "registrar"};
      if (kOracleOnlyKeys.contains(key)) {
        cfg.warnings.push_back(key + " is read by Oracle's cloud-controller-manager and ignored here");
      } else if (!known.contains(key)) {
        p.Add(key, "unknown field (check its spelling in docs/configuration.md)");
      }
    }
    cfg.use_instance_principals = Boolean(root, "useInstancePrincipals", "useInstancePrincipals", p).value_or(false);
    cfg.compartment = Scalar(root, "compartment", "compartment", p);
    cfg.vcn = Scalar(root, "vcn", "vcn", p);
    ParseAuth(root["auth"], cfg, read_file, p);
    // An empty compartment comes from instance metadata at startup, as in Oracle's controller.
    if (!cfg.compartment.empty() && !oci::IsCompartmentOcid(cfg.compartment)) {
      p.Add("compartment", "must be a compartment OCID (ocid1.compartment...)");
    }
    if (!cfg.vcn.empty() && !oci::IsOcidOf(cfg.vcn, "vcn")) p.Add("vcn", "must be a VCN OCID (ocid1.vcn...)");

    if (YAML::Node rl = root["rateLimiter"]; rl) {
      if (!rl.IsMap()) {
        p.Add("rateLimiter", "must be a mapping");
      } else {
        CheckKnownKeys(rl, "rateLimiter", {"rateLimitQPSRead", "rateLimitBucketRead", "rateLimitQPSWrite",
                                           "rateLimitBucketWrite", "disableRateLimiter"},
                       p);
        Number(rl, "rateLimitQPSRead", "rateLimiter.rateLimitQPSRead", cfg.rate_limits.read_qps, 0.001, p);
        Number(rl, "rateLimitBucketRead", "rateLimiter.rateLimitBucketRead", cfg.rate_limits.read_burst, 1, p);
        Number(rl, "rateLimitQPSWrite", "rateLimiter.rateLimitQPSWrite", cfg.rate_limits.write_qps, 0.001, p);
        Number(rl, "rateLimitBucketWrite", "rateLimiter.rateLimitBucketWrite", cfg.rate_limits.write_burst, 1, p);
        if (Boolean(rl, "disableRateLimiter", "rateLimiter.disableRateLimiter", p).value_or(false)) {
          cfg.rate_limits.read_qps = 0;
          cfg.rate_limits.write_qps = 0;
        }
      }
    }
    ParseRequestTimeout(root, cfg.request_timeout, p);
    ParseEndpoints(root["endpoints"], cfg.endpoints, p);
    std::string ca_inline = Scalar(root, "caBundle", "caBundle", p);
    std::string ca_file = Scalar(root, "caBundleFile", "caBundleFile", p);
    if (!ca_inline.empty() && !ca_file.empty()) {
      p.Add("caBundle", "set either caBundle or caBundleFile, not both");
    } else if (!ca_file.empty()) {
      auto data = read_file(ca_file);
      if (!data) p.Add("caBundleFile", "cannot be read: " + data.error().message);
      else cfg.extra_ca_pem = *data;
    } else {
      cfg.extra_ca_pem = ca_inline;
    }
    if (!cfg.extra_ca_pem.empty() && cfg.extra_ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      p.Add(ca_file.empty() ? "caBundle" : "caBundleFile", "must hold PEM certificates");
    } else if (!cfg.extra_ca_pem.empty() && !AllCertificatesParse(cfg.extra_ca_pem)) {
      p.Add(ca_file.empty() ? "caBundle" : "caBundleFile",
            "holds a PEM block that is not a valid certificate (truncated or corrupted when copied?); paste each "
            "certificate whole");
    }
    ParseRegistrar(root["registrar"], cfg.registrar, p);
  } catch (const YAML::Exception& e) {
    p.Add("(document)", std::string("unexpected YAML structure: ") + e.what());
  }
  if (!p.empty()) return Fail(ErrorKind::kInvalidArgument, p.Join());
  return cfg;
}

Result<CloudConfig> LoadCloudConfig(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text) return Fail(ErrorKind::kInvalidArgument, "--cloud-config: " + text.error().message);
  auto cfg = ParseCloudConfig(*text);
  if (!cfg) return Fail(cfg.error().Wrap("--cloud-config " + path));
  return cfg;
}

}  // namespace ccm::cloud
