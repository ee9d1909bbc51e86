#include "pkg/cloud/reservedip/reservedip_projection.h"

#include <algorithm>

#include "pkg/base/status_macros.h"
#include "pkg/kube/informer/projection_fields.h"

namespace ccm::cloud::reservedip {

namespace fields = kube::projection;

bool ReservedIPObject::HasFinalizer(std::string_view f) const {
  return std::find(finalizers.begin(), finalizers.end(), f) != finalizers.end();
}

bool ReservedIPObject::operator==(const ReservedIPObject& o) const {
  return namespace_ == o.namespace_ && name == o.name && uid == o.uid &&
         generation == o.generation && deletion_timestamp == o.deletion_timestamp &&
         finalizers == o.finalizers && spec_json == o.spec_json && public_ip_id == o.public_ip_id;
}

Result<ReservedIPObject> ProjectReservedIP(const json::Value& object) {
  ASSIGN_OR_RETURN(auto meta, fields::ReadMeta(object, "ReservedIP"));
  ReservedIPObject r;
  r.namespace_ = meta.namespace_name;
  r.name = meta.name;
  r.uid = meta.uid;
  r.generation = meta.generation;
  r.resource_version = meta.resource_version;
  r.deletion_timestamp = meta.deletion_timestamp;
  r.finalizers = fields::Strings(*meta.metadata, "finalizers");
  if (const json::Value* spec = json::Find(object, "spec"); spec != nullptr) {
    r.spec_json = json::Serialize(*spec);
    r.pod_name = fields::Str(fields::Member(*spec, "assignment"), "podName");
  }
  r.public_ip_id = fields::Str(fields::Member(object, "status"), "publicIpId");
  return r;
}

Result<PodRef> ProjectPod(const json::Value& object) {
  ASSIGN_OR_RETURN(auto meta, fields::ReadMeta(object, "Pod"));
  PodRef p;
  p.namespace_ = meta.namespace_name;
  p.name = meta.name;
  p.uid = meta.uid;
  p.deleting = !meta.deletion_timestamp.empty();
  const json::Value& spec = fields::Member(object, "spec");
  p.node_name = fields::Str(spec, "nodeName");
  p.host_network = fields::Bool(spec, "hostNetwork", false);
  p.pod_ip = fields::Str(fields::Member(object, "status"), "podIP");
  return p;
}

std::string ObjectKey(const ReservedIPObject& o) { return o.namespace_ + "/" + o.name; }
std::string ObjectKey(const PodRef& o) { return o.namespace_ + "/" + o.name; }

size_t ApproxBytes(const PodRef& p) {
  return sizeof(PodRef) + fields::HeapBytes(p.namespace_) + fields::HeapBytes(p.name) +
         fields::HeapBytes(p.uid) + fields::HeapBytes(p.pod_ip) + fields::HeapBytes(p.node_name);
}

}  // namespace ccm::cloud::reservedip
