#include "test/envtest/controller_identity.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>

#include "pkg/base/base64.h"
#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"

namespace ccm::envtest {
namespace {

std::string SourceRoot() {
  const char* root = std::getenv("CCM_SOURCE_DIR");
  return root != nullptr ? root : ".";
}

Result<std::string> RequestToken(ControlPlane& plane) {
  // A day: longer than any test; the API server caps it at its own maximum.
  ASSIGN_OR_RETURN(
      auto r,
      plane.Request(
          "POST", "/api/v1/namespaces/kube-system/serviceaccounts/oci-lb-registrar-ccm/token",
          R"({"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":86400}})"));
  if (r.status != 201 && r.status != 200) {
    return Fail(ErrorKind::kUnavailable, "TokenRequest answered " + std::to_string(r.status) + ": " + r.body);
  }
  ASSIGN_OR_RETURN(auto doc, json::Parse(r.body, "TokenRequest"));
  const json::Value* status = json::Find(doc, "status");
  auto token = status != nullptr ? json::String(*status, "token", "status", true) : Result<std::string>("");
  if (!token || token->empty()) return Fail(ErrorKind::kMalformedResponse, "TokenRequest without status.token");
  return *token;
}

}  // namespace

const std::vector<std::string>& ShippedControllerManifests() {
  static const std::vector<std::string> files = {
      "deploy/kubernetes/crd-lbregistrar.yaml",
      "deploy/kubernetes/crd-reservedip.yaml",
      "deploy/kubernetes/lbregistrar-admission-policy.yaml",
      "deploy/kubernetes/serviceaccount.yaml",
      "deploy/kubernetes/rbac.yaml",
  };
  return files;
}

Result<ControllerIdentity> InstallControllerIdentity(ControlPlane& plane) {
  static std::mutex mu;
  static std::map<std::string, ControllerIdentity> done;  // by plane directory
  std::lock_guard lock(mu);
  if (auto it = done.find(plane.work_dir()); it != done.end()) return it->second;
  std::vector<std::string> args = {"apply"};
  for (const auto& f : ShippedControllerManifests()) {
    args.push_back("-f");
    args.push_back(SourceRoot() + "/" + f);
  }
  RETURN_IF_ERROR(plane.Kubectl(args));
  RETURN_IF_ERROR(plane.Kubectl({"wait", "--for=condition=Established", "--timeout=60s",
                                 "crd/lbregistrars.nodes.peppy-ratio.dev", "crd/reservedips.oci.k8s.logmein.com"}));
  ASSIGN_OR_RETURN(auto token, RequestToken(plane));
  ControllerIdentity id;
  id.token = token;
  id.kubeconfig_path = plane.work_dir() + "/controller.kubeconfig";
  std::ofstream kc(id.kubeconfig_path, std::ios::trunc);
  kc << "apiVersion: v1\nkind: Config\nclusters:\n- name: envtest\n  cluster:\n"
     << "    server: " << plane.url() << "\n    certificate-authority-data: " << Base64Encode(plane.ca_pem()) << "\n"
     << "users:\n- name: oci-lb-registrar-ccm\n  user:\n    token: " << id.token << "\n"
     << "contexts:\n- name: controller\n  context:\n    cluster: envtest\n    user: oci-lb-registrar-ccm\n"
     << "current-context: controller\n";
  if (!kc) return Fail(ErrorKind::kInternal, "cannot write " + id.kubeconfig_path);
  done[plane.work_dir()] = id;
  return id;
}

}  // namespace ccm::envtest
