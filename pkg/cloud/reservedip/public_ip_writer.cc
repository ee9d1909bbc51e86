#include "pkg/cloud/reservedip/public_ip_writer.h"

#include <algorithm>

#include "pkg/base/status_macros.h"
#include "pkg/cloud/reservedip/reservedip_reasons.h"

namespace ccm::cloud::reservedip {
namespace {

bool IsNotFound(const Error& e) { return e.kind == ErrorKind::kNotFound || e.http_status == 404; }

Observation Problem(const char* reason, std::string message, bool transient) {
  Observation o;
  o.reason = reason;
  o.message = std::move(message);
  o.transient = transient;
  return o;
}

Observation OciFailure(const std::string& what, const Error& e) {
  return Problem(reason::kOciError, what + ": " + e.ToString(), true);
}

bool CarriesUid(const oci::PublicIp& ip, const std::string& uid) {
  auto it = ip.freeform_tags.find(kTagUid);
  return it != ip.freeform_tags.end() && it->second == uid;
}

}  // namespace

PublicIpWriter::PublicIpWriter(oci::VirtualNetworkApi& network, oci::ComputeApi& compute,
                               WriterSettings settings)
    : network_(network), compute_(compute), settings_(std::move(settings)) {}

std::string PublicIpWriter::RetryTokenFor(const std::string& uid) { return "reservedip-" + uid; }

PublicIpWriter::Memory& PublicIpWriter::MemoryFor(const std::string& key) {
  MutexLock lock(mu_);
  return memory_[key];
}

void PublicIpWriter::Forget(const std::string& key) {
  MutexLock lock(mu_);
  memory_.erase(key);
}

Clock::Duration PublicIpWriter::NextPoll(Memory& m) {
  m.next_poll = m.next_poll <= Clock::Duration::zero()
                    ? settings_.first_poll
                    : std::min<Clock::Duration>(m.next_poll * 2, settings_.max_poll);
  return m.next_poll;
}

std::string PublicIpWriter::StateWhileWorking(const oci::PublicIp& ip, const Memory& m) const {
  if (ip.lifecycle_state == oci::kPublicIpProvisioning) return state::kAllocating;
  if (ip.lifecycle_state == oci::kPublicIpAssigning)
    return m.moving ? state::kReassigning : state::kAssigning;
  if (ip.lifecycle_state == oci::kPublicIpUnassigning) return state::kUnassigning;
  return state::kReleasing;
}

std::map<std::string, std::string> PublicIpWriter::DesiredTags(const ConvergeRequest& r) const {
  std::map<std::string, std::string> tags = r.spec->tags;
  tags[kTagUid] = r.uid;
  tags[kTagResource] = r.key;
  return tags;
}

Result<std::optional<oci::PublicIp>> PublicIpWriter::FindOurs(const std::string& uid) {
  ASSIGN_OR_RETURN(auto all, network_.ListReservedPublicIps(settings_.compartment_id));
  for (auto& ip : all) {
    if (CarriesUid(ip, uid) && ip.lifecycle_state != oci::kPublicIpTerminated)
      return std::optional(std::move(ip));
  }
  return std::optional<oci::PublicIp>();
}

PublicIpWriter::Resolved PublicIpWriter::ResolvePodAddress(Memory& m, const Target& t) {
  if (m.resolved_pod_uid == t.pod_uid && m.resolved_address == t.address &&
      !m.resolved_private_ip_id.empty()) {
    return {.private_ip_id = m.resolved_private_ip_id};
  }
  auto attachments = compute_.ListVnicAttachments(settings_.compartment_id, t.instance_id);
  if (!attachments)
    return {.reason = reason::kOciError,
            .message = "ListVnicAttachments: " + attachments.error().ToString(),
            .transient = true};
  for (const auto& att : *attachments) {
    if (att.vnic_id.empty() || att.lifecycle_state != "ATTACHED") continue;
    auto vnic = compute_.GetVnic(att.vnic_id);
    if (!vnic)
      return {.reason = reason::kOciError,
              .message = "GetVnic: " + vnic.error().ToString(),
              .transient = true};
    auto found = network_.ListPrivateIpsByAddress(t.address, vnic->subnet_id);
    if (!found)
      return {.reason = reason::kOciError,
              .message = "ListPrivateIps: " + found.error().ToString(),
              .transient = true};
    auto it = std::find_if(found->begin(), found->end(),
                           [&](const oci::PrivateIp& p) { return p.vnic_id == vnic->id; });
    if (it == found->end()) continue;
    bool prohibited = false, known = false;
    {
      MutexLock lock(mu_);
      auto cached = subnet_prohibits_public_ip_.find(vnic->subnet_id);
      if (cached != subnet_prohibits_public_ip_.end()) {
        prohibited = cached->second;
        known = true;
      }
    }
    if (!known) {
      auto subnet = network_.GetSubnet(vnic->subnet_id);
      if (!subnet)
        return {.reason = reason::kOciError,
                .message = "GetSubnet: " + subnet.error().ToString(),
                .transient = true};
      prohibited = subnet->prohibit_public_ip_on_vnic;
      MutexLock lock(mu_);
      subnet_prohibits_public_ip_[vnic->subnet_id] = prohibited;
    }
    if (prohibited) {
      return {.reason = reason::kPrivateSubnet,
              .message = "pod address " + t.address + " is in subnet " + vnic->subnet_id +
                         ", which prohibits public IPs (prohibitPublicIpOnVnic)"};
    }
    m.resolved_pod_uid = t.pod_uid;
    m.resolved_address = t.address;
    m.resolved_private_ip_id = it->id;
    return {.private_ip_id = it->id};
  }
  // A VCN-native pod address shows up as a private IP shortly after the pod gets it.
  return {.reason = reason::kPrivateIpNotFound,
          .message = "no private IP " + t.address + " on the VNICs of instance " + t.instance_id,
          .transient = true};
}

PublicIpWriter::Resolved PublicIpWriter::ResolveTarget(
    Memory& m, const std::expected<Target, TargetProblem>& target) {
  if (!target) return {.reason = target.error().reason, .message = target.error().message};
  switch (target->kind) {
    case Target::Kind::kNone:
      return {};
    case Target::Kind::kPrivateIpId:
      return {.private_ip_id = target->private_ip_id};
    case Target::Kind::kPodAddress:
      return ResolvePodAddress(m, *target);
  }
  return {};
}

std::expected<oci::PublicIpPool, Observation> PublicIpWriter::LoadPool(const std::string& pool_id) {
  auto pool = network_.GetPublicIpPool(pool_id);
  if (!pool && IsNotFound(pool.error())) {
    return std::unexpected(Problem(reason::kUnknownPool,
                                   "spec.publicIPv4Pool: public IP pool " + pool_id + " does not exist", false));
  }
  if (!pool) return std::unexpected(OciFailure("GetPublicIpPool", pool.error()));
  return std::move(*pool);
}

Observation PublicIpWriter::Create(const ConvergeRequest& r, Memory& m) {
  const ReservedIPSpec& spec = *r.spec;
  if (!spec.pool_id.empty()) {
    if (auto pool = LoadPool(spec.pool_id); !pool) return pool.error();
  }
  // Allocate and assign in one call when the target is known already.
  Resolved target = ResolveTarget(m, r.target);
  // Nothing is created for an assignment that cannot be made yet (the pod does not exist, has
  // no IP, ...): when it can, allocating and assigning are one call. (A pod that goes away
  // later leaves its IP allocated.)
  if (!target.reason.empty())
    return Problem(target.reason.c_str(), target.message, target.transient);
  oci::CreatePublicIpDetails details{.compartment_id = settings_.compartment_id,
                                     .lifetime = "RESERVED",
                                     .display_name = r.key,
                                     .freeform_tags = DesiredTags(r),
                                     .private_ip_id = target.private_ip_id,
                                     .public_ip_pool_id = spec.pool_id};
  auto created = network_.CreatePublicIp(details, RetryTokenFor(r.uid));
  if (!created) {
    if (created.error().kind == ErrorKind::kConflict && !target.private_ip_id.empty()) {
      return Problem(reason::kPrivateIpHasPublicIp,
                     "private IP " + target.private_ip_id +
                         " already has a public IP: " + created.error().message,
                     false);
    }
    if (IsNotFound(created.error()) && !target.private_ip_id.empty()) {
      return Problem(reason::kPrivateIpNotFound,
                     "private IP " + target.private_ip_id + " does not exist", false);
    }
    return OciFailure("CreatePublicIp", created.error());
  }
  Observation o;
  o.ip = *created;
  o.ours = true;
  o.private_ip_id = created->private_ip_id;
  m.assigning_to = created->private_ip_id;
  m.moving = false;
  o.events.push_back({reason::kCreated, "created reserved public IP " + created->ip_address + " (" +
                                            created->id + ")"});
  o.state = created->InTransition()
                ? StateWhileWorking(*created, m)
                : (created->private_ip_id.empty() ? state::kAllocated : state::kAssigned);
  if (created->InTransition()) o.poll_after = NextPoll(m);
  if (!target.reason.empty()) {
    o.reason = target.reason;
    o.message = target.message;
  }
  return o;
}

Observation PublicIpWriter::Adopt(const ConvergeRequest& r, std::optional<oci::PublicIp>& ip) {
  const ReservedIPSpec& spec = *r.spec;
  auto found = network_.GetPublicIpByIpAddress(spec.address);
  if (!found && IsNotFound(found.error())) {
    return Problem(reason::kAddressNotFound,
                   "spec.publicIPv4Address: no public IP " + spec.address +
                       " exists in this tenancy and region; "
                       "OCI cannot allocate a chosen address, reserve it first",
                   false);
  }
  if (!found) return OciFailure("GetPublicIpByIpAddress", found.error());
  if (found->lifetime != "RESERVED") {
    return Problem(reason::kAddressNotReserved,
                   "spec.publicIPv4Address: public IP " + spec.address + " is " + found->lifetime +
                       ", not RESERVED",
                   false);
  }
  if (!spec.pool_id.empty()) {
    auto pool = LoadPool(spec.pool_id);
    if (!pool) return pool.error();
    if (!AddressInCidrs(spec.address, pool->cidr_blocks)) {
      return Problem(reason::kAddressNotInPool,
                     "spec.publicIPv4Address: " + spec.address +
                         " is not in the CIDR blocks of pool " + spec.pool_id,
                     false);
    }
  }
  ip = std::move(*found);
  return {};
}

Observation PublicIpWriter::Converge(const ConvergeRequest& r) {
  Memory& m = MemoryFor(r.key);
  const ReservedIPSpec& spec = *r.spec;
  std::optional<oci::PublicIp> ip;
  bool adopted_now = false;
  if (spec.Adopts()) {
    Observation refused = Adopt(r, ip);
    if (!refused.reason.empty()) return refused;
    adopted_now = r.known_public_ip_id != ip->id;
  } else {
    if (!r.known_public_ip_id.empty()) {
      auto got = network_.GetPublicIp(r.known_public_ip_id);
      if (got && got->lifecycle_state != oci::kPublicIpTerminated) {
        ip = std::move(*got);
      } else if (!got && !IsNotFound(got.error())) {
        return OciFailure("GetPublicIp", got.error());
      }
    }
    if (!ip) {
      auto ours = FindOurs(r.uid);
      if (!ours) return OciFailure("ListPublicIps", ours.error());
      ip = std::move(*ours);
    }
    if (!ip) return Create(r, m);
  }

  Observation o;
  o.ours = CarriesUid(*ip, r.uid);
  if (adopted_now && !o.ours) {
    o.events.push_back(
        {reason::kAdopted, "adopted reserved public IP " + ip->ip_address + " (" + ip->id + ")"});
  }
  if (ip->InTransition()) {
    o.state = StateWhileWorking(*ip, m);
    o.private_ip_id = ip->private_ip_id;
    o.poll_after = NextPoll(m);
    o.ip = std::move(ip);
    return o;
  }
  m.next_poll = {};
  if (!m.assigning_to.empty()) {
    if (ip->private_ip_id != m.assigning_to) {
      // UpdatePublicIp: "the assignment ... could fail silently ... the public IP remains
      // unassigned and its lifecycleState switches to AVAILABLE". Sent again below.
      o.events.push_back({reason::kAssignmentFailed,
                          "OCI did not assign " + ip->ip_address + " to private IP " +
                              m.assigning_to + "; retrying",
                          true});
    }
    m.assigning_to.clear();
    m.moving = false;
  }

  Resolved target = ResolveTarget(m, r.target);
  std::string desired = target.private_ip_id;
  const std::string current = ip->private_ip_id;
  // A pod that is gone leaves the IP allocated; other target problems (node or private IP not
  // known yet) change nothing in OCI until they are resolved.
  const bool leave_as_is = !target.reason.empty() && target.reason != reason::kPodNotFound;
  if (leave_as_is) desired = current;
  o.reason = target.reason;
  o.message = target.message;
  o.transient = target.transient;

  oci::UpdatePublicIpDetails update;
  if (o.ours) {
    auto tags = DesiredTags(r);
    if (tags != ip->freeform_tags) update.freeform_tags = std::move(tags);
  }
  if (desired != current) update.private_ip_id = desired;
  if (!update.private_ip_id && !update.freeform_tags) {
    o.state = current.empty() ? state::kAllocated : state::kAssigned;
    o.private_ip_id = current;
    o.ip = std::move(ip);
    return o;
  }
  auto updated = network_.UpdatePublicIp(ip->id, update);
  if (!updated) {
    if (update.private_ip_id && !desired.empty() && updated.error().kind == ErrorKind::kConflict) {
      Observation p = Problem(
          reason::kPrivateIpHasPublicIp,
          "private IP " + desired + " already has a public IP: " + updated.error().message, false);
      p.ip = std::move(ip);
      p.ours = o.ours;
      p.state = current.empty() ? state::kAllocated : state::kAssigned;
      p.private_ip_id = current;
      return p;
    }
    if (update.private_ip_id && !desired.empty() && IsNotFound(updated.error())) {
      m.resolved_private_ip_id.clear();
      return Problem(reason::kPrivateIpNotFound, "private IP " + desired + " does not exist", true);
    }
    return OciFailure("UpdatePublicIp", updated.error());
  }
  if (update.private_ip_id) {
    if (desired.empty()) {
      o.events.push_back({reason::kUnassignStarted,
                          "unassigning " + ip->ip_address + " from private IP " + current});
    } else {
      m.assigning_to = desired;
      m.moving = !current.empty();
      o.events.push_back({reason::kAssignStarted, (current.empty() ? "assigning " : "moving ") +
                                                      ip->ip_address + " to private IP " + desired +
                                                      (r.target && !r.target->pod_name.empty()
                                                           ? " (pod " + r.target->pod_name + ")"
                                                           : "")});
    }
  }
  o.ip = *updated;
  o.private_ip_id = updated->private_ip_id;
  if (updated->InTransition()) {
    o.state = StateWhileWorking(*updated, m);
    o.poll_after = NextPoll(m);
  } else {
    o.state = updated->private_ip_id.empty() ? state::kAllocated : state::kAssigned;
  }
  return o;
}

Observation PublicIpWriter::Release(const ReleaseRequest& r) {
  Memory& m = MemoryFor(r.key);
  std::optional<oci::PublicIp> ip;
  if (!r.known_public_ip_id.empty()) {
    auto got = network_.GetPublicIp(r.known_public_ip_id);
    if (got) {
      ip = std::move(*got);
    } else if (!IsNotFound(got.error())) {
      return OciFailure("GetPublicIp", got.error());
    }
  } else if (!r.address.empty()) {
    auto got = network_.GetPublicIpByIpAddress(r.address);
    if (got) {
      ip = std::move(*got);
    } else if (!IsNotFound(got.error())) {
      return OciFailure("GetPublicIpByIpAddress", got.error());
    }
  } else {
    auto ours = FindOurs(r.uid);
    if (!ours) return OciFailure("ListPublicIps", ours.error());
    ip = std::move(*ours);
  }
  Observation o;
  if (!ip || ip->lifecycle_state == oci::kPublicIpTerminated) {
    if (m.deleting) o.events.push_back({reason::kReleased, "released the reserved public IP"});
    o.released = true;
    return o;
  }
  o.ours = CarriesUid(*ip, r.uid);
  o.private_ip_id = ip->private_ip_id;
  if (ip->InTransition()) {
    o.state = StateWhileWorking(*ip, m);
    o.poll_after = NextPoll(m);
    o.ip = std::move(ip);
    return o;
  }
  // Only an IP this resource created is ever deleted, whatever the policy says.
  if (r.reclaim == ReclaimPolicy::kDelete && o.ours) {
    if (auto st = network_.DeletePublicIp(ip->id); !st && !IsNotFound(st.error())) {
      return OciFailure("DeletePublicIp", st.error());
    }
    m.deleting = true;
    o.state = state::kReleasing;
    o.poll_after = NextPoll(m);
    o.ip = std::move(ip);
    return o;
  }
  if (!ip->private_ip_id.empty()) {
    auto updated = network_.UpdatePublicIp(ip->id, {.private_ip_id = std::string()});
    if (!updated) return OciFailure("UpdatePublicIp", updated.error());
    o.events.push_back({reason::kUnassignStarted,
                        "unassigning " + ip->ip_address + " before the resource goes away"});
    o.state = state::kUnassigning;
    o.poll_after = NextPoll(m);
    o.ip = *updated;
    return o;
  }
  o.events.push_back(
      {reason::kKeptOnDelete,
       "kept reserved public IP " + ip->ip_address + " (" + ip->id +
           (o.ours ? "): reclaimPolicy Retain" : "): not created by this resource")});
  o.released = true;
  o.ip = std::move(ip);
  return o;
}

}  // namespace ccm::cloud::reservedip
