#include "pkg/cloud/registrar/lbregistrar_projection.h"

#include <algorithm>

#include "pkg/base/status_macros.h"
#include "pkg/kube/informer/projection_fields.h"

namespace ccm::cloud::registrar {

namespace fields = kube::projection;

bool LBRegistrarObject::HasFinalizer(std::string_view f) const {
  return std::find(finalizers.begin(), finalizers.end(), f) != finalizers.end();
}

bool LBRegistrarObject::operator==(const LBRegistrarObject& o) const {
  return name == o.name && uid == o.uid && generation == o.generation && deletion_timestamp == o.deletion_timestamp &&
         finalizers == o.finalizers && spec_json == o.spec_json;
}

Result<LBRegistrarObject> ProjectLBRegistrar(const json::Value& object) {
  ASSIGN_OR_RETURN(auto meta, fields::ReadMeta(object, "LBRegistrar"));
  LBRegistrarObject r;
  r.name = meta.name;
  r.uid = meta.uid;
  r.generation = meta.generation;
  r.resource_version = meta.resource_version;
  r.deletion_timestamp = meta.deletion_timestamp;
  r.finalizers = fields::Strings(*meta.metadata, "finalizers");
  if (const json::Value* spec = json::Find(object, "spec"); spec != nullptr) r.spec_json = json::Serialize(*spec);
  return r;
}

std::string ObjectKey(const LBRegistrarObject& o) { return o.name; }

size_t ApproxBytes(const LBRegistrarObject& o) {
  size_t b = sizeof(LBRegistrarObject) + fields::HeapBytes(o.name) + fields::HeapBytes(o.uid) +
             fields::HeapBytes(o.resource_version) + fields::HeapBytes(o.deletion_timestamp) +
             fields::HeapBytes(o.spec_json) + fields::Capacity(o.finalizers);
  for (const auto& f : o.finalizers) b += fields::HeapBytes(f);
  return b;
}

}  // namespace ccm::cloud::registrar
