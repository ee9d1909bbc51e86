#include "test/envtest/shared_control_plane.h"

#include <cstdlib>
#include <iostream>
#include <memory>

namespace ccm::envtest {
namespace {

std::unique_ptr<ControlPlane>& Instance() {
  static std::unique_ptr<ControlPlane> plane;
  return plane;
}

}  // namespace

ControlPlane& SharedControlPlane() {
  auto& plane = Instance();
  if (!plane) {
    plane = std::make_unique<ControlPlane>();
    if (auto st = plane->Start(); !st) {
      std::cerr << "control plane failed to start: " << st.error().ToString() << std::endl;
      std::abort();
    }
    std::cerr << "control plane up: kube-apiserver " << plane->server_version() << " at " << plane->url()
              << std::endl;
    std::atexit([] { Instance().reset(); });
  }
  return *plane;
}

}  // namespace ccm::envtest
