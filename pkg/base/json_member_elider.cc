#include "pkg/base/json_member_elider.h"

#include <utility>

namespace ccm::json {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

MemberElider::MemberElider(std::string key, std::string replacement)
    : key_(std::move(key)), replacement_(std::move(replacement)) {}

void MemberElider::Feed(std::string_view chunk, std::string& out) {
  size_t i = 0;
  // Copies of untouched text go out in runs, not byte by byte.
  size_t run = 0;
  auto flush = [&](size_t end) {
    if (end > run) out.append(chunk.substr(run, end - run));
  };
  while (i < chunk.size()) {
    const char c = chunk[i];
    switch (state_) {
      case State::kText:
        if (c == '"') {
          state_ = State::kString;
          escape_ = false;
          match_ = 0;
        }
        ++i;
        break;
      case State::kString:
        if (escape_) {
          escape_ = false;
          match_ = std::string::npos;
        } else if (c == '\\') {
          escape_ = true;
          match_ = std::string::npos;
        } else if (c == '"') {
          state_ = match_ == key_.size() ? State::kAfterKey : State::kText;
        } else if (match_ != std::string::npos) {
          match_ = match_ < key_.size() && key_[match_] == c ? match_ + 1 : std::string::npos;
        }
        ++i;
        break;
      case State::kAfterKey:
        if (IsSpace(c)) {
          ++i;
        } else if (c == ':') {
          ++i;
          flush(i);
          run = i;
          state_ = State::kBeforeValue;
        } else {
          state_ = State::kText;  // a string value that happens to equal the key
        }
        break;
      case State::kBeforeValue:
        if (IsSpace(c)) {
          held_ += c;
          ++i;
          run = i;
        } else if (c == '[' || c == '{') {
          elided_ += held_.size() + 1;
          held_.clear();
          closers_.assign(1, c == '[' ? ']' : '}');
          state_ = State::kSkip;
          ++i;
          run = i;
        } else {
          out += held_;  // a string or number: copied as it is
          held_.clear();
          state_ = State::kText;
        }
        break;
      case State::kSkip:
        ++elided_;
        ++i;
        run = i;
        if (c == '"') {
          state_ = State::kSkipString;
          escape_ = false;
        } else if (c == '[') {
          closers_ += ']';
        } else if (c == '{') {
          closers_ += '}';
        } else if (c == ']' || c == '}') {
          if (c != closers_.back()) {
            // Mismatched brackets: copy the offending byte so the document fails to parse.
            out += replacement_;
            out += c;
            closers_.clear();
            state_ = State::kText;
            break;
          }
          closers_.pop_back();
          if (closers_.empty()) {
            out += replacement_;
            state_ = State::kText;
          }
        }
        break;
      case State::kSkipString:
        ++elided_;
        ++i;
        run = i;
        if (escape_) {
          escape_ = false;
        } else if (c == '\\') {
          escape_ = true;
        } else if (c == '"') {
          state_ = State::kSkip;
        }
        break;
    }
  }
  flush(chunk.size());
}

}  // namespace ccm::json
