#include "pkg/cloud/instances/instances.h"

#include <glog/logging.h>

#include <set>

#include "pkg/base/mutex.h"
#include "pkg/base/status_macros.h"
#include "pkg/cloud/instances/provider_id.h"

namespace ccm::cloud::instances {
namespace {

bool IsAttached(const oci::VnicAttachment& a) { return a.lifecycle_state == "ATTACHED" && !a.vnic_id.empty(); }

InstanceState StateOf(const oci::Instance& instance) {
  return InstanceState{.instance_id = instance.id,
                       .lifecycle_state = instance.lifecycle_state,
                       .exists = !IsTerminatedState(instance.lifecycle_state),
                       .shutdown = IsStoppedState(instance.lifecycle_state)};
}

}  // namespace

bool IsTerminatedState(std::string_view s) { return s == "TERMINATING" || s == "TERMINATED"; }
bool IsStoppedState(std::string_view s) { return s == "STOPPING" || s == "STOPPED"; }

Instances::Instances(oci::ComputeApi& compute, const Clock& clock, InstancesOptions options)
    : compute_(compute), clock_(clock), options_(std::move(options)) {}

template <typename F>
auto Instances::Call(std::string_view node, std::string_view operation, F&& call) -> decltype(call()) {
  auto result = call();
  calls_.RecordOciCall(node, operation, result.has_value());
  if (options_.recorder != nullptr) options_.recorder->RecordOciCall(node, operation, result.has_value());
  return result;
}

Result<InstanceMetadata> Instances::Metadata(const kube::Node& node) {
  {
    MutexLock lock(mu_);
    auto it = metadata_.find(node.name);
    if (it != metadata_.end() && clock_.Now() - it->second.fetched_at < options_.metadata_ttl &&
        (node.provider_id.empty() ||
         InstanceIdFromProviderId(node.provider_id).value_or("") == it->second.metadata.instance_id)) {
      return it->second.metadata;
    }
  }
  return FetchMetadata(node);
}

Result<InstanceMetadata> Instances::FetchMetadata(const kube::Node& node) {
  ASSIGN_OR_RETURN(auto instance, FindInstance(node));
  CacheState(node.name, instance);
  ASSIGN_OR_RETURN(auto vnic, PrimaryVnic(node.name, instance));

  InstanceMetadata m{.instance_id = instance.id,
                     .provider_id = ProviderIdForInstance(instance.id),
                     .instance_type = instance.shape,
                     .addresses = {},
                     .topology = zones::TopologyOf(instance, options_.region),
                     .lifecycle_state = instance.lifecycle_state,
                     .compartment_id = instance.compartment_id};
  if (!vnic.private_ip.empty()) m.addresses.push_back({"InternalIP", vnic.private_ip});
  if (!vnic.public_ip.empty()) m.addresses.push_back({"ExternalIP", vnic.public_ip});
  m.addresses.push_back({"Hostname", node.name});

  MutexLock lock(mu_);
  metadata_[node.name] = CachedMetadata{m, clock_.Now()};
  return m;
}

Result<oci::Instance> Instances::FindInstance(const kube::Node& node) {
  if (!node.provider_id.empty()) {
    ASSIGN_OR_RETURN(auto id, InstanceIdFromProviderId(node.provider_id));
    auto instance = Call(node.name, "GetInstance", [&] { return compute_.GetInstance(id); });
    if (!instance) return Fail(instance.error().Wrap("getting instance " + id + " of node " + node.name));
    return instance;
  }
  if (options_.compartment_id.empty()) {
    return Fail(ErrorKind::kInvalidArgument,
                "node " + node.name +
                    " has no spec.providerID and the cloud-config sets no compartment to look it up in: "
                    "set `compartment` in the cloud-config or start the kubelet with --provider-id");
  }
  auto by_name = FindByDisplayName(node);
  if (by_name || by_name.error().kind != ErrorKind::kNotFound) return by_name;
  auto by_address = FindByVnicAddress(node);
  if (by_address || by_address.error().kind != ErrorKind::kNotFound) return by_address;
  return Fail(ErrorKind::kNotFound,
              "no instance for node " + node.name + " in compartment " + options_.compartment_id +
                  ": none is named " + node.name + " and no VNIC carries its name or addresses; "
                  "set the kubelet's --provider-id or name the instance like the node");
}

Result<oci::Instance> Instances::FindByDisplayName(const kube::Node& node) {
  auto listed = Call(node.name, "ListInstances",
                     [&] { return compute_.ListInstances(options_.compartment_id, node.name); });
  if (!listed) return Fail(listed.error().Wrap("listing instances named " + node.name));
  std::vector<const oci::Instance*> live;
  for (const auto& instance : *listed) {
    if (instance.display_name == node.name && !IsTerminatedState(instance.lifecycle_state)) {
      live.push_back(&instance);
    }
  }
  if (live.size() == 1) return *live.front();
  if (live.empty()) return Fail(ErrorKind::kNotFound, "no live instance named " + node.name);
  return Fail(ErrorKind::kInvalidArgument,
              std::to_string(live.size()) + " live instances are named " + node.name + " in compartment " +
                  options_.compartment_id + ": give instances unique names or set the kubelet's --provider-id");
}

Result<oci::Instance> Instances::FindByVnicAddress(const kube::Node& node) {
  std::set<std::string, std::less<>> wanted{node.name};
  for (const auto& a : node.addresses) {
    if (a.type == "InternalIP" || a.type == "ExternalIP") wanted.insert(a.address);
  }
  auto attachments = Call(node.name, "ListVnicAttachments",
                          [&] { return compute_.ListVnicAttachments(options_.compartment_id, ""); });
  if (!attachments) return Fail(attachments.error().Wrap("listing VNIC attachments to find node " + node.name));
  std::set<std::string> matches;
  for (const auto& attachment : *attachments) {
    if (!IsAttached(attachment)) continue;
    auto vnic = Call(node.name, "GetVnic", [&] { return compute_.GetVnic(attachment.vnic_id); });
    if (!vnic) {
      // A VNIC detached meanwhile is not a reason to fail the lookup.
      if (vnic.error().kind == ErrorKind::kNotFound) continue;
      return Fail(vnic.error().Wrap("reading VNIC " + attachment.vnic_id + " to find node " + node.name));
    }
    if (wanted.contains(vnic->private_ip) || (!vnic->public_ip.empty() && wanted.contains(vnic->public_ip)) ||
        (!vnic->hostname_label.empty() && wanted.contains(vnic->hostname_label))) {
      matches.insert(attachment.instance_id);
    }
  }
  if (matches.empty()) return Fail(ErrorKind::kNotFound, "no VNIC matches node " + node.name);
  if (matches.size() > 1) {
    return Fail(ErrorKind::kInvalidArgument,
                std::to_string(matches.size()) + " instances have VNICs matching node " + node.name +
                    "'s name or addresses: set the kubelet's --provider-id");
  }
  const std::string& id = *matches.begin();
  auto instance = Call(node.name, "GetInstance", [&] { return compute_.GetInstance(id); });
  if (!instance) return Fail(instance.error().Wrap("getting instance " + id + " of node " + node.name));
  if (IsTerminatedState(instance->lifecycle_state)) {
    return Fail(ErrorKind::kNotFound, "the instance matching node " + node.name + " (" + id + ") is " +
                                          instance->lifecycle_state);
  }
  return instance;
}

Result<oci::Vnic> Instances::PrimaryVnic(const std::string& node, const oci::Instance& instance) {
  const std::string& compartment =
      instance.compartment_id.empty() ? options_.compartment_id : instance.compartment_id;
  auto attachments = Call(node, "ListVnicAttachments",
                          [&] { return compute_.ListVnicAttachments(compartment, instance.id); });
  if (!attachments) {
    return Fail(attachments.error().Wrap("listing VNIC attachments of instance " + instance.id));
  }
  for (const auto& attachment : *attachments) {
    if (!IsAttached(attachment) || attachment.instance_id != instance.id) continue;
    auto vnic = Call(node, "GetVnic", [&] { return compute_.GetVnic(attachment.vnic_id); });
    if (!vnic) return Fail(vnic.error().Wrap("reading VNIC " + attachment.vnic_id + " of instance " + instance.id));
    if (vnic->is_primary) return vnic;
  }
  return Fail(ErrorKind::kNotFound, "instance " + instance.id + " (node " + node +
                                        ") has no attached primary VNIC yet; will retry");
}

void Instances::CacheState(const std::string& node, const oci::Instance& instance) {
  MutexLock lock(mu_);
  states_[node] = CachedState{StateOf(instance), instance.compartment_id, clock_.Now()};
}

Result<std::string> Instances::InstanceIdFor(const kube::Node& node) {
  if (!node.provider_id.empty()) return InstanceIdFromProviderId(node.provider_id);
  {
    MutexLock lock(mu_);
    if (auto it = metadata_.find(node.name); it != metadata_.end()) return it->second.metadata.instance_id;
  }
  ASSIGN_OR_RETURN(auto metadata, Metadata(node));
  return metadata.instance_id;
}

Result<InstanceState> Instances::State(const kube::Node& node, int* oci_call_budget) {
  {
    MutexLock lock(mu_);
    auto it = states_.find(node.name);
    if (it != states_.end()) {
      bool same_instance = node.provider_id.empty() ||
                           InstanceIdFromProviderId(node.provider_id).value_or("") == it->second.state.instance_id;
      if (same_instance && clock_.Now() - it->second.fetched_at < options_.state_ttl) return it->second.state;
    }
  }
  if (oci_call_budget != nullptr) {
    if (*oci_call_budget <= 0) {
      return Fail(ErrorKind::kTooManyRequests,
                  "OCI call budget of this monitor period is spent; node " + node.name + " is checked next period");
    }
    --*oci_call_budget;
  }
  ASSIGN_OR_RETURN(auto id, InstanceIdFor(node));
  auto instance = Call(node.name, "GetInstance", [&] { return compute_.GetInstance(id); });
  if (instance) {
    CacheState(node.name, *instance);
    return StateOf(*instance);
  }
  if (instance.error().kind != ErrorKind::kNotFound) {
    return Fail(instance.error().Wrap("getting instance " + id + " of node " + node.name));
  }
  return ConfirmAbsent(node.name, id, instance.error());
}

Result<InstanceState> Instances::ConfirmAbsent(const std::string& node, const std::string& instance_id,
                                               const Error& not_found) {
  std::string compartment;
  {
    MutexLock lock(mu_);
    if (auto it = states_.find(node); it != states_.end() && it->second.state.instance_id == instance_id) {
      compartment = it->second.compartment_id;
    }
    if (compartment.empty()) {
      if (auto it = metadata_.find(node); it != metadata_.end() && it->second.metadata.instance_id == instance_id) {
        compartment = it->second.metadata.compartment_id;
      }
    }
  }
  if (compartment.empty()) compartment = options_.compartment_id;
  if (compartment.empty()) {
    Error e = not_found.Wrap("instance " + instance_id + " of node " + node +
                             " answered 404 and no compartment is known to confirm it is gone (set `compartment` "
                             "in the cloud-config); not treating it as deleted");
    return Fail(std::move(e));
  }
  auto listed = Call(node, "ListInstances", [&] { return compute_.ListInstances(compartment, ""); });
  if (!listed) {
    Error e = listed.error().Wrap(
        "instance " + instance_id + " of node " + node + " answered 404 and listing compartment " + compartment +
        " failed too, which points to a missing IAM policy rather than a deleted instance; not treating it as "
        "deleted");
    return Fail(std::move(e));
  }
  for (const auto& instance : *listed) {
    if (instance.id != instance_id) continue;
    // Listed but not readable: a policy change between the calls. Trust the listing.
    LOG(WARNING) << "instance " << instance_id << " of node " << node
                 << " answered 404 on GetInstance but is listed in compartment " << compartment;
    CacheState(node, instance);
    return StateOf(instance);
  }
  LOG(INFO) << "instance " << instance_id << " of node " << node << " is confirmed absent from compartment "
            << compartment;
  return InstanceState{.instance_id = instance_id, .lifecycle_state = "", .exists = false, .shutdown = false};
}

void Instances::Forget(std::string_view node_name) {
  {
    MutexLock lock(mu_);
    if (auto it = metadata_.find(node_name); it != metadata_.end()) metadata_.erase(it);
    if (auto it = states_.find(node_name); it != states_.end()) states_.erase(it);
  }
  calls_.Forget(node_name);
}

}  // namespace ccm::cloud::instances
