#include "pkg/kube/informer/compact_ids.h"

namespace ccm::kube {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case would not read back as written
}

constexpr size_t kUuidLength = 36;
bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

Uid& Uid::operator=(std::string_view text) {
  hi_ = lo_ = 0;
  text_ = InternedString();
  if (text.size() == kUuidLength) {
    uint64_t words[2] = {0, 0};
    int nibbles = 0;
    bool ok = true;
    for (size_t i = 0; i < text.size() && ok; ++i) {
      if (IsDashPosition(i)) {
        ok = text[i] == '-';
        continue;
      }
      int d = HexDigit(text[i]);
      ok = d >= 0;
      words[nibbles / 16] = (words[nibbles / 16] << 4) | static_cast<uint64_t>(d);
      ++nibbles;
    }
    if (ok && (words[0] | words[1]) != 0) {
      hi_ = words[0];
      lo_ = words[1];
      return *this;
    }
  }
  text_ = InternedString(text);
  return *this;
}

std::string Uid::str() const {
  if (!IsBinary()) return text_.str();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kUuidLength, '-');
  int nibble = 0;
  for (size_t i = 0; i < kUuidLength; ++i) {
    if (IsDashPosition(i)) continue;
    uint64_t word = nibble < 16 ? hi_ : lo_;
    int shift = 60 - 4 * (nibble % 16);
    out[i] = kHex[(word >> shift) & 0xf];
    ++nibble;
  }
  return out;
}

ResourceVersion& ResourceVersion::operator=(std::string_view text) {
  number_ = 0;
  text_ = InternedString();
  // Digits only, no leading zero, and small enough for 19 digits: reads back exactly.
  bool numeric = !text.empty() && text.size() <= 19 && text[0] != '0';
  uint64_t n = 0;
  for (size_t i = 0; i < text.size() && numeric; ++i) {
    numeric = text[i] >= '0' && text[i] <= '9';
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
  }
  if (numeric) {
    number_ = n;
  } else {
    text_ = InternedString(text);
  }
  return *this;
}

std::string ResourceVersion::str() const { return number_ != 0 ? std::to_string(number_) : text_.str(); }

}  // namespace ccm::kube
