#include "pkg/base/clock.h"

namespace ccm {

Clock& Clock::Real() {
  static RealClock clock;
  return clock;
}

}  // namespace ccm
