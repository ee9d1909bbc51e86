#include "test/mocks/fake_rest_client.h"

#include <algorithm>

#include "pkg/base/status_macros.h"
#include "pkg/kube/meta_time.h"

namespace ccm::testing {
namespace {

using json::Document;
using json::Value;

struct ParsedPath {
  std::string prefix;  // "/api/v1" or "/apis/group/version"
  std::string ns;
  std::string resource;
  std::string name;
};

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<ParsedPath> ParsePath(const std::string& path) {
  std::vector<std::string> seg;
  for (auto& s : Split(path, '/')) {
    if (!s.empty()) seg.push_back(s);
  }
  ParsedPath p;
  size_t i;
  if (seg.size() >= 2 && seg[0] == "api") {
    p.prefix = "/api/" + seg[1];
    i = 2;
  } else if (seg.size() >= 3 && seg[0] == "apis") {
    p.prefix = "/apis/" + seg[1] + "/" + seg[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  std::vector<std::string> rest(seg.begin() + i, seg.end());
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    p.ns = rest[1];
    p.resource = rest[2];
    if (rest.size() > 3) p.name = rest[3];
    if (rest.size() > 4) return std::nullopt;
  } else if (!rest.empty() && rest.size() <= 2) {
    p.resource = rest[0];
    if (rest.size() > 1) p.name = rest[1];
  } else {
    return std::nullopt;
  }
  return p;
}

// Does object path `object` belong to the collection (or single object) `collection`?
bool InCollection(const ParsedPath& collection, const std::string& collection_path, const std::string& object) {
  if (!collection.name.empty()) return object == collection_path;
  auto p = ParsePath(object);
  return p && p->prefix == collection.prefix && p->resource == collection.resource &&
         (collection.ns.empty() || collection.ns == p->ns);
}

Error ApiError(ErrorKind kind, int status, std::string code, std::string message) {
  Error e = MakeError(kind, std::move(message));
  e.http_status = status;
  e.code = std::move(code);
  return e;
}

Error NotFound(const std::string& path) {
  return ApiError(ErrorKind::kNotFound, 404, "NotFound", path + " not found");
}

Error Invalid(const std::string& message) {
  return ApiError(ErrorKind::kInvalidArgument, 422, "Invalid", message);
}

Result<Document> ParseBody(const std::string& body) {
  auto doc = json::Parse(body, "request body");
  if (!doc) return Fail(ApiError(ErrorKind::kInvalidArgument, 400, "BadRequest", doc.error().message));
  if (!doc->IsObject()) return Fail(ApiError(ErrorKind::kInvalidArgument, 400, "BadRequest", "body must be an object"));
  return std::move(*doc);
}

Value& Ensure(Value& obj, const char* field, Document::AllocatorType& a) {
  auto it = obj.FindMember(field);
  if (it == obj.MemberEnd() || !it->value.IsObject()) {
    if (it != obj.MemberEnd()) obj.RemoveMember(it);
    obj.AddMember(Value(field, a), Value(rapidjson::kObjectType), a);
    it = obj.FindMember(field);
  }
  return it->value;
}

void SetString(Value& obj, const char* field, const std::string& v, Document::AllocatorType& a) {
  obj.RemoveMember(field);
  obj.AddMember(Value(field, a), Value(v.c_str(), static_cast<rapidjson::SizeType>(v.size()), a), a);
}

std::string StringField(const Value& obj, const char* field) {
  const Value* v = json::Find(obj, field);
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}

const Value* Meta(const Value& obj) { return json::Find(obj, "metadata"); }

std::string MetaString(const Value& obj, const char* field) {
  const Value* m = Meta(obj);
  return m ? StringField(*m, field) : std::string();
}

bool HasFinalizers(const Value& obj) {
  const Value* m = Meta(obj);
  const Value* f = m ? json::Find(*m, "finalizers") : nullptr;
  return f && f->IsArray() && !f->Empty();
}

std::string SerializeField(const Value& obj, const char* field) {
  const Value* v = json::Find(obj, field);
  return v ? json::Serialize(*v) : std::string();
}

// RFC 7386.
void MergePatch(Value& target, const Value& patch, Document::AllocatorType& a) {
  if (!patch.IsObject()) {
    target.CopyFrom(patch, a);
    return;
  }
  if (!target.IsObject()) target.SetObject();
  for (auto& m : patch.GetObject()) {
    if (m.value.IsNull()) {
      target.RemoveMember(m.name);
      continue;
    }
    auto it = target.FindMember(m.name);
    if (it == target.MemberEnd()) {
      target.AddMember(Value(m.name, a), Value(rapidjson::kNullType), a);
      it = target.FindMember(m.name);
    }
    MergePatch(it->value, m.value, a);
  }
}

std::vector<std::string> PointerTokens(const std::string& pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  auto parts = Split(std::string_view(pointer).substr(1), '/');
  for (auto& t : parts) {
    std::string out;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '~' && i + 1 < t.size()) {
        out.push_back(t[i + 1] == '1' ? '/' : '~');
        ++i;
      } else {
        out.push_back(t[i]);
      }
    }
    tokens.push_back(out);
  }
  return tokens;
}

// RFC 6902 add, replace, remove and test.
Status JsonPatch(Document& doc, const Value& ops) {
  if (!ops.IsArray()) return Fail(Invalid("json patch must be an array"));
  auto& a = doc.GetAllocator();
  for (auto& op : ops.GetArray()) {
    std::string kind = StringField(op, "op");
    auto tokens = PointerTokens(StringField(op, "path"));
    if (tokens.empty()) return Fail(Invalid("json patch path must not be the root"));
    Value* parent = &doc;
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
      if (parent->IsObject()) {
        auto it = parent->FindMember(tokens[i]);
        if (it == parent->MemberEnd()) return Fail(Invalid("json patch path not found: " + tokens[i]));
        parent = &it->value;
      } else if (parent->IsArray()) {
        size_t idx = std::stoul(tokens[i]);
        if (idx >= parent->Size()) return Fail(Invalid("json patch index out of range"));
        parent = &(*parent)[static_cast<rapidjson::SizeType>(idx)];
      } else {
        return Fail(Invalid("json patch path crosses a scalar"));
      }
    }
    const std::string& last = tokens.back();
    const Value* value = json::Find(op, "value");
    if (kind == "test") {
      const Value* cur = parent->IsObject() ? json::Find(*parent, last) : nullptr;
      if (!cur || !value || *cur != *value) return Fail(Invalid("json patch test failed at " + last));
    } else if (kind == "remove" || kind == "replace" || kind == "add") {
      if ((kind != "remove") && !value) return Fail(Invalid("json patch " + kind + " needs a value"));
      if (parent->IsObject()) {
        bool exists = parent->HasMember(last);
        if (kind != "add" && !exists) return Fail(Invalid("json patch path not found: " + last));
        if (exists) parent->RemoveMember(last);
        if (kind != "remove") parent->AddMember(Value(last, a), Value(*value, a), a);
      } else if (parent->IsArray()) {
        if (kind == "add" && last == "-") {
          parent->PushBack(Value(*value, a), a);
          continue;
        }
        size_t idx = std::stoul(last);
        if (idx > parent->Size() || (kind != "add" && idx == parent->Size())) {
          return Fail(Invalid("json patch index out of range"));
        }
        if (kind == "replace") {
          (*parent)[static_cast<rapidjson::SizeType>(idx)].CopyFrom(*value, a);
        } else if (kind == "remove") {
          parent->Erase(parent->Begin() + idx);
        } else {
          parent->PushBack(Value(rapidjson::kNullType), a);
          for (size_t j = parent->Size() - 1; j > idx; --j) {
            (*parent)[static_cast<rapidjson::SizeType>(j)] = (*parent)[static_cast<rapidjson::SizeType>(j - 1)];
          }
          (*parent)[static_cast<rapidjson::SizeType>(idx)].CopyFrom(*value, a);
        }
      } else {
        return Fail(Invalid("json patch target is a scalar"));
      }
    } else {
      return Fail(Invalid("json patch op \"" + kind + "\" is not supported by the fake"));
    }
  }
  return {};
}

struct Requirement {
  std::string key, op;  // = != exists !exists in notin
  std::vector<std::string> values;
};

std::string Trim(std::string s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

Result<std::vector<Requirement>> ParseLabelSelector(const std::string& selector) {
  std::vector<std::string> terms;
  int depth = 0;
  std::string cur;
  for (char c : selector) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      terms.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) terms.push_back(cur);
  std::vector<Requirement> out;
  for (auto term : terms) {
    term = Trim(term);
    if (term.empty()) continue;
    Requirement r;
    size_t p;
    if (auto in = term.find(" notin "); in != std::string::npos) {
      r.key = Trim(term.substr(0, in)), r.op = "notin", p = in + 7;
    } else if (auto in2 = term.find(" in "); in2 != std::string::npos) {
      r.key = Trim(term.substr(0, in2)), r.op = "in", p = in2 + 4;
    } else if ((p = term.find("!=")) != std::string::npos) {
      r = {Trim(term.substr(0, p)), "=", {Trim(term.substr(p + 2))}};
      r.op = "!=";
      out.push_back(r);
      continue;
    } else if ((p = term.find("==")) != std::string::npos) {
      out.push_back({Trim(term.substr(0, p)), "=", {Trim(term.substr(p + 2))}});
      continue;
    } else if ((p = term.find('=')) != std::string::npos) {
      out.push_back({Trim(term.substr(0, p)), "=", {Trim(term.substr(p + 1))}});
      continue;
    } else if (term[0] == '!') {
      out.push_back({Trim(term.substr(1)), "!exists", {}});
      continue;
    } else {
      out.push_back({term, "exists", {}});
      continue;
    }
    std::string set = Trim(term.substr(p));
    if (set.size() < 2 || set.front() != '(' || set.back() != ')') {
      return Fail(ApiError(ErrorKind::kInvalidArgument, 400, "BadRequest", "bad label selector " + selector));
    }
    for (auto& v : Split(set.substr(1, set.size() - 2), ',')) r.values.push_back(Trim(v));
    out.push_back(r);
  }
  return out;
}

bool LabelsMatch(const Value& obj, const std::vector<Requirement>& reqs) {
  const Value* m = Meta(obj);
  const Value* labels = m ? json::Find(*m, "labels") : nullptr;
  for (const auto& r : reqs) {
    const Value* v = labels ? json::Find(*labels, r.key) : nullptr;
    std::optional<std::string> value;
    if (v && v->IsString()) value = std::string(v->GetString(), v->GetStringLength());
    bool ok;
    if (r.op == "=") ok = value && *value == r.values[0];
    else if (r.op == "!=") ok = !value || *value != r.values[0];
    else if (r.op == "exists") ok = value.has_value();
    else if (r.op == "!exists") ok = !value;
    else if (r.op == "in") ok = value && std::ranges::find(r.values, *value) != r.values.end();
    else ok = !value || std::ranges::find(r.values, *value) == r.values.end();
    if (!ok) return false;
  }
  return true;
}

bool FieldsMatch(const Value& obj, const std::string& selector) {
  for (auto term : Split(selector, ',')) {
    term = Trim(term);
    if (term.empty()) continue;
    bool negate = false;
    size_t p = term.find("!=");
    size_t vlen = 2;
    if (p != std::string::npos) {
      negate = true;
    } else if ((p = term.find("==")) == std::string::npos) {
      p = term.find('=');
      vlen = 1;
    }
    if (p == std::string::npos) return false;
    std::string want = term.substr(p + vlen);
    const Value* cur = &obj;
    for (auto& part : Split(term.substr(0, p), '.')) {
      cur = cur ? json::Find(*cur, part) : nullptr;
    }
    std::string have;
    if (cur && cur->IsString()) have = std::string(cur->GetString(), cur->GetStringLength());
    else if (cur && !cur->IsNull()) have = json::Serialize(*cur);
    if ((have == want) == negate) return false;
  }
  return true;
}

}  // namespace

FakeRestClient::FakeRestClient(const Clock& clock) : clock_(clock) {}

void FakeRestClient::SetReactor(Reactor reactor) {
  std::lock_guard lock(mu_);
  reactor_ = std::move(reactor);
}

std::optional<Error> FakeRestClient::React(const std::string& method, const std::string& path,
                                           const std::string& body) {
  Reactor reactor;
  {
    std::lock_guard lock(mu_);
    requests_.push_back({method, path, body});
    reactor = reactor_;
  }
  if (reactor) return reactor(FakeRequest{method, path, body});
  return std::nullopt;
}

Result<std::string> FakeRestClient::Get(const std::string& path) {
  if (auto e = React("GET", path, "")) return Fail(*e);
  std::lock_guard lock(mu_);
  auto it = objects_.find(path);
  if (it == objects_.end()) return Fail(NotFound(path));
  return it->second;
}

Result<std::string> FakeRestClient::List(const std::string& path, const kube::ListOptions& options,
                                         const std::function<Status(const json::Document& page)>& on_page) {
  if (auto e = React("LIST", path, "")) return Fail(*e);
  auto parsed = ParsePath(path);
  if (!parsed) return Fail(NotFound(path));
  ASSIGN_OR_RETURN(auto reqs, ParseLabelSelector(options.label_selector));
  std::vector<std::string> items;
  std::string rv;
  {
    std::lock_guard lock(mu_);
    rv = std::to_string(rv_);
    for (const auto& [p, text] : objects_) {
      if (!InCollection(*parsed, path, p)) continue;
      auto doc = json::Parse(text, "stored object");
      if (!doc || !LabelsMatch(*doc, reqs) || !FieldsMatch(*doc, options.field_selector)) continue;
      items.push_back(text);
    }
  }
  size_t page_size = options.limit > 0 ? static_cast<size_t>(options.limit) : items.size();
  size_t start = 0;
  do {
    size_t end = std::min(items.size(), start + std::max<size_t>(page_size, 1));
    std::string page = R"({"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":")" + rv + "\"";
    if (end < items.size()) page += R"(,"continue":"page-)" + std::to_string(end) + "\"";
    page += R"(},"items":[)";
    for (size_t i = start; i < end; ++i) {
      if (i > start) page += ",";
      page += items[i];
    }
    page += "]}";
    ASSIGN_OR_RETURN(auto doc, json::Parse(page, "list page"));
    RETURN_IF_ERROR(on_page(doc));
    start = end;
  } while (start < items.size());
  return rv;
}

Result<std::string> FakeRestClient::StoreLocked(const std::string& path, Document& doc, const char* event_type) {
  auto& a = doc.GetAllocator();
  Value& meta = Ensure(doc, "metadata", a);
  SetString(meta, "resourceVersion", std::to_string(++rv_), a);
  std::string text = json::Serialize(doc);
  objects_[path] = text;
  history_.push_back({rv_, event_type, path, text});
  changed_.notify_all();
  return text;
}

Result<std::string> FakeRestClient::Create(const std::string& collection_path, const std::string& body) {
  if (auto e = React("CREATE", collection_path, body)) return Fail(*e);
  auto parsed = ParsePath(collection_path);
  if (!parsed || !parsed->name.empty()) return Fail(NotFound(collection_path));
  ASSIGN_OR_RETURN(auto doc, ParseBody(body));
  auto& a = doc.GetAllocator();
  std::lock_guard lock(mu_);
  Value& meta = Ensure(doc, "metadata", a);
  if (!StringField(meta, "resourceVersion").empty()) {
    return Fail(Invalid("metadata.resourceVersion: Invalid value: resourceVersion should not be set on objects to be created"));
  }
  std::string name = StringField(meta, "name");
  if (name.empty()) {
    std::string generate = StringField(meta, "generateName");
    if (generate.empty()) return Fail(Invalid("metadata.name: Required value: name or generateName is required"));
    name = generate + "f" + std::to_string(next_uid_ * 7919 % 100000);
    SetString(meta, "name", name, a);
  }
  std::string ns = StringField(meta, "namespace");
  if (!parsed->ns.empty()) {
    if (!ns.empty() && ns != parsed->ns) {
      return Fail(ApiError(ErrorKind::kInvalidArgument, 400, "BadRequest",
                           "metadata.namespace " + ns + " does not match the request namespace " + parsed->ns));
    }
    SetString(meta, "namespace", parsed->ns, a);
  }
  std::string path = collection_path + "/" + name;
  if (objects_.contains(path)) {
    return Fail(ApiError(ErrorKind::kConflict, 409, "AlreadyExists", parsed->resource + " \"" + name + "\" already exists"));
  }
  SetString(meta, "uid", "fake-uid-" + std::to_string(next_uid_++), a);
  SetString(meta, "creationTimestamp", kube::FormatTime(clock_.WallNow()), a);
  meta.RemoveMember("generation");
  meta.AddMember("generation", 1, a);
  meta.RemoveMember("deletionTimestamp");
  return StoreLocked(path, doc, "ADDED");
}

Result<std::string> FakeRestClient::ReplaceLocked(const std::string& path, Document& next, bool status_only) {
  auto it = objects_.find(path);
  if (it == objects_.end()) return Fail(NotFound(path));
  ASSIGN_OR_RETURN(auto current, json::Parse(it->second, "stored object"));
  auto& a = next.GetAllocator();
  std::string want_rv = MetaString(next, "resourceVersion");
  if (!want_rv.empty() && want_rv != MetaString(current, "resourceVersion")) {
    return Fail(ApiError(ErrorKind::kConflict, 409, "Conflict",
                         "Operation cannot be fulfilled on " + path +
                             ": the object has been modified; please apply your changes to the latest version and try again"));
  }
  Document result;
  if (status_only) {
    result.CopyFrom(current, result.GetAllocator());
    result.RemoveMember("status");
    if (const Value* s = json::Find(next, "status")) {
      result.AddMember("status", Value(*s, result.GetAllocator()), result.GetAllocator());
    }
  } else {
    result.CopyFrom(next, result.GetAllocator());
    result.RemoveMember("status");
    if (const Value* s = json::Find(current, "status")) {
      result.AddMember("status", Value(*s, result.GetAllocator()), result.GetAllocator());
    }
    // Server-owned metadata cannot be changed by a client.
    Value& meta = Ensure(result, "metadata", result.GetAllocator());
    const Value& old_meta = *Meta(current);
    for (const char* field : {"uid", "creationTimestamp", "deletionTimestamp", "name", "namespace"}) {
      meta.RemoveMember(field);
      if (const Value* v = json::Find(old_meta, field)) meta.AddMember(Value(field, result.GetAllocator()), Value(*v, result.GetAllocator()), result.GetAllocator());
    }
    int64_t generation = json::Int(old_meta, "generation", "metadata").value_or(1);
    if (SerializeField(result, "spec") != SerializeField(current, "spec")) ++generation;
    meta.RemoveMember("generation");
    meta.AddMember("generation", generation, result.GetAllocator());
  }
  (void)a;
  bool deleting = !MetaString(result, "deletionTimestamp").empty();
  if (deleting && !HasFinalizers(result)) {
    objects_.erase(path);
    Ensure(result, "metadata", result.GetAllocator());
    ++rv_;
    SetString(Ensure(result, "metadata", result.GetAllocator()), "resourceVersion", std::to_string(rv_), result.GetAllocator());
    std::string text = json::Serialize(result);
    history_.push_back({rv_, "DELETED", path, text});
    changed_.notify_all();
    return text;
  }
  return StoreLocked(path, result, "MODIFIED");
}

Result<std::string> FakeRestClient::Update(const std::string& path, const std::string& body) {
  if (auto e = React("UPDATE", path, body)) return Fail(*e);
  ASSIGN_OR_RETURN(auto doc, ParseBody(body));
  std::lock_guard lock(mu_);
  return ReplaceLocked(path, doc, false);
}

Result<std::string> FakeRestClient::UpdateStatus(const std::string& path, const std::string& body) {
  if (auto e = React("UPDATE_STATUS", path, body)) return Fail(*e);
  ASSIGN_OR_RETURN(auto doc, ParseBody(body));
  std::lock_guard lock(mu_);
  return ReplaceLocked(path, doc, true);
}

Result<std::string> FakeRestClient::Patch(const std::string& path, kube::PatchType type, const std::string& body,
                                          bool status_subresource) {
  if (auto e = React("PATCH", path, body)) return Fail(*e);
  auto patch = json::Parse(body, "patch");
  if (!patch) return Fail(ApiError(ErrorKind::kInvalidArgument, 400, "BadRequest", patch.error().message));
  std::lock_guard lock(mu_);
  auto it = objects_.find(path);
  if (it == objects_.end()) return Fail(NotFound(path));
  ASSIGN_OR_RETURN(auto doc, json::Parse(it->second, "stored object"));
  std::string stored_rv = MetaString(doc, "resourceVersion");
  if (type == kube::PatchType::kJson) {
    RETURN_IF_ERROR(JsonPatch(doc, *patch));
  } else {
    if (!patch->IsObject()) return Fail(Invalid("merge patch must be an object"));
    MergePatch(doc, *patch, doc.GetAllocator());
  }
  // A resourceVersion the patch sets is a precondition; otherwise the patch applies to the
  // current version.
  std::string patched_rv = MetaString(doc, "resourceVersion");
  if (patched_rv.empty() || patched_rv == stored_rv || type == kube::PatchType::kJson) {
    SetString(Ensure(doc, "metadata", doc.GetAllocator()), "resourceVersion", stored_rv, doc.GetAllocator());
  }
  return ReplaceLocked(path, doc, status_subresource);
}

Status FakeRestClient::RemoveLocked(const std::string& path) {
  auto it = objects_.find(path);
  std::string text = it->second;
  objects_.erase(it);
  history_.push_back({++rv_, "DELETED", path, text});
  changed_.notify_all();
  return {};
}

Status FakeRestClient::Delete(const std::string& path, const kube::Preconditions& preconditions) {
  if (auto e = React("DELETE", path, "")) return Fail(*e);
  std::lock_guard lock(mu_);
  auto it = objects_.find(path);
  if (it == objects_.end()) return Fail(NotFound(path));
  ASSIGN_OR_RETURN(auto doc, json::Parse(it->second, "stored object"));
  if ((!preconditions.uid.empty() && preconditions.uid != MetaString(doc, "uid")) ||
      (!preconditions.resource_version.empty() &&
       preconditions.resource_version != MetaString(doc, "resourceVersion"))) {
    return Fail(ApiError(ErrorKind::kConflict, 409, "Conflict", "Precondition failed for " + path));
  }
  if (!HasFinalizers(doc)) return RemoveLocked(path);
  if (!MetaString(doc, "deletionTimestamp").empty()) return {};
  SetString(Ensure(doc, "metadata", doc.GetAllocator()), "deletionTimestamp", kube::FormatTime(clock_.WallNow()),
            doc.GetAllocator());
  RETURN_IF_ERROR(StoreLocked(path, doc, "MODIFIED"));
  return {};
}

Status FakeRestClient::Watch(const std::string& path, const kube::WatchOptions& options,
                             const std::function<bool(const kube::WatchEvent&)>& on_event,
                             const std::atomic<bool>* cancel) {
  if (auto e = React("WATCH", path, "")) return Fail(*e);
  auto parsed = ParsePath(path);
  if (!parsed) return Fail(NotFound(path));
  ASSIGN_OR_RETURN(auto reqs, ParseLabelSelector(options.label_selector));
  auto matches = [&](const std::string& p, const Document& doc) {
    return InCollection(*parsed, path, p) && LabelsMatch(doc, reqs) && FieldsMatch(doc, options.field_selector);
  };
  auto deliver = [&](const std::string& type, const std::string& object_path, const std::string& text) -> bool {
    auto doc = json::Parse(text, "watch object");
    if (!doc || !matches(object_path, *doc)) return true;
    return on_event(kube::WatchEvent{type, *doc});
  };

  std::unique_lock lock(mu_);
  uint64_t epoch = watch_epoch_;
  uint64_t from;
  if (options.resource_version.empty() || options.resource_version == "0") {
    from = rv_;
    std::vector<std::pair<std::string, std::string>> initial(objects_.begin(), objects_.end());
    lock.unlock();
    for (auto& [p, text] : initial) {
      if (!deliver("ADDED", p, text)) return {};
    }
    lock.lock();
  } else {
    from = std::stoull(options.resource_version);
    if (from < compacted_rv_) {
      return Fail(ApiError(ErrorKind::kGone, 410, "Expired",
                           "too old resource version: " + options.resource_version + " (" +
                               std::to_string(compacted_rv_) + ")"));
    }
  }
  while (true) {
    if (cancel && cancel->load()) return {};
    if (watch_epoch_ != epoch) return {};
    std::vector<Event> pending;
    for (const auto& e : history_) {
      if (e.rv > from) pending.push_back(e);
    }
    if (pending.empty()) {
      changed_.wait_for(lock, std::chrono::milliseconds(5));
      continue;
    }
    from = pending.back().rv;
    lock.unlock();
    for (auto& e : pending) {
      if (!deliver(e.type, e.path, e.object)) return {};
    }
    lock.lock();
  }
}

Result<std::string> FakeRestClient::Seed(const std::string& path, const std::string& text) {
  auto parsed = ParsePath(path);
  if (!parsed || parsed->name.empty()) return Fail(Invalid("seed path must name an object: " + path));
  ASSIGN_OR_RETURN(auto doc, ParseBody(text));
  auto& a = doc.GetAllocator();
  std::lock_guard lock(mu_);
  Value& meta = Ensure(doc, "metadata", a);
  SetString(meta, "name", parsed->name, a);
  if (!parsed->ns.empty()) SetString(meta, "namespace", parsed->ns, a);
  if (StringField(meta, "uid").empty()) SetString(meta, "uid", "fake-uid-" + std::to_string(next_uid_++), a);
  if (StringField(meta, "creationTimestamp").empty()) {
    SetString(meta, "creationTimestamp", kube::FormatTime(clock_.WallNow()), a);
  }
  if (!meta.HasMember("generation")) meta.AddMember("generation", 1, a);
  return StoreLocked(path, doc, objects_.contains(path) ? "MODIFIED" : "ADDED");
}

std::optional<std::string> FakeRestClient::Object(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = objects_.find(path);
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> FakeRestClient::Paths(const std::string& collection_path) const {
  auto parsed = ParsePath(collection_path);
  std::vector<std::string> out;
  if (!parsed) return out;
  std::lock_guard lock(mu_);
  for (const auto& [p, text] : objects_) {
    if (InCollection(*parsed, collection_path, p)) out.push_back(p);
  }
  return out;
}

std::vector<FakeRequest> FakeRestClient::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int FakeRestClient::CountRequests(const std::string& method, const std::string& path_prefix) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::ranges::count_if(requests_, [&](const FakeRequest& r) {
    return r.method == method && r.path.starts_with(path_prefix);
  }));
}

void FakeRestClient::ClearRequests() {
  std::lock_guard lock(mu_);
  requests_.clear();
}

std::string FakeRestClient::resource_version() const {
  std::lock_guard lock(mu_);
  return std::to_string(rv_);
}

void FakeRestClient::CompactHistory() {
  std::lock_guard lock(mu_);
  compacted_rv_ = rv_;
  history_.clear();
}

void FakeRestClient::CloseWatches() {
  std::lock_guard lock(mu_);
  ++watch_epoch_;
  changed_.notify_all();
}

}  // namespace ccm::testing
