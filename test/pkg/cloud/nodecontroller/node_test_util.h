// Shared fixtures for the node controller unit tests.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/base/json.h"
#include "pkg/kube/events/event_recorder.h"
#include "pkg/oci/models/compute_models.h"
#include "test/mocks/collecting_event_recorder.h"

namespace ccm::cloud::nodecontroller::testing {

inline const std::string kCompartment = "ocid1.compartment.oc1..nodes";
inline const std::string kUninitializedTaint =
    R"({"key":"node.cloudprovider.kubernetes.io/uninitialized","value":"true","effect":"NoSchedule"})";
inline const std::string kNotReadyTaint =
    R"({"key":"node.kubernetes.io/not-ready","effect":"NoExecute","timeAdded":"2024-01-01T00:00:00Z"})";
inline const std::string kShutdownTaint = R"({"key":"node.cloudprovider.kubernetes.io/shutdown","effect":"NoSchedule"})";

inline std::string NodeJson(const std::string& name, const std::string& provider_id, const std::string& ready,
                            const std::vector<std::string>& taints,
                            const std::string& addresses = R"([{"type":"Hostname","address":"kubelet-host"}])") {
  std::string t;
  for (const auto& taint : taints) t += (t.empty() ? "" : ",") + taint;
  std::string spec = R"({"taints":[)" + t + "]";
  if (!provider_id.empty()) spec += R"(,"providerID":")" + provider_id + "\"";
  spec += "}";
  return R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name +
         R"(","labels":{"kubernetes.io/hostname":")" + name + R"("}},"spec":)" + spec +
         R"(,"status":{"addresses":)" + addresses + R"(,"conditions":[{"type":"Ready","status":")" + ready +
         R"("}]}})";
}

inline oci::Instance MakeInstance(const std::string& id, const std::string& name, const std::string& state = "RUNNING") {
  return oci::Instance{.id = id, .display_name = name, .availability_domain = "Uocm:PHX-AD-1",
                       .fault_domain = "FAULT-DOMAIN-2", .region = "phx", .shape = "VM.Standard.E4.Flex",
                       .lifecycle_state = state, .compartment_id = kCompartment, .time_created = ""};
}

inline oci::Vnic PrimaryVnic(const std::string& id, const std::string& private_ip, const std::string& public_ip) {
  return oci::Vnic{.id = id, .is_primary = true, .private_ip = private_ip, .public_ip = public_ip,
                   .hostname_label = "", .subnet_id = "s", .lifecycle_state = "AVAILABLE", .ipv6_addresses = {}};
}

using ccm::testing::CollectingRecorder;
using ccm::testing::RecordedEvent;

// Reads a field path ("spec", "providerID") of a stored object; "" when absent.
inline const json::Value* Path(const json::Value& v, std::initializer_list<const char*> path) {
  const json::Value* cur = &v;
  for (const char* p : path) {
    cur = json::Find(*cur, p);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

inline std::string StringAt(const json::Value& v, std::initializer_list<const char*> path) {
  const json::Value* cur = Path(v, path);
  return cur != nullptr && cur->IsString() ? cur->GetString() : "";
}

inline std::vector<std::string> TaintKeys(const json::Value& node) {
  std::vector<std::string> keys;
  if (const json::Value* taints = Path(node, {"spec", "taints"}); taints != nullptr && taints->IsArray()) {
    for (const auto& t : taints->GetArray()) keys.push_back(StringAt(t, {"key"}));
  }
  return keys;
}

template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

}  // namespace ccm::cloud::nodecontroller::testing
