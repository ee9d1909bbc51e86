#include "pkg/cloud/registrar/source_ref.h"

namespace ccm::cloud::registrar {
namespace {

constexpr std::string_view kRegistrarPrefix = "LBRegistrar/";
constexpr std::string_view kServicePrefix = "Service/";

}  // namespace

std::optional<SourceRef> SourceRef::Parse(std::string_view source) {
  if (source.starts_with(kRegistrarPrefix)) {
    std::string_view name = source.substr(kRegistrarPrefix.size());
    if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
    return LBRegistrar(std::string(name));
  }
  if (source.starts_with(kServicePrefix)) {
    std::string_view rest = source.substr(kServicePrefix.size());
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size() ||
        rest.find('/', slash + 1) != std::string_view::npos) {
      return std::nullopt;
    }
    return Service(std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1)));
  }
  return std::nullopt;
}

std::string SourceRef::String() const {
  if (kind == SourceKind::kLBRegistrar) return std::string(kRegistrarPrefix) + name;
  return std::string(kServicePrefix) + namespace_name + "/" + name;
}

std::string SourceRef::ObjectKey() const {
  return kind == SourceKind::kLBRegistrar ? name : namespace_name + "/" + name;
}

std::string SourceRef::ApiPath() const {
  if (kind == SourceKind::kLBRegistrar) return std::string("/apis/") + kLBRegistrarApiVersion + "/lbregistrars/" + name;
  return "/api/v1/namespaces/" + namespace_name + "/services/" + name;
}

kube::ObjectReference SourceRef::Reference(std::string uid, std::string resource_version) const {
  if (kind == SourceKind::kLBRegistrar) {
    return {.kind = "LBRegistrar", .name = name, .uid = std::move(uid), .api_version = kLBRegistrarApiVersion,
            .resource_version = std::move(resource_version)};
  }
  return {.kind = "Service", .namespace_ = namespace_name, .name = name, .uid = std::move(uid), .api_version = "v1",
          .resource_version = std::move(resource_version)};
}

}  // namespace ccm::cloud::registrar
