#include "cmd/oci-lb-registrar-ccm/help_text.h"

#include <algorithm>

namespace ccm::app {
namespace {

constexpr size_t kIndent = 6;

// Appends `text` wrapped at `width`, continuation lines indented by `column`.
void AppendWrapped(std::string& out, std::string_view text, size_t column, size_t width) {
  size_t line = column;
  bool first = true;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    if (!first && line + 1 + word.size() > width) {
      out += "\n" + std::string(column, ' ');
      line = column;
      first = true;
    }
    if (!first) {
      out += ' ';
      ++line;
    }
    out += word;
    line += word.size();
    first = false;
  }
}

std::string Label(const HelpFlag& f) { return "--" + f.name + (f.type.empty() ? "" : " " + f.type); }

std::string DefaultSuffix(const HelpFlag& f) {
  if (f.default_value.empty() || f.default_value == "false") return "";
  if (f.type == "string") return " (default \"" + f.default_value + "\")";
  return " (default " + f.default_value + ")";
}

}  // namespace

std::string RenderHelp(std::string_view intro, const std::vector<HelpGroup>& groups, size_t width) {
  size_t label_width = 0;
  for (const auto& g : groups) {
    for (const auto& f : g.flags) label_width = std::max(label_width, Label(f).size());
  }
  const size_t column = kIndent + label_width + 3;
  std::string out(intro);
  if (!out.empty() && out.back() != '\n') out += '\n';
  for (const auto& g : groups) {
    if (g.flags.empty()) continue;
    out += "\n" + g.title + " flags:\n\n";
    for (const auto& f : g.flags) {
      std::string label = Label(f);
      out += std::string(kIndent, ' ') + label + std::string(column - kIndent - label.size(), ' ');
      AppendWrapped(out, f.description + DefaultSuffix(f), column, width);
      out += '\n';
    }
  }
  return out;
}

std::string VersionLine(std::string_view version) { return "oci-lb-registrar-ccm v" + std::string(version) + "\n"; }

}  // namespace ccm::app
