// The registrar in process, for integration tests and benchmarks.
#pragma once

#include "pkg/base/clock.h"
#include "pkg/cloud/registrar/registrar_controller.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/kube/informer/informer.h"

namespace ccm::testing {

// One registrar "process" wired as the binary wires it: its own informers, ownership store,
// event recorder and controller, on a given API client and OCI resolver.
class InProcessRegistrar {
 public:
  InProcessRegistrar(kube::RestClient& client, cloud::registrar::BackendSetApiResolver& apis,
                     cloud::registrar::RegistrarOptions options,
                     cloud::registrar::RegistrarObserver* observer = nullptr)
      : nodes_(client, {.name = "nodes", .path = "/api/v1/nodes"}, kube::ProjectNode, Clock::Real()),
        services_(client, {.name = "services", .path = "/api/v1/services"}, kube::ProjectService, Clock::Real()),
        slices_(client, {.name = "slices", .path = "/apis/discovery.k8s.io/v1/endpointslices"},
                kube::ProjectEndpointSlice, Clock::Real()),
        registrars_(client, {.name = "lbregistrars", .path = "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars"},
                    cloud::registrar::ProjectLBRegistrar, Clock::Real()),
        ownership_(client, options.controller_namespace),
        events_(client, {.instance = "itest"}, Clock::Real()),
        controller_(client, {nodes_, services_, slices_, registrars_}, apis, ownership_, events_, Clock::Real(),
                    options, observer) {
    controller_.RegisterHandlers();
    nodes_.Start();
    services_.Start();
    slices_.Start();
    registrars_.Start();
    controller_.Start();
  }
  ~InProcessRegistrar() {
    controller_.Stop();
    registrars_.Stop();
    slices_.Stop();
    services_.Stop();
    nodes_.Stop();
    events_.Shutdown();
  }
  bool Synced() const { return controller_.CachesSynced(); }

 private:
  kube::Informer<kube::Node> nodes_;
  kube::Informer<kube::Service> services_;
  kube::Informer<kube::EndpointSlice> slices_;
  kube::Informer<cloud::registrar::LBRegistrarObject> registrars_;
  cloud::registrar::ConfigMapOwnershipStore ownership_;
  kube::AsyncEventRecorder events_;
  cloud::registrar::RegistrarController controller_;
};

}  // namespace ccm::testing
