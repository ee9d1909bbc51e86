// Histogram bucket layouts. Upper bounds only: the +Inf bucket is always implicit.
#pragma once

#include <vector>

namespace ccm::metrics {

// Prometheus' defaults for request latencies in seconds: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10.
std::vector<double> DefaultBuckets();
// start, start*factor, ... (`count` bounds). Needs start > 0, factor > 1, count >= 1.
std::vector<double> ExponentialBuckets(double start, double factor, int count);
// start, start+width, ... (`count` bounds). Needs width > 0, count >= 1.
std::vector<double> LinearBuckets(double start, double width, int count);

}  // namespace ccm::metrics
