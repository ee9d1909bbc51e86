// Helpers for the kube client integration tests.
#pragma once

#include <chrono>
#include <string>
#include <thread>

#include "pkg/base/status_macros.h"
#include "pkg/kube/client/http_rest_client.h"
#include "test/envtest/control_plane.h"

namespace ccm::kube::testing {

inline RestConfig AdminConfig(envtest::ControlPlane& plane) {
  auto cfg = LoadKubeconfig({.path = plane.kubeconfig_path()}, Clock::Real());
  return cfg ? *cfg : RestConfig{};
}

inline Status CreateNamespace(RestClient& client, const std::string& name) {
  RETURN_IF_ERROR(client.Create("/api/v1/namespaces",
                                R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + name + R"("}})"));
  return {};
}

inline std::string ConfigMap(const std::string& ns, const std::string& name, const std::string& value) {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"namespace":")" + ns + R"(","name":")" + name +
         R"("},"data":{"v":")" + value + R"("}})";
}

template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

}  // namespace ccm::kube::testing
