#include "pkg/cloud/registrar/source_objects.h"

#include <algorithm>

namespace ccm::cloud::registrar {

SourceObjects::SourceObjects(kube::RestClient& client, kube::RestClient& status_client, const Clock& clock,
                             kube::Informer<LBRegistrarObject>& registrars, kube::Informer<kube::Service>& services)
    : client_(client),
      status_client_(status_client),
      status_writer_(status_client, clock, kube::StatusWriterOptions{.name = "registrar"}),
      registrars_(registrars),
      services_(services) {}

kube::ObjectReference SourceObjects::Reference(const SourceRef& ref) const {
  if (ref.kind == SourceKind::kLBRegistrar) {
    auto obj = registrars_.store().Get(ref.ObjectKey());
    return ref.Reference(obj ? obj->uid : "", obj ? obj->resource_version : "");
  }
  auto obj = services_.store().Get(ref.ObjectKey());
  return ref.Reference(obj ? obj->uid : "", obj ? obj->resource_version : "");
}

Result<bool> SourceObjects::SetFinalizer(const SourceRef& ref, bool present) {
  std::vector<std::string> finalizers;
  std::string rv;
  bool has = false;
  if (ref.kind == SourceKind::kLBRegistrar) {
    auto obj = registrars_.store().Get(ref.ObjectKey());
    if (!obj) return false;
    has = obj->HasFinalizer(kFinalizer);
    finalizers = obj->finalizers;
    rv = obj->resource_version;
  } else {
    auto obj = services_.store().Get(ref.ObjectKey());
    if (!obj) return false;
    has = obj->HasFinalizer(kFinalizer);
    finalizers = obj->finalizers;
    rv = obj->resource_version;
  }
  if (has == present) return false;
  if (present) finalizers.push_back(kFinalizer);
  else std::erase(finalizers, std::string(kFinalizer));
  auto r = client_.Patch(ref.ApiPath(), kube::PatchType::kMerge, FinalizersPatch(finalizers, rv));
  if (!r) {
    if (!present && r.error().kind == ErrorKind::kNotFound) return false;
    return Fail(r.error().Wrap(std::string(present ? "adding" : "removing") + " the finalizer " + kFinalizer +
                               (present ? " to " : " from ") + ref.String()));
  }
  return true;
}

void SourceObjects::PatchStatus(const SourceRef& ref, const RegistrarStatus& status) {
  if (ref.kind != SourceKind::kLBRegistrar) return;
  status_writer_.Patch(ref.ApiPath(), RegistrarStatusPatch(status));
}

void SourceObjects::ForgetStatus(const SourceRef& ref) { status_writer_.Forget(ref.ApiPath()); }

Status SourceObjects::EnsureIngress(const std::string& service_key, const std::vector<std::string>& ips) {
  auto svc = services_.store().Get(service_key);
  if (!svc || svc->type != std::string_view("LoadBalancer") || svc->load_balancer_ingress_ips == ips) return {};
  auto slash = service_key.find('/');
  SourceRef ref = SourceRef::Service(service_key.substr(0, slash), service_key.substr(slash + 1));
  auto r = status_client_.Patch(ref.ApiPath(), kube::PatchType::kMerge, IngressPatch(ips), true);
  if (!r && r.error().kind != ErrorKind::kNotFound) return Fail(r.error().Wrap("ingress of Service " + service_key));
  return {};
}

}  // namespace ccm::cloud::registrar
