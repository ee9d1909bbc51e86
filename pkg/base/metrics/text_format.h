// Pieces of the Prometheus text exposition format 0.0.4 shared by the registry's renderer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ccm::metrics {

inline constexpr char kTextContentType[] = "text/plain; version=0.0.4; charset=utf-8";

// Sample values: shortest round-trip decimal, or NaN / +Inf / -Inf as Prometheus spells them.
void AppendValue(std::string& out, double value);
void AppendValue(std::string& out, uint64_t value);

// Label values escape backslash, double quote and newline; HELP text escapes backslash and
// newline only (the format's rules differ).
void AppendEscapedLabelValue(std::string& out, std::string_view value);
void AppendEscapedHelp(std::string& out, std::string_view help);

// {a="x",b="y"} plus an optional trailing extra pair (histograms' le); nothing when empty.
void AppendLabels(std::string& out, std::span<const std::string> names, std::span<const std::string> values,
                  std::string_view extra_name = {}, std::string_view extra_value = {});

bool IsValidMetricName(std::string_view name);
// Also rejects the "__" prefix, which Prometheus reserves.
bool IsValidLabelName(std::string_view name);

}  // namespace ccm::metrics
