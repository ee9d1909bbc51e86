// The standard process_* metrics every Prometheus client exports (CPU, memory, file
// descriptors, start time), read from /proc at scrape time.
#pragma once

#include "pkg/base/metrics/registry.h"

namespace ccm::metrics {

// Registers process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds and
// process_start_time_seconds. Call once per registry.
void RegisterProcessMetrics(Registry& registry);

}  // namespace ccm::metrics
