#include "test/bench/support/cluster_objects.h"

#include <cstdio>
#include <tuple>

namespace ccm::bench {
namespace {

std::string Zone(int index) { return "PHX-AD-" + std::to_string(index % 3 + 1); }

}  // namespace

std::string NodeCreateBody(const NodeSpec& n) {
  std::string s = R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + n.name + R"(","labels":{)";
  const char* fixed[][2] = {{"beta.kubernetes.io/arch", "amd64"},
                            {"beta.kubernetes.io/instance-type", "VM.Standard.E4.Flex"},
                            {"beta.kubernetes.io/os", "linux"},
                            {"kubernetes.io/arch", "amd64"},
                            {"kubernetes.io/os", "linux"},
                            {"node.kubernetes.io/instance-type", "VM.Standard.E4.Flex"},
                            {"node-role.kubernetes.io/node", ""},
                            {"oke.oraclecloud.com/cluster_autoscaler", "allowed"},
                            {"oke.oraclecloud.com/node.info.private_subnet", "true"},
                            {"topology.kubernetes.io/region", "us-phoenix-1"},
                            {"env", "production"}};
  for (const auto& kv : fixed) s += "\"" + std::string(kv[0]) + "\":\"" + kv[1] + "\",";
  s += R"("kubernetes.io/hostname":")" + n.name + R"(","pool":")" + n.pool +
       R"(","topology.kubernetes.io/zone":")" + Zone(n.index) + R"(","oci.oraclecloud.com/fault-domain":"FAULT-DOMAIN-)" +
       std::to_string(n.index % 3 + 1) + R"("},"annotations":{"alpha.kubernetes.io/provided-node-ip":")" + n.ip +
       R"(","node.alpha.kubernetes.io/ttl":"0","volumes.kubernetes.io/controller-managed-attach-detach":"true",)"
       R"("csi.volume.kubernetes.io/nodeid":"{\"blockvolume.csi.oraclecloud.com\":\")" + n.ip + R"(\"}"}},)";
  s += R"("spec":{"podCIDR":"10.244.)" + std::to_string(n.index % 250) + R"(.0/24","providerID":"oci://)" +
       n.instance_id + R"("}})";
  return s;
}

namespace {

std::string Conditions(const std::string& heartbeat) {
  std::string s = "[";
  for (auto [type, status, reason] : {std::tuple{"MemoryPressure", "False", "KubeletHasSufficientMemory"},
                                      {"DiskPressure", "False", "KubeletHasNoDiskPressure"},
                                      {"PIDPressure", "False", "KubeletHasSufficientPID"},
                                      {"Ready", "True", "KubeletReady"},
                                      {"NetworkUnavailable", "False", "RouteCreated"}}) {
    s += R"({"type":")" + std::string(type) + R"(","status":")" + status + R"(","lastHeartbeatTime":")" + heartbeat +
         R"(","lastTransitionTime":"2026-11-01T10:01:00Z","reason":")" + reason +
         R"(","message":"kubelet is posting ready status"},)";
  }
  s.back() = ']';
  return s;
}

}  // namespace

std::string NodeStatusPatch(const NodeSpec& n, const std::string& heartbeat) {
  std::string s = R"({"status":{"capacity":{"cpu":"4","ephemeral-storage":"40223552Ki","memory":"32612104Ki","pods":"110"},)"
                  R"("allocatable":{"cpu":"3800m","ephemeral-storage":"37070025462","memory":"31461128Ki","pods":"110"},)"
                  R"("conditions":)" + Conditions(heartbeat) +
                  R"(,"addresses":[{"type":"InternalIP","address":")" + n.ip + R"("},{"type":"Hostname","address":")" +
                  n.name + R"("}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},)"
                  R"("nodeInfo":{"machineID":"4c0a)" + std::to_string(100000 + n.index) +
                  R"(","systemUUID":"a1b2c3d4","bootID":"e5f6","kernelVersion":"5.15.0-207.156.6.el8uek.x86_64",)"
                  R"("osImage":"Oracle Linux Server 8.10","containerRuntimeVersion":"cri-o://1.30.3",)"
                  R"("kubeletVersion":"v1.30.1","kubeProxyVersion":"v1.30.1","operatingSystem":"linux","architecture":"amd64"},)"
                  R"("images":[)";
  for (int i = 0; i < 24; ++i) {
    char digest[80];
    std::snprintf(digest, sizeof digest, "%08x%056d", 0x9e3779b9u * static_cast<unsigned>(i + 1), i);
    s += R"({"names":["phx.ocir.io/tenancy/team/service-)" + std::to_string(i) + "@sha256:" + digest +
         R"(","phx.ocir.io/tenancy/team/service-)" + std::to_string(i) + ":v1." + std::to_string((i + n.index) % 9) +
         R"("],"sizeBytes":)" + std::to_string(50000000 + i * 7340033) + "},";
  }
  s.back() = ']';
  s += "}}";
  return s;
}

std::string NodeHeartbeatPatch(const std::string& heartbeat) {
  return R"({"status":{"conditions":)" + Conditions(heartbeat) + "}}";
}

std::string ServiceBody(const ServiceSpec& v) {
  std::string s = R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")" + v.name + R"(","namespace":")" + v.ns +
                  R"(","labels":{"app":")" + v.name + R"("},"annotations":{"nodes.peppy-ratio.dev/load-balancer-id":")" +
                  v.lb_id + R"(","nodes.peppy-ratio.dev/backend-sets":"http=)" + v.backend_set +
                  R"(","nodes.peppy-ratio.dev/node-selector":")" + v.node_selector + "\"";
  if (v.filter_annotation) s += R"(,"nodes.peppy-ratio.dev/filter-by-endpoints":"true")";
  s += R"(}},"spec":{"type":"NodePort","selector":{"app":")" + v.name +
       R"("},"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080,"nodePort":)" +
       std::to_string(v.node_port) + "}]";
  if (v.local_traffic) s += R"(,"externalTrafficPolicy":"Local")";
  s += "}}";
  return s;
}

std::string EndpointSliceBody(const std::string& ns, const std::string& service,
                              const std::vector<std::string>& node_names) {
  std::string s = R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":")" + service +
                  R"(-x7k2p","namespace":")" + ns + R"(","labels":{"kubernetes.io/service-name":")" + service +
                  R"(","endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"}},)"
                  R"("addressType":"IPv4","ports":[{"name":"http","protocol":"TCP","port":8080}],"endpoints":[)";
  int i = 0;
  for (const auto& node : node_names) {
    s += R"({"addresses":["10.244.)" + std::to_string(i % 250) + "." + std::to_string(10 + i) +
         R"("],"conditions":{"ready":true,"serving":true,"terminating":false},"nodeName":")" + node +
         R"(","targetRef":{"kind":"Pod","namespace":")" + ns + R"(","name":")" + service + "-" + std::to_string(i) +
         R"("}},)";
    ++i;
  }
  if (!node_names.empty()) s.pop_back();
  s += "]}";
  return s;
}

std::string LBRegistrarBody(const std::string& name, const std::string& lb_id, const std::string& backend_set,
                            int node_port, const std::string& pool) {
  return R"({"apiVersion":"nodes.peppy-ratio.dev/v1alpha1","kind":"LBRegistrar","metadata":{"name":")" + name +
         R"("},"spec":{"loadBalancerId":")" + lb_id + R"(","backendSetName":")" + backend_set +
         R"(","nodePort":)" + std::to_string(node_port) + R"(,"nodeSelector":{"pool":")" + pool + R"("}}})";
}

}  // namespace ccm::bench
