// Service annotations (ParseServiceAnnotations). Input: the first line is the Service type;
// each further line is "key<TAB>value" (a key starting with '/' gets the
// nodes.peppy-ratio.dev prefix). Invariants: problems and bindings are exclusive, each
// problem names its annotation, and every binding is fully valid.
#include <cstdint>
#include <map>
#include <string>

#include "pkg/cloud/registrar/service_annotations.h"
#include "pkg/oci/ocid.h"
#include "test/fuzz/fuzz_check.h"

namespace {

using ccm::fuzz::Check;
namespace reg = ccm::cloud::registrar;

bool ValidSetName(const std::string& s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string type(in.substr(0, nl));
  std::map<std::string, std::string> annotations;
  while (nl != std::string_view::npos) {
    size_t start = nl + 1;
    nl = in.find('\n', start);
    std::string_view line = in.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    size_t tab = line.find('\t');
    std::string key(line.substr(0, tab));
    if (key.starts_with("/")) key = "nodes.peppy-ratio.dev" + key;
    annotations[key] = tab == std::string_view::npos ? "" : std::string(line.substr(tab + 1));
  }

  reg::ParsedSpec spec = reg::ParseServiceAnnotations("default", "web", type, annotations);
  Check(spec.problems.empty() || spec.bindings.empty(), "annotations with problems yield no bindings");
  if (!reg::HasRegistrarAnnotations(annotations)) {
    Check(!spec.problems.empty(), "without a load-balancer-id annotation there are problems");
  }
  for (const auto& p : spec.problems) {
    Check(p.field.starts_with("nodes.peppy-ratio.dev/") && !p.message.empty(),
          "a problem names its annotation and says what is wrong", p.field + " " + p.message);
  }
  for (const auto& b : spec.bindings) {
    Check(type == "NodePort" || type == "LoadBalancer", "only NodePort and LoadBalancer Services bind");
    Check(ccm::oci::IsAnyLoadBalancerOcid(b.load_balancer_id),
          "a binding targets a load balancer OCID", b.load_balancer_id);
    Check(ValidSetName(b.backend_set), "a binding names a valid backend set", b.backend_set);
    Check(b.weight >= 1 && b.weight <= 100, "a binding weight is 1..100");
    Check(b.service.has_value() && b.service->name == "web" && b.service->namespace_name == "default",
          "an annotation binding targets its own Service");
    const auto& port = b.service->port;
    Check((port.number >= 1 && port.number <= 65535 && port.name.empty()) || (port.number == 0 && !port.name.empty()),
          "a binding names a port by number 1..65535 or by name");
    for (const auto& [k, v] : b.node_selector) Check(!k.empty(), "node selector keys are not empty");
  }
  return 0;
}
