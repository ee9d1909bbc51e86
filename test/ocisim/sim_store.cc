#include "test/ocisim/sim_store.h"

#include "test/ocisim/crypto_util.h"
#include "test/ocisim/signature_verifier.h"

namespace ccm::ocisim {

SimStore::SimStore() : id_rng_(std::random_device{}()) {}

WallTime SimStore::WallNowLocked() const {
  return std::chrono::system_clock::now() + clock_offset;
}

std::string SimStore::NewOcid(const std::string& type) {
  static const char* kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix;
  for (int i = 0; i < 60; ++i) suffix.push_back(kAlphabet[id_rng_() % 36]);
  return "ocid1." + type + ".oc1.phx." + suffix;
}

WorkRequest& SimStore::AddWorkRequestLocked(WorkRequest wr) {
  wr.seq = next_seq_++;
  wr.accepted = std::chrono::steady_clock::now();
  wr.due = wr.accepted + work_request_latency;
  wr.time_accepted = WallNowLocked();
  std::string id = wr.id;
  auto [it, inserted] = work_requests.emplace(id, std::move(wr));
  (void)inserted;
  return it->second;
}

const WorkRequest* SimStore::InFlightLocked(const std::string& lb_id) const {
  for (const auto& [id, wr] : work_requests) {
    if (wr.lb_id == lb_id && wr.final_state.empty()) return &wr;
  }
  return nullptr;
}

std::string SimStore::StateOfLocked(const WorkRequest& wr) const {
  if (!wr.final_state.empty()) return wr.final_state;
  auto now = std::chrono::steady_clock::now();
  return now < wr.accepted + (wr.due - wr.accepted) / 2 ? "ACCEPTED" : "IN_PROGRESS";
}

void SimStore::SettleLocked() {
  auto now = std::chrono::steady_clock::now();
  // Oldest first, so a load balancer's requests apply in order.
  std::vector<WorkRequest*> due;
  for (auto& [id, wr] : work_requests) {
    if (wr.final_state.empty() && wr.due <= now) due.push_back(&wr);
  }
  std::sort(due.begin(), due.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
  for (WorkRequest* wr : due) {
    auto& lbs = wr->kind == LbKind::kClassic ? classic : network;
    auto it = lbs.find(wr->lb_id);
    if (wr->fail) {
      wr->final_state = "FAILED";
      if (wr->error_message.empty()) wr->error_message = "Work request failed (injected fault)";
    } else if (it == lbs.end()) {
      wr->final_state = "FAILED";
      wr->error_message = "load balancer " + wr->lb_id + " no longer exists";
    } else {
      std::string before = simjson::Etag(it->second);
      Status applied = wr->apply ? wr->apply(it->second, it->second.GetAllocator()) : Status{};
      if (applied) {
        wr->final_state = "SUCCEEDED";
        wr->changed = simjson::Etag(it->second) != before;
      } else {
        wr->final_state = "FAILED";
        wr->error_message = applied.error().message;
      }
    }
    wr->time_finished = wr->time_accepted + (wr->due - wr->accepted);
    if (it != lbs.end() && wr->kind == LbKind::kNetwork) {
      simjson::SetString(it->second, "lifecycleState", "ACTIVE", it->second.GetAllocator());
      simjson::SetString(it->second, "timeUpdated", FormatRfc3339(*wr->time_finished),
                         it->second.GetAllocator());
    }
  }
  auto wall = WallNowLocked();
  std::erase_if(retry_tokens, [&](const auto& kv) { return kv.second.expires <= wall; });
}

void SimStore::ClearLocked() {
  classic.clear();
  network.clear();
  instances.clear();
  vnics.clear();
  attachments.clear();
  work_requests.clear();
  retry_tokens.clear();
  public_ips.clear();
  private_ips.clear();
  subnets.clear();
  public_ip_pools.clear();
  public_ip_changes.clear();
}

namespace simjson {

json::Value* FindMut(json::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

void Set(json::Value& obj, const char* name, json::Value value, Alloc& alloc) {
  if (json::Value* existing = FindMut(obj, name)) {
    *existing = std::move(value);
    return;
  }
  obj.AddMember(json::Value(name, alloc), std::move(value), alloc);
}

void SetString(json::Value& obj, const char* name, const std::string& value, Alloc& alloc) {
  Set(obj, name, json::Value(value, alloc), alloc);
}

std::string GetString(const json::Value& obj, const char* name) {
  const json::Value* v = json::Find(obj, name);
  return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : "";
}

std::string Etag(const json::Value& value) {
  std::string digest = Sha256(json::Serialize(value));
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 16; ++i) {
    out.push_back(kHex[static_cast<unsigned char>(digest[i]) >> 4]);
    out.push_back(kHex[static_cast<unsigned char>(digest[i]) & 15]);
  }
  return out;
}

json::Document Clone(const json::Value& value) {
  json::Document doc;
  doc.CopyFrom(value, doc.GetAllocator());
  return doc;
}

}  // namespace simjson
}  // namespace ccm::ocisim
