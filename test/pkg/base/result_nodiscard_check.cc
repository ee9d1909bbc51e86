// Compiled by ctest, not linked: ignoring a returned Result or Status must not compile.
// pkg/base/result_nodiscard expects the compiler to reject this file for the dropped result;
// pkg/base/result_nodiscard_control compiles it with CCM_USE_THE_RESULT to prove nothing else
// is wrong with it.
#include "pkg/base/error.h"

namespace ccm {

Result<int> Parse() { return 1; }
Status Write() { return {}; }

int Caller() {
#ifdef CCM_USE_THE_RESULT
  auto parsed = Parse();
  auto written = Write();
  return parsed && written ? *parsed : 0;
#else
  Parse();
  Write();
  return 0;
#endif
}

}  // namespace ccm
