#include "pkg/kube/watch/event_decoder.h"

#include <string>

#include "pkg/kube/client/api_error.h"

namespace ccm::kube::watch {

bool EventDecoder::DecodeLine(std::string_view line) {
  json::Document doc;
  // Parsing in place is not possible on a view; Parse copies strings into the document's
  // pool, which lives only for this event.
  doc.Parse<json::kParseFlags>(line.data(), line.size());  // no stack overflow on hostile nesting
  if (doc.HasParseError() || !doc.IsObject() || json::HasNonFiniteNumber(doc)) {
    error_ = MakeError(ErrorKind::kMalformedResponse,
                       "watch event is not a JSON object (" + std::to_string(line.size()) + " bytes)");
    return false;
  }
  const json::Value* type = json::Find(doc, "type");
  const json::Value* object = json::Find(doc, "object");
  if (type == nullptr || !type->IsString() || object == nullptr || !object->IsObject()) {
    error_ = MakeError(ErrorKind::kMalformedResponse, "watch event lacks a string type and an object");
    return false;
  }
  std::string_view type_name(type->GetString(), type->GetStringLength());
  if (type_name == "ERROR") {
    error_ = ErrorFromStatus(*object, 0, "watch");
    return false;
  }
  ++events_;
  if (!on_event_(WatchEvent{type_name, *object})) {
    stopped_ = true;
    return false;
  }
  return true;
}

bool EventDecoder::Feed(std::string_view chunk) {
  if (stopped_ || error_) return false;
  bool ok = framer_.Feed(chunk, [this](std::string_view line) { return DecodeLine(line); });
  if (!ok && !stopped_ && !error_ && framer_.overflowed()) {
    error_ = MakeError(ErrorKind::kMalformedResponse, "watch event line exceeds the size limit");
  }
  return ok;
}

}  // namespace ccm::kube::watch
