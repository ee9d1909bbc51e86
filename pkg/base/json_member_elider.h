// Streams JSON text through while replacing every array or object value of an object member
// with a given name, so a large response can be received without ever holding the part
// nobody reads: a load balancer's GET carries every backend of every backend set (50 sets x
// 500 backends is ~5 MB), but the caller needs only the set names.
//
// It tracks strings, escapes and bracket nesting; it does not validate. Valid input gives
// valid output (the same document with those values replaced); text outside a dropped value
// is copied byte for byte, so the JSON parser still rejects what is malformed there. String
// and number values of the member are copied unchanged. Keys are matched on their raw bytes
// ("back\u0065nds" is not "backends"), which is how every OCI service writes them.
#pragma once

#include <string>
#include <string_view>

namespace ccm::json {

class MemberElider {
 public:
  // `replacement` must itself be a JSON value, e.g. "[]".
  MemberElider(std::string key, std::string replacement);

  // Appends the filtered form of `chunk` to `out`; chunks may split the text anywhere.
  void Feed(std::string_view chunk, std::string& out);

  // Bytes of input dropped so far.
  size_t elided_bytes() const { return elided_; }

 private:
  enum class State {
    kText,          // outside strings, copying
    kString,        // inside a string, copying
    kAfterKey,      // the string that just ended is the key; looking for ':'
    kBeforeValue,   // after the key's ':'; holding whitespace until the value shows its kind
    kSkip,          // dropping an array or object value
    kSkipString,    // inside a string within the dropped value
  };

  std::string key_;
  std::string replacement_;
  State state_ = State::kText;
  bool escape_ = false;
  size_t match_ = 0;     // within kString: bytes of key_ matched so far; npos once it cannot match
  std::string held_;     // whitespace after ':' not yet copied
  std::string closers_;  // within kSkip: the brackets still to close, innermost last
  size_t elided_ = 0;
};

}  // namespace ccm::json
