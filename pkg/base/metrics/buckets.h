// Histogram bucket layouts. Upper bounds only: the +Inf bucket is always implicit.
#pragma once

#include <vector>

namespace ccm::metrics {

// Prometheus' defaults for request latencies in seconds: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10.
std::vector<double> DefaultBuckets();

}  // namespace ccm::metrics
