// Watch event decoding and the informer projections of the decoded objects.
// Invariants: decoding does not depend on chunk boundaries; an error always says something;
// a projection is deterministic and survives re-serialization of its object; compact ids
// read back exactly the text they were given.
#include <cstdint>
#include <string>
#include <vector>

#include "pkg/base/json.h"
#include "pkg/cloud/registrar/lbregistrar_projection.h"
#include "pkg/cloud/registrar/lbregistrar_spec.h"
#include "pkg/kube/informer/compact_ids.h"
#include "pkg/kube/informer/projections.h"
#include "pkg/kube/watch/event_decoder.h"
#include "test/fuzz/fuzz_check.h"
#include "test/fuzz/fuzz_json.h"

namespace {

using ccm::fuzz::Check;
namespace json = ccm::json;
namespace kube = ccm::kube;

struct Decoded {
  std::vector<std::pair<std::string, std::string>> events;  // type, serialized object
  bool ok = true, stopped = false;
  std::string error;
  bool operator==(const Decoded&) const = default;
};

template <typename T, typename Project>
void CheckProjection(const json::Value& object, Project project) {
  using kube::ApproxBytes;
  using kube::ObjectKey;
  ccm::Result<T> first = project(object);
  if (!first) {
    Check(!first.error().message.empty(), "a projection error says what is wrong");
    return;
  }
  Check(!first->name.empty(), "a projected object has a name");
  Check(!ObjectKey(*first).empty(), "a projected object has a store key");
  Check(ApproxBytes(*first) >= sizeof(T), "ApproxBytes counts at least the object itself");
  Check(*first == *first, "a projection equals itself");
  // Re-parsing the serialized object gives an equal projection.
  if (ccm::fuzz::HasNonIntegerNumber(object)) return;
  auto again = json::Parse(json::Serialize(object), "re-serialized object");
  Check(again.has_value(), "a decoded object re-serializes to valid JSON");
  ccm::Result<T> second = project(*again);
  Check(second.has_value() && *second == *first, "projection survives re-serialization");
}

void CheckIds(const json::Value& object) {
  const json::Value* metadata = json::Find(object, "metadata");
  if (metadata == nullptr) return;
  if (const json::Value* uid = json::Find(*metadata, "uid"); uid != nullptr && uid->IsString()) {
    std::string text(uid->GetString(), uid->GetStringLength());
    Check(kube::Uid(text).str() == text, "Uid reads back its text", text);
  }
  std::string rv(kube::ResourceVersionOf(object));
  Check(kube::ResourceVersion(rv).str() == rv, "ResourceVersion reads back its text", rv);
}

void CheckObject(const json::Value& object) {
  CheckIds(object);
  CheckProjection<kube::Node>(object, kube::ProjectNode);
  CheckProjection<kube::Service>(object, kube::ProjectService);
  CheckProjection<kube::EndpointSlice>(object, kube::ProjectEndpointSlice);
  CheckProjection<kube::Lease>(object, kube::ProjectLease);
  CheckProjection<ccm::cloud::registrar::LBRegistrarObject>(object, ccm::cloud::registrar::ProjectLBRegistrar);

  if (auto svc = kube::ProjectService(object); svc) {
    for (size_t i = 1; i < svc->annotations.size(); ++i) {
      Check(!(svc->annotations[i].first < svc->annotations[i - 1].first), "annotations are sorted by key");
    }
    for (const auto& [key, value] : svc->annotations) {
      const std::string* found = svc->Annotation(key.view());
      Check(found != nullptr, "every kept annotation can be looked up", key.view());
    }
  }
  if (auto reg = ccm::cloud::registrar::ProjectLBRegistrar(object); reg && !reg->spec_json.empty()) {
    auto spec = ccm::cloud::registrar::ParseLBRegistrarSpecJson(reg->name, reg->spec_json, "default");
    for (const auto& p : spec.problems) {
      Check(!p.field.empty() && !p.message.empty(), "a spec problem names its field and what is wrong");
    }
    Check(spec.problems.empty() || spec.bindings.empty(), "a spec with problems yields no bindings");
  }
}

Decoded Decode(const std::vector<std::string_view>& chunks, bool check_objects) {
  Decoded d;
  kube::watch::EventDecoder decoder([&](const kube::WatchEvent& e) {
    d.events.emplace_back(std::string(e.type), json::Serialize(e.object));
    if (check_objects) CheckObject(e.object);
    return e.type != "STOP";  // lets the input exercise the callback's early stop
  });
  for (auto c : chunks) {
    if (!decoder.Feed(c)) {
      d.ok = false;
      break;
    }
  }
  d.stopped = decoder.stopped();
  if (decoder.error()) {
    d.error = decoder.error()->message;
    Check(!d.error.empty(), "a decode error says what is wrong");
    Check(!d.stopped, "an error and a stop are exclusive");
  }
  Check(d.ok == (!d.stopped && !decoder.error()), "Feed fails exactly when decoding stopped or failed");
  Check(decoder.events() >= d.events.size(), "every delivered event is counted");
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ccm::fuzz::Chunked in = ccm::fuzz::SplitInput(data, size);
  Decoded whole = Decode({in.payload}, /*check_objects=*/true);
  Decoded chunked = Decode(in.Chunks(), /*check_objects=*/false);
  Check(whole == chunked, "decoding does not depend on chunk boundaries");
  return 0;
}
