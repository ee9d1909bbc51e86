// LBRegistrar spec JSON (ParseLBRegistrarSpecJson). Invariants: problems and bindings are
// exclusive; each problem names its field (spec...) and what is wrong; every binding is
// valid; JoinProblems mentions every field.
#include <cstdint>
#include <string>

#include "pkg/cloud/registrar/lbregistrar_spec.h"
#include "pkg/oci/ocid.h"
#include "test/fuzz/fuzz_check.h"

namespace {

using ccm::fuzz::Check;
namespace reg = ccm::cloud::registrar;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  reg::ParsedSpec spec = reg::ParseLBRegistrarSpecJson("edge", text, "kube-system");
  Check(spec.problems.empty() || spec.bindings.empty(), "a spec with problems yields no bindings");
  const std::string joined = reg::JoinProblems(spec.problems);
  for (const auto& p : spec.problems) {
    Check(p.field.starts_with("spec") && !p.message.empty(), "a problem names its field and says what is wrong",
          p.field + " " + p.message);
    Check(joined.find(p.field) != std::string::npos, "JoinProblems mentions every field");
  }
  for (const auto& b : spec.bindings) {
    Check(ccm::oci::IsAnyLoadBalancerOcid(b.load_balancer_id),
          "a binding targets a load balancer OCID", b.load_balancer_id);
    Check(!b.backend_set.empty(), "a binding names a backend set");
    Check(b.weight >= 1 && b.weight <= 100, "a binding weight is 1..100");
    Check(b.source == "LBRegistrar/edge" && b.field.starts_with("spec"), "a binding says where it came from");
    if (b.service) {
      Check(!b.service->name.empty() && !b.service->namespace_name.empty(), "a Service binding names its Service");
      const auto& port = b.service->port;
      Check(port.empty() || (port.number >= 1 && port.number <= 65535) || !port.name.empty(),
            "a Service binding port is valid");
    } else {
      Check(b.node_port >= 1 && b.node_port <= 65535, "a fixed-port binding has a valid node port");
    }
    if (b.api_key) {
      Check(!b.api_key->secret_name.empty() && !b.api_key->secret_key.empty() &&
                !b.api_key->secret_namespace.empty(),
            "an API key reference names its Secret");
    }
  }
  return 0;
}
