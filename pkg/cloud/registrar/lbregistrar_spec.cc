#include "pkg/cloud/registrar/lbregistrar_spec.h"

#include <cctype>
#include <optional>
#include <set>

#include "pkg/cloud/registrar/label_syntax.h"
#include "pkg/oci/ocid.h"
#include "pkg/oci/transport/region.h"

namespace ccm::cloud::registrar {
namespace {

class Reader {
 public:
  explicit Reader(ParsedSpec& out) : out_(out) {}

  void Problem(const std::string& field, const std::string& message) { out_.problems.push_back({field, message}); }

  std::optional<std::string> String(const json::Value& obj, const char* key, const std::string& path) {
    const json::Value* v = json::Find(obj, key);
    if (v == nullptr || v->IsNull()) return std::nullopt;
    if (!v->IsString()) {
      Problem(path, "must be a string");
      return std::nullopt;
    }
    return std::string(v->GetString(), v->GetStringLength());
  }

  std::optional<int64_t> Int(const json::Value& obj, const char* key, const std::string& path, int64_t min,
                             int64_t max) {
    const json::Value* v = json::Find(obj, key);
    if (v == nullptr || v->IsNull()) return std::nullopt;
    if (!v->IsInt64()) {
      Problem(path, "must be an integer");
      return std::nullopt;
    }
    int64_t n = v->GetInt64();
    if (n < min || n > max) {
      Problem(path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", not " +
                        std::to_string(n));
      return std::nullopt;
    }
    return n;
  }

  std::optional<bool> Bool(const json::Value& obj, const char* key, const std::string& path) {
    const json::Value* v = json::Find(obj, key);
    if (v == nullptr || v->IsNull()) return std::nullopt;
    if (!v->IsBool()) {
      Problem(path, "must be true or false");
      return std::nullopt;
    }
    return v->GetBool();
  }

  const json::Value* Object(const json::Value& obj, const char* key, const std::string& path) {
    const json::Value* v = json::Find(obj, key);
    if (v == nullptr || v->IsNull()) return nullptr;
    if (!v->IsObject()) {
      Problem(path, "must be an object");
      return nullptr;
    }
    return v;
  }

 private:
  ParsedSpec& out_;
};

// The CRD accepts any integer, as the Go operator's does; OCI refuses the rest.
std::optional<int64_t> ReadWeight(Reader& r, const json::Value& obj, const std::string& path) {
  const json::Value* v = json::Find(obj, "weight");
  if (v != nullptr && v->IsInt64() && (v->GetInt64() < 1 || v->GetInt64() > 100)) {
    r.Problem(path, "must be an OCI backend weight (1-100), not " + std::to_string(v->GetInt64()));
    return std::nullopt;
  }
  return r.Int(obj, "weight", path, 1, 100);
}

// An RSA key's MD5 fingerprint as OCI shows it: 16 hex pairs joined by ':'.
bool IsKeyFingerprint(const std::string& s) {
  if (s.size() != 47) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 3 == 2 ? s[i] != ':' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsPortName(const std::string& s) {
  // IANA service names as Kubernetes validates them: lower-case alphanumerics and '-', at
  // most 15 characters, at least one letter.
  if (s.empty() || s.size() > 15) return false;
  bool letter = false;
  for (char c : s) {
    if (std::islower(static_cast<unsigned char>(c))) letter = true;
    else if (!std::isdigit(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return letter && s.front() != '-' && s.back() != '-';
}

std::string BackendSetNameProblem(const std::string& name) {
  return "must be the backend set's name: letters, digits, '-', '_' and '.' only, at most 32, not \"" + name + "\"";
}

bool IsDnsLabel(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return s.front() != '-' && s.back() != '-';
}

std::optional<PortRef> ReadPort(Reader& r, const json::Value& obj, const std::string& path) {
  const json::Value* v = json::Find(obj, "port");
  if (v == nullptr || v->IsNull()) return PortRef{};
  if (v->IsInt64()) {
    int64_t n = v->GetInt64();
    if (n < 1 || n > 65535) {
      r.Problem(path, "must be a port number between 1 and 65535 or a port name, not " + std::to_string(n));
      return std::nullopt;
    }
    return PortRef{.number = static_cast<int>(n)};
  }
  if (v->IsString()) {
    std::string s(v->GetString(), v->GetStringLength());
    bool digits = !s.empty() && s.size() <= 5;
    for (char c : s) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits) {
      int n = std::stoi(s);
      if (n >= 1 && n <= 65535) return PortRef{.number = n};
    }
    if (!IsPortName(s)) {
      r.Problem(path, "must be a Service port number or a port name (lower-case, at most 15 characters), not \"" +
                          s + "\"");
      return std::nullopt;
    }
    return PortRef{.name = s};
  }
  r.Problem(path, "must be a port number or a port name");
  return std::nullopt;
}

}  // namespace

ParsedSpec ParseLBRegistrarSpec(const std::string& name, const json::Value& spec,
                                const std::string& default_secret_namespace) {
  ParsedSpec out;
  Reader r(out);
  if (!spec.IsObject()) {
    r.Problem("spec", "must be an object");
    return out;
  }
  Binding base;
  base.source_kind = SourceKind::kLBRegistrar;
  base.source = "LBRegistrar/" + name;

  auto lb = r.String(spec, "loadBalancerId", "spec.loadBalancerId");
  if (!lb || lb->empty()) {
    if (!json::Find(spec, "loadBalancerId") || lb) {
      r.Problem("spec.loadBalancerId", "is required: the OCID of the existing load balancer");
    }
  } else if (!oci::IsAnyLoadBalancerOcid(*lb)) {
    r.Problem("spec.loadBalancerId",
              "must be a load balancer OCID (ocid1.loadbalancer... or ocid1.networkloadbalancer...), not \"" + *lb +
                  "\"");
  } else {
    base.load_balancer_id = *lb;
  }

  auto node_port = r.Int(spec, "nodePort", "spec.nodePort", 1, 65535);
  auto legacy_port = r.Int(spec, "port", "spec.port", 1, 65535);
  // The Go operator's precedence: nodePort, then its deprecated alias port.
  if (node_port && legacy_port && *node_port != *legacy_port) {
    out.notes.push_back("spec.port (" + std::to_string(*legacy_port) + ") is ignored because spec.nodePort (" +
                        std::to_string(*node_port) + ") is set; remove spec.port");
  } else if (legacy_port) {
    out.notes.push_back("spec.port is deprecated: use spec.nodePort");
  }
  int fixed_port = static_cast<int>(node_port.value_or(legacy_port.value_or(0)));

  base.weight = static_cast<int>(ReadWeight(r, spec, "spec.weight").value_or(1));
  auto backend_set = r.String(spec, "backendSetName", "spec.backendSetName");
  if (backend_set && backend_set->empty()) r.Problem("spec.backendSetName", "must not be empty");
  else if (backend_set && !IsBackendSetName(*backend_set)) r.Problem("spec.backendSetName", BackendSetNameProblem(*backend_set));
  base.exclusive = r.Bool(spec, "exclusive", "spec.exclusive").value_or(false);
  base.allow_empty = r.Bool(spec, "allowEmpty", "spec.allowEmpty").value_or(false);
  base.adopt_existing = r.Bool(spec, "adoptExisting", "spec.adoptExisting").value_or(false);

  if (const json::Value* sel = r.Object(spec, "nodeSelector", "spec.nodeSelector"); sel != nullptr) {
    for (auto it = sel->MemberBegin(); it != sel->MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      if (!it->value.IsString()) {
        r.Problem("spec.nodeSelector." + key, "must be a string label value");
        continue;
      }
      std::string value(it->value.GetString(), it->value.GetStringLength());
      if (!IsLabelKey(key)) {
        r.Problem("spec.nodeSelector", "key \"" + key + "\" is not a label key (such as role or node.kubernetes.io/instance-type); "
                                       "nodeSelector takes exact label: value pairs");
      } else if (!IsLabelValue(value)) {
        r.Problem("spec.nodeSelector." + key, "\"" + value + "\" is not a label value (at most 63 letters, digits, '-', '_' "
                                                "or '.', starting and ending with a letter or digit): no node can match it");
      }
      base.node_selector[key] = std::move(value);
    }
  }

  if (const json::Value* key = r.Object(spec, "apiKey", "spec.apiKey"); key != nullptr) {
    ApiKeyRef ref;
    auto field = [&](const char* k, std::string& dst) {
      auto v = r.String(*key, k, std::string("spec.apiKey.") + k);
      if (!v || v->empty()) r.Problem(std::string("spec.apiKey.") + k, "is required when spec.apiKey is set");
      else dst = *v;
    };
    field("user", ref.user);
    field("fingerprint", ref.fingerprint);
    field("tenancy", ref.tenancy);
    field("region", ref.region);
    // The CRD accepts any string, as the Go operator's does; OCI would refuse the signature.
    if (!ref.fingerprint.empty() && !IsKeyFingerprint(ref.fingerprint)) {
      r.Problem("spec.apiKey.fingerprint",
                "\"" + ref.fingerprint + "\" cannot be an API key fingerprint: use the 16 colon-separated hex pairs the "
                "OCI console shows for the key (openssl rsa -pubout -outform DER -in key.pem | openssl md5 -c)");
    }
    if (!ref.user.empty() && !oci::IsOcidOf(ref.user, "user")) {
      r.Problem("spec.apiKey.user", "must be a user OCID (ocid1.user...), not \"" + ref.user + "\"");
    }
    if (!ref.tenancy.empty() && !oci::IsOcidOf(ref.tenancy, "tenancy")) {
      r.Problem("spec.apiKey.tenancy", "must be a tenancy OCID (ocid1.tenancy...), not \"" + ref.tenancy + "\"");
    }
    if (!ref.region.empty() && !oci::IsRegionIdentifier(ref.region)) {
      r.Problem("spec.apiKey.region", "must be a region identifier such as us-phoenix-1, not \"" + ref.region + "\"");
    }
    const json::Value* pk = r.Object(*key, "privateKey", "spec.apiKey.privateKey");
    const json::Value* skr = pk ? r.Object(*pk, "secretKeyRef", "spec.apiKey.privateKey.secretKeyRef") : nullptr;
    if (skr == nullptr) {
      r.Problem("spec.apiKey.privateKey.secretKeyRef", "is required: name and key of the Secret holding the PEM key");
    } else {
      ref.secret_namespace = r.String(*pk, "namespace", "spec.apiKey.privateKey.namespace").value_or("");
      if (ref.secret_namespace.empty()) ref.secret_namespace = default_secret_namespace;
      ref.secret_name = r.String(*skr, "name", "spec.apiKey.privateKey.secretKeyRef.name").value_or("");
      ref.secret_key = r.String(*skr, "key", "spec.apiKey.privateKey.secretKeyRef.key").value_or("");
      if (ref.secret_name.empty()) {
        r.Problem("spec.apiKey.privateKey.secretKeyRef.name", "is required: the name of the Secret holding the PEM key");
      }
      if (r.Bool(*skr, "optional", "spec.apiKey.privateKey.secretKeyRef.optional").value_or(false)) {
        out.notes.push_back("spec.apiKey.privateKey.secretKeyRef.optional is ignored: the key is needed to sign requests");
      }
      if (ref.secret_key.empty()) r.Problem("spec.apiKey.privateKey.secretKeyRef.key", "is required");
    }
    base.api_key = ref;
  }

  const json::Value* single = json::Find(spec, "service");
  const json::Value* many = json::Find(spec, "services");
  if (single != nullptr && single->IsNull()) single = nullptr;
  if (many != nullptr && many->IsNull()) many = nullptr;
  std::vector<std::pair<const json::Value*, std::string>> entries;
  // The Go operator's precedence: services, then the deprecated single service.
  if (single != nullptr && many != nullptr) {
    out.notes.push_back("spec.service is ignored because spec.services is set; remove spec.service");
    single = nullptr;
  }
  if (single != nullptr) {
    out.notes.push_back("spec.service is deprecated: use spec.services");
    entries.emplace_back(single, "spec.service");
  } else if (many != nullptr) {
    if (!many->IsArray()) {
      r.Problem("spec.services", "must be a list");
      return out;
    }
    for (rapidjson::SizeType i = 0; i < many->Size(); ++i) {
      entries.emplace_back(&(*many)[i], "spec.services[" + std::to_string(i) + "]");
    }
  }

  if (entries.empty()) {
    if (fixed_port == 0) {
      r.Problem("spec.nodePort", "is required when no services are listed: the port every node listens on");
    }
    if (!backend_set || backend_set->empty()) {
      r.Problem("spec.backendSetName", "is required: the backend set that receives the nodes");
    }
    Binding b = base;
    b.field = "spec";
    b.node_port = fixed_port;
    b.backend_set = backend_set.value_or("");
    out.bindings.push_back(std::move(b));
  } else {
    if (fixed_port != 0) out.notes.push_back("spec.nodePort is ignored when services are listed");
    std::set<std::string> seen;
    for (const auto& [entry, path] : entries) {
      if (!entry->IsObject()) {
        r.Problem(path, "must be an object with name, namespace and port");
        continue;
      }
      Binding b = base;
      b.field = path;
      ServiceTarget target;
      auto svc_name = r.String(*entry, "name", path + ".name");
      if (!svc_name || svc_name->empty()) {
        r.Problem(path + ".name", "is required: the Service's name");
      } else if (!IsDnsLabel(*svc_name)) {
        r.Problem(path + ".name", "must be a valid Service name (lower-case DNS label), not \"" + *svc_name + "\"");
      } else {
        target.name = *svc_name;
      }
      auto ns = r.String(*entry, "namespace", path + ".namespace");
      if (ns && !ns->empty()) {
        if (!IsDnsLabel(*ns)) r.Problem(path + ".namespace", "must be a valid namespace name, not \"" + *ns + "\"");
        target.namespace_name = *ns;
      }
      if (auto port = ReadPort(r, *entry, path + ".port"); port) target.port = *port;
      b.filter_by_endpoints = r.Bool(*entry, "filterByEndpoints", path + ".filterByEndpoints").value_or(false);
      if (auto w = ReadWeight(r, *entry, path + ".weight"); w) b.weight = static_cast<int>(*w);
      auto own_set = r.String(*entry, "backendSetName", path + ".backendSetName");
      if (own_set && !own_set->empty()) {
        if (!IsBackendSetName(*own_set)) r.Problem(path + ".backendSetName", BackendSetNameProblem(*own_set));
        b.backend_set = *own_set;
      } else if (backend_set && !backend_set->empty()) {
        b.backend_set = *backend_set;
      } else {
        r.Problem(path + ".backendSetName", "is required when spec.backendSetName is not set");
      }
      b.service = target;
      std::string key = target.namespace_name + "/" + target.name + ":" + target.port.ToString() + "->" + b.backend_set;
      if (!seen.insert(key).second) {
        r.Problem(path, "repeats an earlier entry (same Service, port and backend set)");
        continue;
      }
      out.bindings.push_back(std::move(b));
    }
  }
  if (!out.problems.empty()) out.bindings.clear();
  return out;
}

ParsedSpec ParseLBRegistrarSpecJson(const std::string& name, std::string_view spec_json,
                                    const std::string& default_secret_namespace) {
  auto doc = json::Parse(spec_json, "LBRegistrar spec");
  if (!doc) {
    ParsedSpec out;
    out.problems.push_back({"spec", doc.error().message});
    return out;
  }
  return ParseLBRegistrarSpec(name, *doc, default_secret_namespace);
}

std::string JoinProblems(const std::vector<SpecProblem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += "; ";
    out += p.field + " " + p.message;
  }
  return out;
}

}  // namespace ccm::cloud::registrar
