// Conflict-safe writes to Nodes. Lists such as spec.taints are replaced whole by a merge
// patch, so every patch is built from the node as the API server has it NOW (a fresh GET,
// keeping fields the cache drops, e.g. a taint's timeAdded) and carries that
// metadata.resourceVersion as a precondition: a concurrent writer makes it fail with 409,
// and the node is read again and the patch rebuilt.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"
#include "pkg/cloud/instances/instances.h"
#include "pkg/kube/rest_client.h"

namespace ccm::cloud::nodecontroller {

std::string NodePath(std::string_view name);

// Builds the merge patch for `node` (the full API object); nullopt = nothing to change.
using NodePatchBuilder = std::function<Result<std::optional<json::Document>>(const json::Value& node)>;

struct [[nodiscard]] PatchOutcome {
  bool patched = false;  // false: the builder found nothing to change
  int conflicts = 0;     // 409s met on the way
};

// GET, build, PATCH with the read resourceVersion; on 409 repeat, at most `max_attempts`
// times. kNotFound when the node does not exist (anymore).
Result<PatchOutcome> PatchNodeConflictSafe(kube::RestClient& client, const std::string& name,
                                           const NodePatchBuilder& build, int max_attempts = 5);

// Initialization: sets spec.providerID when empty, sets `labels` that differ, and removes the
// uninitialized taint. nullopt when all of that is already so.
std::optional<json::Document> InitializationPatch(
    const json::Value& node, const std::string& provider_id,
    const std::vector<std::pair<std::string, std::string>>& labels);

// Adds taint `key`:`effect` unless a taint with that key and effect is there.
std::optional<json::Document> AddTaintPatch(const json::Value& node, std::string_view key,
                                            std::string_view effect);
// Removes every taint with `key`; nullopt when there is none.
std::optional<json::Document> RemoveTaintPatch(const json::Value& node, std::string_view key);

// PATCHes status.addresses (the status subresource) to exactly `addresses`.
Status PatchNodeAddresses(kube::RestClient& client, const std::string& name,
                          const std::vector<instances::Address>& addresses);

}  // namespace ccm::cloud::nodecontroller
