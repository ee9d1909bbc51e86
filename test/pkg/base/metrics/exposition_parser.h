// A strict reader of the Prometheus text format for tests: parses every sample line
// (unescaping label values) and the HELP/TYPE comments, so tests check what a scraper sees.
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ccm::metrics::testing {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string value_text;
  double value = 0;
};

struct Exposition {
  std::vector<Sample> samples;              // in output order
  std::map<std::string, std::string> help;  // unescaped
  std::map<std::string, std::string> type;
  std::vector<std::string> family_order;    // names as their TYPE lines appear
  std::string error;                        // first syntax error, empty when well-formed

  // The value of the one sample with this name and exactly these labels.
  std::optional<double> Value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return std::nullopt;
  }
};

inline double ParseSampleValue(const std::string& t) {
  if (t == "+Inf") return std::numeric_limits<double>::infinity();
  if (t == "-Inf") return -std::numeric_limits<double>::infinity();
  if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
  size_t used = 0;
  double v = std::stod(t, &used);
  if (used != t.size()) throw std::invalid_argument(t);
  return v;
}

inline Exposition ParseExposition(const std::string& text) {
  Exposition out;
  auto fail = [&](const std::string& why, const std::string& line) {
    if (out.error.empty()) out.error = why + ": " + line;
  };
  if (!text.empty() && text.back() != '\n') fail("output does not end with a newline", text.substr(text.size() - 1));
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ")) {
      std::string rest = line.substr(7);
      size_t sp = rest.find(' ');
      std::string help, raw = sp == std::string::npos ? "" : rest.substr(sp + 1);
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) {
          char n = raw[++i];
          if (n == 'n') help += '\n';
          else if (n == '\\') help += '\\';
          else fail("bad escape in HELP", line);
        } else {
          help += raw[i];
        }
      }
      out.help[rest.substr(0, sp)] = help;
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream t(line.substr(7));
      std::string name, type;
      t >> name >> type;
      out.type[name] = type;
      out.family_order.push_back(name);
      continue;
    }
    if (line.empty() || line[0] == '#') {
      fail("unexpected line", line);
      continue;
    }
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') s.name += line[i++];
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::string key, value;
        while (i < line.size() && line[i] != '=') key += line[i++];
        if (i + 1 >= line.size() || line[i + 1] != '"') {
          fail("label value not quoted", line);
          break;
        }
        i += 2;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            char n = line[++i];
            if (n == 'n') value += '\n';
            else if (n == '\\' || n == '"') value += n;
            else fail("bad escape in label value", line);
          } else {
            value += line[i];
          }
          ++i;
        }
        ++i;  // closing quote
        if (!s.labels.emplace(key, value).second) fail("duplicate label", line);
        if (i < line.size() && line[i] == ',') ++i;
      }
      ++i;  // closing brace
    }
    if (i >= line.size() || line[i] != ' ') {
      fail("no space before value", line);
      continue;
    }
    s.value_text = line.substr(i + 1);
    try {
      s.value = ParseSampleValue(s.value_text);
    } catch (const std::exception&) {
      fail("bad value", line);
      continue;
    }
    out.samples.push_back(std::move(s));
  }
  return out;
}

}  // namespace ccm::metrics::testing
