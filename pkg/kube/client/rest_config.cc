#include "pkg/kube/client/rest_config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "pkg/base/base64.h"
#include "pkg/base/status_macros.h"

namespace ccm::kube {
namespace {

Result<std::string> ReadFile(const std::string& path, const std::string& what) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Fail(ErrorKind::kInvalidArgument, "cannot read " + what + " file " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || base_dir.empty()) return path;
  return (std::filesystem::path(base_dir) / path).string();
}

Status CheckServer(const std::string& server, const std::string& field) {
  if (server.starts_with("https://")) return {};
  if (server.starts_with("http://")) {
    return Fail(ErrorKind::kInvalidArgument,
                field + " " + server + " uses plain http; only https with certificate verification is supported");
  }
  return Fail(ErrorKind::kInvalidArgument, field + " '" + server + "' must be an https:// URL");
}

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// The `inner` mapping of the entry called `name` in a named list ("clusters", "users",
// "contexts"), or nullopt.
std::optional<YAML::Node> FindNamed(const YAML::Node& list, const std::string& name, const std::string& inner) {
  if (!list || !list.IsSequence()) return std::nullopt;
  for (const auto& item : list) {
    if (item["name"] && item["name"].as<std::string>() == name) {
      const YAML::Node v = item[inner];
      if (!v || !v.IsMap()) return std::nullopt;
      return v;
    }
  }
  return std::nullopt;
}

std::string Str(const YAML::Node& n, const char* key) {
  const YAML::Node v = n[key];
  if (!v || v.IsNull()) return {};
  return v.as<std::string>();
}

// Inline data (base64) wins over the file, as in client-go.
Result<std::string> DataOrFile(const YAML::Node& n, const std::string& prefix, const std::string& field_path,
                               const std::string& base_dir) {
  std::string data = Str(n, (field_path + "-data").c_str());
  if (!data.empty()) {
    auto decoded = Base64Decode(data);
    if (!decoded) {
      return Fail(ErrorKind::kInvalidArgument, prefix + "." + field_path + "-data is not valid base64");
    }
    return *decoded;
  }
  std::string file = Str(n, field_path.c_str());
  if (file.empty()) return std::string();
  return ReadFile(Resolve(base_dir, file), prefix + "." + field_path);
}

Status CheckPem(const std::string& pem, std::string_view marker, const std::string& field) {
  if (pem.empty() || pem.find(marker) != std::string::npos) return {};
  return Fail(ErrorKind::kInvalidArgument, field + " does not hold PEM data (" + std::string(marker) + "...)");
}

Result<RestConfig> ParseKubeconfigNode(const YAML::Node& root, const std::string& base_dir,
                                       const KubeconfigOptions& options, const Clock& clock) {
  if (!root || !root.IsMap()) return Fail(ErrorKind::kInvalidArgument, "kubeconfig is not a YAML mapping");
  std::string context_name = options.context.empty() ? Str(root, "current-context") : options.context;
  if (context_name.empty()) {
    return Fail(ErrorKind::kInvalidArgument, "kubeconfig has no current-context; set one or pass a context");
  }
  auto context_entry = FindNamed(root["contexts"], context_name, "context");
  if (!context_entry) {
    return Fail(ErrorKind::kInvalidArgument, "kubeconfig context '" + context_name + "' is not in contexts[]");
  }
  const YAML::Node& context = *context_entry;
  std::string cluster_name = Str(context, "cluster");
  std::string user_name = Str(context, "user");
  const std::string cprefix = "clusters[" + cluster_name + "].cluster";
  auto cluster_entry = FindNamed(root["clusters"], cluster_name, "cluster");
  if (!cluster_entry) {
    return Fail(ErrorKind::kInvalidArgument,
                "kubeconfig context '" + context_name + "' names cluster '" + cluster_name + "', which is not in clusters[]");
  }

  const YAML::Node& cluster = *cluster_entry;
  RestConfig config;
  if (cluster["insecure-skip-tls-verify"] && cluster["insecure-skip-tls-verify"].as<bool>()) {
    return Fail(ErrorKind::kInvalidArgument,
                cprefix + ".insecure-skip-tls-verify is true: TLS verification cannot be disabled; "
                "set certificate-authority or certificate-authority-data instead");
  }
  for (const char* unsupported : {"proxy-url", "tls-server-name"}) {
    if (!Str(cluster, unsupported).empty()) {
      return Fail(ErrorKind::kInvalidArgument, cprefix + "." + unsupported + " is not supported; remove it");
    }
  }
  config.host = TrimSlash(options.master.empty() ? Str(cluster, "server") : options.master);
  if (config.host.empty()) return Fail(ErrorKind::kInvalidArgument, cprefix + ".server is empty");
  RETURN_IF_ERROR(CheckServer(config.host, options.master.empty() ? cprefix + ".server" : "--master"));
  ASSIGN_OR_RETURN(auto ca, DataOrFile(cluster, cprefix, "certificate-authority", base_dir));
  RETURN_IF_ERROR(CheckPem(ca, "-----BEGIN CERTIFICATE", cprefix + ".certificate-authority"));
  config.tls.system_roots = ca.empty();
  config.tls.ca_pem = std::move(ca);

  const std::string uprefix = "users[" + user_name + "].user";
  std::optional<YAML::Node> user = user_name.empty() ? std::nullopt : FindNamed(root["users"], user_name, "user");
  if (!user_name.empty() && !user) {
    return Fail(ErrorKind::kInvalidArgument,
                "kubeconfig context '" + context_name + "' names user '" + user_name + "', which is not in users[]");
  }
  if (user) {
    for (const char* unsupported : {"exec", "auth-provider", "username", "password", "as", "as-groups"}) {
      if ((*user)[unsupported] && !(*user)[unsupported].IsNull()) {
        return Fail(ErrorKind::kInvalidArgument,
                    std::string(uprefix) + "." + unsupported +
                        " is unsupported: use a token, tokenFile or client certificate");
      }
    }
    ASSIGN_OR_RETURN(auto cert, DataOrFile(*user, uprefix, "client-certificate", base_dir));
    ASSIGN_OR_RETURN(auto key, DataOrFile(*user, uprefix, "client-key", base_dir));
    if (cert.empty() != key.empty()) {
      return Fail(ErrorKind::kInvalidArgument,
                  uprefix + (cert.empty() ? ".client-key is set without client-certificate"
                                           : ".client-certificate is set without client-key"));
    }
    RETURN_IF_ERROR(CheckPem(cert, "-----BEGIN CERTIFICATE", uprefix + ".client-certificate"));
    RETURN_IF_ERROR(CheckPem(key, "PRIVATE KEY-----", uprefix + ".client-key"));
    config.tls.client_cert_pem = std::move(cert);
    config.tls.client_key_pem = std::move(key);
    std::string token = Str(*user, "token");
    std::string token_file = Str(*user, "tokenFile");
    if (!token.empty()) {
      config.token_source = std::make_shared<StaticTokenSource>(token);
    } else if (!token_file.empty()) {
      auto source = std::make_shared<FileTokenSource>(Resolve(base_dir, token_file), clock);
      if (auto t = source->Token(); !t) {
        Error e = t.error().Wrap(uprefix + ".tokenFile");
        e.kind = ErrorKind::kInvalidArgument;
        return Fail(std::move(e));
      }
      config.token_source = std::move(source);
    }
  }
  config.description = "kubeconfig context " + context_name;
  return config;
}

}  // namespace

Result<RestConfig> LoadInClusterConfig(const InClusterOptions& options, const Clock& clock) {
  std::string host = options.host;
  std::string port = options.port;
  if (host.empty()) {
    const char* h = std::getenv("KUBERNETES_SERVICE_HOST");
    host = h ? h : "";
  }
  if (port.empty()) {
    const char* p = std::getenv("KUBERNETES_SERVICE_PORT");
    port = p ? p : "";
  }
  if (host.empty() || port.empty()) {
    return Fail(ErrorKind::kInvalidArgument,
                "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be "
                "set (or pass --kubeconfig)");
  }
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";  // IPv6
  RestConfig config;
  config.host = "https://" + host + ":" + port;
  ASSIGN_OR_RETURN(auto ca, ReadFile(options.ca_file, "service-account CA"));
  config.tls.system_roots = false;
  config.tls.ca_pem = std::move(ca);
  auto source = std::make_shared<FileTokenSource>(options.token_file, clock);
  RETURN_IF_ERROR(source->Token());
  config.token_source = std::move(source);
  config.description = "in-cluster service account";
  return config;
}

std::string ResolveKubeconfigPath(const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && env[0] != '\0') {
    std::string list(env);
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(':', start);
      std::string first = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!first.empty()) return first;
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.kube/config";
}

Result<RestConfig> ParseKubeconfig(const std::string& yaml_text, const std::string& base_dir,
                                   const KubeconfigOptions& options, const Clock& clock) {
  try {
    return ParseKubeconfigNode(YAML::Load(yaml_text), base_dir, options, clock);
  } catch (const YAML::Exception& e) {
    return Fail(ErrorKind::kInvalidArgument, std::string("kubeconfig is not valid YAML: ") + e.what());
  }
}

Result<RestConfig> LoadKubeconfig(const KubeconfigOptions& options, const Clock& clock) {
  std::string path = ResolveKubeconfigPath(options.path);
  ASSIGN_OR_RETURN(auto text, ReadFile(path, "kubeconfig"));
  auto config = ParseKubeconfig(text, std::filesystem::path(path).parent_path().string(), options, clock);
  if (!config) return Fail(config.error().Wrap("kubeconfig " + path));
  config->description += " from " + path;
  return config;
}

Result<RestConfig> BuildRestConfig(const std::string& kubeconfig_path, const std::string& master,
                                   const Clock& clock, const InClusterOptions& in_cluster) {
  const char* svc = std::getenv("KUBERNETES_SERVICE_HOST");
  bool in_pod = !in_cluster.host.empty() || (svc != nullptr && svc[0] != '\0');
  if (kubeconfig_path.empty() && master.empty() && in_pod) return LoadInClusterConfig(in_cluster, clock);
  std::string path = ResolveKubeconfigPath(kubeconfig_path);
  if (kubeconfig_path.empty() && !master.empty() && !std::filesystem::exists(path)) {
    RETURN_IF_ERROR(CheckServer(master, "--master"));
    RestConfig config;
    if (in_pod) {
      ASSIGN_OR_RETURN(auto ic, LoadInClusterConfig(in_cluster, clock));
      config = std::move(ic);
    }
    config.host = TrimSlash(master);
    config.description = "--master " + config.host;
    return config;
  }
  return LoadKubeconfig({.path = path, .master = master}, clock);
}

}  // namespace ccm::kube
