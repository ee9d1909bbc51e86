// Streaming member elision (json::MemberElider, used on load-balancer GET answers): for any
// input that parses, the output parses to the same document with every "backends" array or
// object replaced by []; for every input, the output does not depend on chunk boundaries.
#include <cstdint>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "pkg/base/json.h"
#include "pkg/base/json_member_elider.h"
#include "test/fuzz/fuzz_check.h"

namespace {

using ccm::fuzz::Check;

std::string Elide(const std::vector<std::string_view>& chunks) {
  ccm::json::MemberElider elider("backends", "[]");
  std::string out;
  for (auto chunk : chunks) elider.Feed(chunk, out);
  return out;
}

void ReplaceBackends(ccm::json::Value& v, ccm::json::Document::AllocatorType& alloc) {
  if (v.IsArray()) {
    for (auto& e : v.GetArray()) ReplaceBackends(e, alloc);
  } else if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      if (std::string_view(m.name.GetString(), m.name.GetStringLength()) == "backends" &&
          (m.value.IsArray() || m.value.IsObject())) {
        m.value.SetArray();
      } else {
        ReplaceBackends(m.value, alloc);
      }
    }
  }
}

// Member order and duplicate names kept, which the DOM's operator== does not respect.
std::string Serialized(const ccm::json::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ccm::fuzz::Chunked in = ccm::fuzz::SplitInput(data, size);
  const std::string whole = Elide({in.payload});
  Check(Elide(in.Chunks()) == whole, "elision does not depend on chunk boundaries");

  auto input = ccm::json::Parse(in.payload, "input");
  if (!input) return 0;
  // Keys are matched on raw bytes; an escaped spelling of the key is left alone, so the
  // reference applies only when the input spells it plainly or not at all.
  if (in.payload.find("\\u") != std::string_view::npos) return 0;
  ReplaceBackends(*input, input->GetAllocator());
  auto output = ccm::json::Parse(whole, "output");
  Check(static_cast<bool>(output), "valid input gives valid output", whole);
  Check(Serialized(*output) == Serialized(*input), "the output is the input with every backends container emptied",
        whole);
  return 0;
}
