// The controller's own identity on a test control plane, as a cluster gives it: the shipped
// manifests (ServiceAccount, RBAC, CRD) applied unchanged, and a token for the ServiceAccount
// from the TokenRequest API, as the kubelet projects it into the pod. Tests run the controller
// with this identity; the admin token is for a test's own setup only.
#pragma once

#include <string>

#include "pkg/base/error.h"
#include "test/envtest/control_plane.h"

namespace ccm::envtest {

inline constexpr char kControllerServiceAccountUser[] = "system:serviceaccount:kube-system:oci-lb-registrar-ccm";

struct ControllerIdentity {
  std::string token;
  std::string kubeconfig_path;  // server, CA and the token; written in the plane's directory
  std::string user = kControllerServiceAccountUser;
};

// Applies deploy/kubernetes/{crd-lbregistrar,serviceaccount,rbac}.yaml ($CCM_SOURCE_DIR) as
// the admin and requests a token. Done once per plane; later calls return the same identity.
Result<ControllerIdentity> InstallControllerIdentity(ControlPlane& plane);

// The shipped manifests every test applies, relative to the source root.
const std::vector<std::string>& ShippedControllerManifests();

}  // namespace ccm::envtest
