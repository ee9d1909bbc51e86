#include "pkg/kube/leaderelection/lease_lock.h"

#include "pkg/base/status_macros.h"
#include "pkg/kube/meta_time.h"

namespace ccm::kube {
namespace {

void AppendTime(std::string& out, const char* field, const std::optional<Clock::WallTime>& t) {
  if (!t) return;
  out += ",\"";
  out += field;
  out += "\":";
  json::AppendQuoted(out, FormatMicroTime(*t));
}

Result<std::optional<Clock::WallTime>> ReadTime(const json::Value& spec, const char* field) {
  ASSIGN_OR_RETURN(auto text, json::String(spec, field, "spec"));
  if (text.empty()) return std::optional<Clock::WallTime>();
  auto t = ParseTime(text);
  if (!t) return Fail(t.error().Wrap("Lease spec." + std::string(field)));
  return std::optional<Clock::WallTime>(*t);
}

}  // namespace

std::string LeaseSpecJson(const LeaderElectionRecord& record) {
  std::string out = "{\"holderIdentity\":";
  json::AppendQuoted(out, record.holder_identity);
  out += ",\"leaseDurationSeconds\":" + std::to_string(record.lease_duration_seconds);
  AppendTime(out, "acquireTime", record.acquire_time);
  AppendTime(out, "renewTime", record.renew_time);
  out += ",\"leaseTransitions\":" + std::to_string(record.lease_transitions) + "}";
  return out;
}

Result<LeaderElectionRecord> RecordFromLease(const json::Value& lease) {
  LeaderElectionRecord record;
  ASSIGN_OR_RETURN(auto spec, json::Object(lease, "spec", ""));
  if (spec == nullptr) return record;
  const json::Value& s = *spec;
  auto holder = json::String(s, "holderIdentity", "spec");
  auto duration = json::Int(s, "leaseDurationSeconds", "spec");
  auto transitions = json::Int(s, "leaseTransitions", "spec");
  auto acquire = ReadTime(s, "acquireTime");
  auto renew = ReadTime(s, "renewTime");
  for (const Error* e : {holder ? nullptr : &holder.error(), duration ? nullptr : &duration.error(),
                         transitions ? nullptr : &transitions.error(), acquire ? nullptr : &acquire.error(),
                         renew ? nullptr : &renew.error()}) {
    if (e) return Fail(e->Wrap("Lease"));
  }
  record.holder_identity = *holder;
  record.lease_duration_seconds = static_cast<int>(*duration);
  record.lease_transitions = static_cast<int>(*transitions);
  record.acquire_time = *acquire;
  record.renew_time = *renew;
  return record;
}

LeaseLock::LeaseLock(RestClient& client, std::string lease_namespace, std::string lease_name)
    : client_(client), namespace_(std::move(lease_namespace)), name_(std::move(lease_name)) {}

std::string LeaseLock::ObjectPath() const {
  return "/apis/coordination.k8s.io/v1/namespaces/" + namespace_ + "/leases/" + name_;
}

Status LeaseLock::Remember(const std::string& lease_json) {
  last_lease_ = lease_json;
  return {};
}

Result<LeaderElectionRecord> LeaseLock::Get() {
  ASSIGN_OR_RETURN(auto text, client_.Get(ObjectPath()));
  ASSIGN_OR_RETURN(auto doc, json::Parse(text, "Lease " + Describe()));
  auto record = RecordFromLease(doc);
  if (!record) return Fail(record.error().Wrap(Describe()));
  last_lease_ = std::move(text);
  return record;
}

Status LeaseLock::Create(const LeaderElectionRecord& record) {
  std::string body = R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":)";
  json::AppendQuoted(body, name_);
  body += ",\"namespace\":";
  json::AppendQuoted(body, namespace_);
  body += "},\"spec\":" + LeaseSpecJson(record) + "}";
  ASSIGN_OR_RETURN(auto created,
                   client_.Create("/apis/coordination.k8s.io/v1/namespaces/" + namespace_ + "/leases", body));
  return Remember(created);
}

Status LeaseLock::Update(const LeaderElectionRecord& record) {
  if (last_lease_.empty()) {
    return Fail(ErrorKind::kInternal, "Lease " + Describe() + " must be read or created before it is updated");
  }
  ASSIGN_OR_RETURN(auto doc, json::Parse(last_lease_, "Lease " + Describe()));
  ASSIGN_OR_RETURN(auto spec, json::Parse(LeaseSpecJson(record), "Lease spec"));
  doc.RemoveMember("spec");
  doc.AddMember("spec", json::Value(spec, doc.GetAllocator()), doc.GetAllocator());
  ASSIGN_OR_RETURN(auto updated, client_.Update(ObjectPath(), json::Serialize(doc)));
  return Remember(updated);
}

}  // namespace ccm::kube
