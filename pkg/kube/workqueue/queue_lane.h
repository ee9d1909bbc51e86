// Which end of the work queue a ready key joins. A key whose run finishes work already under
// way (a write in flight to poll, then the next write) joins the ahead lane, so the writes
// that gate OCI do not wait behind keys that start new work (reading every set after a
// restart); within each lane keys keep their order.
#pragma once

namespace ccm::kube {

enum class QueueLane { kNormal, kAhead };

}  // namespace ccm::kube
