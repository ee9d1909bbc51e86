// Entry point: flags, configuration, wiring of the sub-controllers.
#include <gflags/gflags.h>
#include <glog/logging.h>

#include <iostream>

int main(int argc, char** argv) {
  gflags::SetVersionString(CCM_VERSION);
  gflags::SetUsageMessage(
      "Kubernetes cloud-controller-manager for Oracle Cloud that keeps pre-existing OCI load "
      "balancer backend sets equal to the cluster's nodes.\n"
      "Usage: oci-lb-registrar-ccm --cloud-config=/etc/oci/cloud-provider.yaml [flags]");
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  google::InitGoogleLogging(argv[0]);
  LOG(ERROR) << "controller wiring is not implemented yet";
  return 1;
}
