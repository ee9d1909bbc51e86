// The --help page, laid out like a Kubernetes component's: flags in titled groups, each as
// "--name type   description (default x)", wrapped to a fixed width. Pure: the caller
// collects the flags (options.cc), so tests need no flag registry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ccm::app {

struct HelpFlag {
  std::string name;           // dash-named, without the leading "--"
  std::string type;           // "string", "int", "float", "duration"; empty for booleans
  std::string default_value;  // shown unless empty, "false" or (for strings) ""
  std::string description;
};

struct HelpGroup {
  std::string title;  // "Generic"
  std::vector<HelpFlag> flags;
};

// `intro` is printed first, then each non-empty group as "<title> flags:" and its flags.
std::string RenderHelp(std::string_view intro, const std::vector<HelpGroup>& groups, size_t width = 100);

// What --version prints: "oci-lb-registrar-ccm v<version>\n".
std::string VersionLine(std::string_view version);

}  // namespace ccm::app
