// What the informer keeps of an LBRegistrar: identity, finalizers and the raw spec the
// controller parses. Nothing of its status: the controller writes status and reads it from
// nowhere, and a kept status field would turn every status write into an update event and a
// needless sync.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"

namespace ccm::cloud::registrar {

struct LBRegistrarObject {
  std::string name;
  std::string uid;
  int64_t generation = 0;
  std::string resource_version;
  std::string deletion_timestamp;
  std::vector<std::string> finalizers;
  std::string spec_json;  // raw spec; the controller parses and validates it

  bool HasFinalizer(std::string_view f) const;
  // Ignores resource_version: an update that changes nothing else is not delivered.
  bool operator==(const LBRegistrarObject& o) const;
};

Result<LBRegistrarObject> ProjectLBRegistrar(const json::Value& object);
std::string ObjectKey(const LBRegistrarObject& o);
size_t ApproxBytes(const LBRegistrarObject& o);

}  // namespace ccm::cloud::registrar
