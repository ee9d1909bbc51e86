#include "pkg/oci/transport/request_id.h"

#include <random>

namespace ccm::oci {

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(32);
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = rng();
    for (int i = 0; i < 16; ++i) {
      out.push_back(kHex[bits & 0xf]);
      bits >>= 4;
    }
  }
  return out;
}

}  // namespace ccm::oci
