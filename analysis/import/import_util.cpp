// Helpers shared by the readers of relsim import (see import_util.hpp).
#include "analysis/import/import_util.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace relsim::analysis::import {

std::optional<double> parse_number_text(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> parse_duration_text(const std::string& text) {
  std::size_t i = 0;
  double total = 0.0;
  bool any = false;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.'))
      ++j;
    if (j == i) return std::nullopt;
    const std::optional<double> n = parse_number_text(text.substr(i, j - i));
    if (!n) return std::nullopt;
    std::size_t k = j;
    while (k < text.size() && std::isalpha(static_cast<unsigned char>(text[k]))) ++k;
    const std::string unit = text.substr(j, k - j);
    double scale = 0.0;
    if (unit == "ms")
      scale = 0.001;
    else if (unit == "s")
      scale = 1;
    else if (unit == "m")
      scale = 60;
    else if (unit == "h")
      scale = 3600;
    else if (unit == "d")
      scale = 86400;
    else if (unit == "w")
      scale = 7 * 86400;
    else if (unit == "y")
      scale = 365 * 86400;
    else
      return std::nullopt;
    total += *n * scale;
    any = true;
    i = k;
  }
  if (!any) return std::nullopt;
  return total;
}

std::string duration_text(double seconds) {
  const long long ms = std::llround(seconds * 1000.0);
  if (ms == 0) return "0s";
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  const long long s = ms / 1000;
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

YAML::Node child(const YAML::Node& node, const std::string& key) {
  if (!node.IsDefined() || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  // A missing key gives yaml-cpp's "zombie" node, whose Type() throws: hand
  // out a valid undefined node instead.
  const YAML::Node c = node[key];
  if (!c.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
  return c;
}

void add_note(ImportModel& out, ImportNote::Level level, const SourceDocument& doc,
              const YAML::Node& node, const std::string& field, const std::string& text) {
  out.notes.push_back({level, origin_of(doc, node, field), text});
}

std::optional<std::string> scalar_at(const SourceDocument& doc, const YAML::Node& node,
                                     const std::string& key, const std::string& path,
                                     const char* what, ImportModel& out) {
  const YAML::Node v = child(node, key);
  if (!v.IsDefined() || v.IsNull()) return std::nullopt;
  if (!v.IsScalar()) {
    add_note(out, ImportNote::Level::warning, doc, v, path,
             std::string("expected ") + what + " at " + path + "; the value was left out");
    return std::nullopt;
  }
  return v.Scalar();
}

std::optional<double> number_at(const SourceDocument& doc, const YAML::Node& node,
                                const std::string& key, const std::string& path, ImportModel& out) {
  const auto s = scalar_at(doc, node, key, path, "a number", out);
  if (!s) return std::nullopt;
  std::string t = *s;
  t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
  const auto v = parse_number_text(t);
  if (!v) {
    add_note(out, ImportNote::Level::warning, doc, child(node, key), path,
             "expected a number at " + path + ", got '" + *s + "'; the value was left out");
  }
  return v;
}

std::optional<double> duration_at(const SourceDocument& doc, const YAML::Node& node,
                                  const std::string& key, const std::string& path,
                                  ImportModel& out) {
  const auto s = scalar_at(doc, node, key, path, "a duration", out);
  if (!s) return std::nullopt;
  const auto v = parse_duration_text(*s);
  if (!v) {
    add_note(out, ImportNote::Level::warning, doc, child(node, key), path,
             "expected a duration like 5m, 1h or 30d at " + path + ", got '" + *s +
                 "'; the value was left out");
  }
  return v;
}

std::optional<bool> bool_at(const SourceDocument& doc, const YAML::Node& node,
                            const std::string& key, const std::string& path, ImportModel& out) {
  const auto s = scalar_at(doc, node, key, path, "true or false", out);
  if (!s) return std::nullopt;
  if (*s == "true" || *s == "True" || *s == "TRUE") return true;
  if (*s == "false" || *s == "False" || *s == "FALSE") return false;
  add_note(out, ImportNote::Level::warning, doc, child(node, key), path,
           "expected true or false at " + path + ", got '" + *s + "'; the value was left out");
  return std::nullopt;
}

std::string route_of_severity(const std::string& severity) {
  std::string s = severity;
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* p : {"page", "critical", "high", "emergency", "error", "p1", "p2", "sev1",
                        "sev2", "sev-1", "sev-2", "urgent"}) {
    if (s == p) return "page";
  }
  return "ticket";
}

}  // namespace relsim::analysis::import
