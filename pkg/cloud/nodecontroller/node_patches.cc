#include "pkg/cloud/nodecontroller/node_patches.h"

#include "pkg/base/status_macros.h"
#include "pkg/cloud/nodecontroller/node_taints.h"

namespace ccm::cloud::nodecontroller {
namespace {

using rapidjson::Value;

std::string_view StringField(const Value& obj, std::string_view field) {
  const Value* v = json::Find(obj, field);
  return v != nullptr && v->IsString() ? std::string_view(v->GetString(), v->GetStringLength()) : std::string_view();
}

const Value* Taints(const Value& node) {
  const Value* spec = json::Find(node, "spec");
  if (spec == nullptr) return nullptr;
  const Value* taints = json::Find(*spec, "taints");
  return taints != nullptr && taints->IsArray() ? taints : nullptr;
}

Value Str(std::string_view s, json::Document::AllocatorType& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

Value& EnsureObject(Value& parent, std::string_view name, json::Document::AllocatorType& a) {
  auto it = parent.FindMember(Str(name, a));
  if (it == parent.MemberEnd()) {
    parent.AddMember(Str(name, a), Value(rapidjson::kObjectType), a);
    it = parent.FindMember(Str(name, a));
  }
  return it->value;
}

// The node's taints without those whose key is `key`, deep-copied into `doc`'s allocator.
Value TaintsWithout(const Value& node, std::string_view key, json::Document& doc, bool& removed) {
  Value out(rapidjson::kArrayType);
  removed = false;
  if (const Value* taints = Taints(node)) {
    for (const auto& t : taints->GetArray()) {
      if (StringField(t, "key") == key) {
        removed = true;
        continue;
      }
      out.PushBack(Value(t, doc.GetAllocator()), doc.GetAllocator());
    }
  }
  return out;
}

}  // namespace

std::string NodePath(std::string_view name) { return "/api/v1/nodes/" + std::string(name); }

Result<PatchOutcome> PatchNodeConflictSafe(kube::RestClient& client, const std::string& name,
                                           const NodePatchBuilder& build, int max_attempts) {
  PatchOutcome outcome;
  Error last = MakeError(ErrorKind::kConflict, "no attempt made");
  for (int attempt = 0; attempt < std::max(1, max_attempts); ++attempt) {
    auto body = client.Get(NodePath(name));
    if (!body) return Fail(body.error().Wrap("reading node " + name));
    ASSIGN_OR_RETURN(auto node, json::Parse(*body, "node " + name));
    ASSIGN_OR_RETURN(auto patch, build(node));
    if (!patch.has_value()) return outcome;
    json::Document& doc = *patch;
    const Value* node_metadata = json::Find(node, "metadata");
    std::string_view rv = node_metadata != nullptr ? StringField(*node_metadata, "resourceVersion") : "";
    Value& metadata = EnsureObject(doc, "metadata", doc.GetAllocator());
    metadata.RemoveMember("resourceVersion");
    metadata.AddMember("resourceVersion", Str(rv, doc.GetAllocator()), doc.GetAllocator());
    auto patched = client.Patch(NodePath(name), kube::PatchType::kMerge, json::Serialize(doc));
    if (patched) {
      outcome.patched = true;
      return outcome;
    }
    if (patched.error().kind != ErrorKind::kConflict) return Fail(patched.error().Wrap("patching node " + name));
    ++outcome.conflicts;
    last = patched.error();
  }
  return Fail(last.Wrap("patching node " + name + ": still conflicting after " + std::to_string(max_attempts) +
                        " attempts; will retry"));
}

std::optional<json::Document> InitializationPatch(const json::Value& node, const std::string& provider_id,
                                                  const std::vector<std::pair<std::string, std::string>>& labels) {
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  bool changed = false;

  const Value* current_labels = nullptr;
  if (const Value* metadata = json::Find(node, "metadata")) current_labels = json::Find(*metadata, "labels");
  Value label_patch(rapidjson::kObjectType);
  for (const auto& [key, value] : labels) {
    const Value* current = current_labels != nullptr ? json::Find(*current_labels, key) : nullptr;
    if (current != nullptr && current->IsString() && std::string_view(current->GetString()) == value) continue;
    label_patch.AddMember(Str(key, a), Str(value, a), a);
  }
  if (label_patch.MemberCount() > 0) {
    EnsureObject(doc, "metadata", a).AddMember("labels", label_patch, a);
    changed = true;
  }

  const Value* spec = json::Find(node, "spec");
  if ((spec == nullptr || StringField(*spec, "providerID").empty()) && !provider_id.empty()) {
    EnsureObject(doc, "spec", a).AddMember("providerID", Str(provider_id, a), a);
    changed = true;
  }

  bool removed = false;
  Value taints = TaintsWithout(node, kUninitializedTaintKey, doc, removed);
  if (removed) {
    EnsureObject(doc, "spec", a).AddMember("taints", taints, a);
    changed = true;
  }
  if (!changed) return std::nullopt;
  return doc;
}

std::optional<json::Document> AddTaintPatch(const json::Value& node, std::string_view key, std::string_view effect) {
  if (const Value* taints = Taints(node)) {
    for (const auto& t : taints->GetArray()) {
      if (StringField(t, "key") == key && StringField(t, "effect") == effect) return std::nullopt;
    }
  }
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  Value list(rapidjson::kArrayType);
  if (const Value* taints = Taints(node)) {
    for (const auto& t : taints->GetArray()) list.PushBack(Value(t, a), a);
  }
  Value taint(rapidjson::kObjectType);
  taint.AddMember("key", Str(key, a), a);
  taint.AddMember("effect", Str(effect, a), a);
  list.PushBack(taint, a);
  EnsureObject(doc, "spec", a).AddMember("taints", list, a);
  return doc;
}

std::optional<json::Document> RemoveTaintPatch(const json::Value& node, std::string_view key) {
  json::Document doc(rapidjson::kObjectType);
  bool removed = false;
  Value taints = TaintsWithout(node, key, doc, removed);
  if (!removed) return std::nullopt;
  EnsureObject(doc, "spec", doc.GetAllocator()).AddMember("taints", taints, doc.GetAllocator());
  return doc;
}

Status PatchNodeAddresses(kube::RestClient& client, const std::string& name,
                          const std::vector<instances::Address>& addresses) {
  std::string body = R"({"status":{"addresses":[)";
  for (size_t i = 0; i < addresses.size(); ++i) {
    if (i > 0) body += ',';
    body += R"({"type":)";
    json::AppendQuoted(body, addresses[i].type);
    body += R"(,"address":)";
    json::AppendQuoted(body, addresses[i].address);
    body += '}';
  }
  body += "]}}";
  auto patched = client.Patch(NodePath(name), kube::PatchType::kMerge, body, /*status_subresource=*/true);
  if (!patched) return Fail(patched.error().Wrap("patching status.addresses of node " + name));
  return {};
}

}  // namespace ccm::cloud::nodecontroller
