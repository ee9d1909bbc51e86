#include "pkg/base/metrics/buckets.h"

namespace ccm::metrics {

std::vector<double> DefaultBuckets() { return {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}; }

}  // namespace ccm::metrics
