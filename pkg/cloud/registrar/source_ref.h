// Which Kubernetes object a registration comes from. Its string form ("LBRegistrar/<name>",
// "Service/<namespace>/<name>") is what ownership records store, so it never changes; code
// works with the typed form instead of slicing prefixes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pkg/cloud/registrar/binding.h"
#include "pkg/kube/events/event_recorder.h"

namespace ccm::cloud::registrar {

inline constexpr char kLBRegistrarApiVersion[] = "nodes.peppy-ratio.dev/v1alpha1";

struct SourceRef {
  SourceKind kind = SourceKind::kLBRegistrar;
  std::string namespace_name;  // "" for LBRegistrars (cluster-scoped)
  std::string name;

  static SourceRef LBRegistrar(std::string name) { return {SourceKind::kLBRegistrar, "", std::move(name)}; }
  static SourceRef Service(std::string namespace_name, std::string name) {
    return {SourceKind::kService, std::move(namespace_name), std::move(name)};
  }
  // nullopt for anything but the two string forms above.
  static std::optional<SourceRef> Parse(std::string_view source);

  std::string String() const;
  // The informer store's key: "<name>" or "<namespace>/<name>".
  std::string ObjectKey() const;
  // The object's API path (without a subresource).
  std::string ApiPath() const;
  // For Events; uid and resourceVersion from the cache when known.
  kube::ObjectReference Reference(std::string uid, std::string resource_version) const;

  bool operator==(const SourceRef&) const = default;
};

}  // namespace ccm::cloud::registrar
