// The Kubernetes side of the registrar's sources: what the caches hold about an LBRegistrar or
// an annotated Service, and the controller's writes to them (finalizer, status, Service
// ingress). Every write is a conditional merge patch against the cached resourceVersion where a
// lost update could matter, and no request is made when the object already is as asked.
#pragma once

#include <string>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/cloud/registrar/lbregistrar_projection.h"
#include "pkg/cloud/registrar/source_ref.h"
#include "pkg/cloud/registrar/source_status.h"
#include "pkg/kube/informer/informer.h"
#include "pkg/kube/controller/status_writer.h"
#include "pkg/kube/informer/projections.h"
#include "pkg/kube/rest_client.h"

namespace ccm::cloud::registrar {

class SourceObjects {
 public:
  // All references must outlive this object. `status_client` writes status (in the
  // background) and ingress.
  SourceObjects(kube::RestClient& client, kube::RestClient& status_client, const Clock& clock,
                kube::Informer<LBRegistrarObject>& registrars, kube::Informer<kube::Service>& services);

  kube::ObjectReference Reference(const SourceRef& ref) const;

  // Adds or removes the registrar's finalizer. True when a patch changed the object, false
  // when it already was as asked or is gone.
  Result<bool> SetFinalizer(const SourceRef& ref, bool present);
  // Queues an LBRegistrar's status for the background writer (latest wins, retried until
  // written); a Service's status is not the registrar's to write.
  void PatchStatus(const SourceRef& ref, const RegistrarStatus& status);
  // The source is gone: its queued status is not written.
  void ForgetStatus(const SourceRef& ref);
  // Writes the queued statuses (briefly) and stops the background writer.
  void StopStatusWriter() { status_writer_.Stop(); }
  size_t queued_statuses() const { return status_writer_.queued(); }
  // status.loadBalancer.ingress of a type LoadBalancer Service, when it differs. A Service
  // that is gone or not of that type is left alone.
  Status EnsureIngress(const std::string& service_key, const std::vector<std::string>& ips);

 private:
  kube::RestClient& client_;
  kube::RestClient& status_client_;
  kube::StatusWriter status_writer_;
  kube::Informer<LBRegistrarObject>& registrars_;
  kube::Informer<kube::Service>& services_;
};

}  // namespace ccm::cloud::registrar
