// Prints the request bodies this controller's writers produce from a backend set as read:
// the SDK test (python/test_write_models.py) feeds it a read filled with every field the
// SDK's read models know (plus members no model has) and compares the bodies' fields with the
// SDK's request models.
//
// stdin:  {"loadBalancer": <LB BackendSet JSON>, "networkLoadBalancer": <NLB BackendSet JSON>}
// stdout: {"loadBalancer": {"UpdateBackendSetDetails": {...}, "CreateBackendDetails": {...},
//          "UpdateBackendDetails": {...}}, "networkLoadBalancer": {...the same three...}}
// Bodies are built from the set and its first backend. Exit status 1 with a message on stderr
// when the input does not parse.
//
// With --public-ip (no stdin): the Core networking bodies of the ReservedIP controller, every
// optional member set: {"CreatePublicIpDetails": {...}, "UpdatePublicIpDetails": {...},
// "GetPublicIpByIpAddressDetails": {...}}.
#include <iostream>
#include <iterator>
#include <string>

#include "pkg/base/json.h"
#include "pkg/oci/models/load_balancer_models.h"
#include "pkg/oci/models/network_load_balancer_models.h"
#include "pkg/oci/models/public_ip_models.h"

namespace {

std::string Bodies(const std::string& update_set, const std::string& create, const std::string& update) {
  return R"({"UpdateBackendSetDetails":)" + update_set + R"(,"CreateBackendDetails":)" + create +
         R"(,"UpdateBackendDetails":)" + update + "}";
}

int Run() {
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto doc = ccm::json::Parse(input, "input");
  if (!doc || !doc->IsObject() || !doc->HasMember("loadBalancer") || !doc->HasMember("networkLoadBalancer")) {
    std::cerr << "input must be {\"loadBalancer\": {...}, \"networkLoadBalancer\": {...}}\n";
    return 1;
  }
  auto lb = ccm::oci::ParseLbBackendSet(ccm::json::Serialize((*doc)["loadBalancer"]));
  auto nlb = ccm::oci::ParseNlbBackendSet(ccm::json::Serialize((*doc)["networkLoadBalancer"]));
  if (!lb || !nlb) {
    std::cerr << (lb ? nlb.error().ToString() : lb.error().ToString()) << "\n";
    return 1;
  }
  if (lb->backends.empty() || nlb->backends.empty()) {
    std::cerr << "each backend set needs a backend\n";
    return 1;
  }
  std::cout << R"({"loadBalancer":)"
            << Bodies(ccm::oci::LbUpdateBackendSetBody(*lb), ccm::oci::LbCreateBackendBody(lb->backends[0]),
                      ccm::oci::LbUpdateBackendBody(lb->backends[0]))
            << R"(,"networkLoadBalancer":)"
            << Bodies(ccm::oci::NlbUpdateBackendSetBody(*nlb), ccm::oci::NlbCreateBackendBody(nlb->backends[0]),
                      ccm::oci::NlbUpdateBackendBody(nlb->backends[0]))
            << "}\n";
  return 0;
}

int PublicIpBodies() {
  std::cout << R"({"CreatePublicIpDetails":)"
            << ccm::oci::WriteCreatePublicIpDetails({.compartment_id = "c",
                                                     .display_name = "ns/name",
                                                     .freeform_tags = {{"k", "v"}},
                                                     .private_ip_id = "p",
                                                     .public_ip_pool_id = "pool"})
            << R"(,"UpdatePublicIpDetails":)"
            << ccm::oci::WriteUpdatePublicIpDetails(
                   {.private_ip_id = "p", .display_name = "n", .freeform_tags = ccm::oci::FreeformTags{{"k", "v"}}})
            << R"(,"GetPublicIpByIpAddressDetails":)" << ccm::oci::WriteGetPublicIpByIpAddressDetails("192.0.2.1")
            << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--public-ip") return PublicIpBodies();
  return Run();
}
