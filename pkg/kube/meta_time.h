// Kubernetes timestamps: metav1.Time is RFC 3339 in UTC with whole seconds
// ("2026-01-02T03:04:05Z"); metav1.MicroTime (Lease renewTime, Event eventTime) has six
// fractional digits ("2026-01-02T03:04:05.123456Z").
#pragma once

#include <string>
#include <string_view>

#include "pkg/base/clock.h"
#include "pkg/base/error.h"

namespace ccm::kube {

std::string FormatTime(Clock::WallTime t);
std::string FormatMicroTime(Clock::WallTime t);
// Accepts either form, any number of fractional digits, and a "Z" or "+hh:mm" offset.
Result<Clock::WallTime> ParseTime(std::string_view text);

}  // namespace ccm::kube
