// One control plane per test binary: tests in a binary share it (fast), binaries that restart
// the API server start their own ControlPlane instead.
#pragma once

#include <gtest/gtest.h>

#include "test/envtest/control_plane.h"

namespace ccm::envtest {

// The binary's shared plane; started on first use, stopped at exit.
ControlPlane& SharedControlPlane();

}  // namespace ccm::envtest
