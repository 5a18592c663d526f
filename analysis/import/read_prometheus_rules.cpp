// relsim import: Prometheus rule files (`groups:`) and the
// `monitoring.coreos.com/v1 PrometheusRule` object. Alerting rules are
// recognised in two shapes and nothing else:
//   burn rate   `<recording rule with a window suffix> > (F * E)` (or `>=`),
//               two joined by `and` (a window pair), pairs joined by `or`
//               (tiers), as Sloth, Pyrra, the kubernetes-mixin and relsim's
//               own export write them; windows from the metric's suffix
//               (`ratio_rate5m`, `burnrate1h`) or the `long`/`short` labels;
//               E = 1 - objective; `for:` the delay; severity label: route;
//   threshold   `histogram_quantile(Q, ...) > SECONDS` or an error ratio
//               `A / B > FRACTION` whose numerator selects 5xx codes or an
//               error metric, on a selector naming the service.
// Any other alerting rule is reported by name and left out, never guessed.
// Recording rules are read only as the burn-rate alerts' inputs.
#include <cmath>
#include <regex>

#include "analysis/import/import_reader.hpp"
#include "analysis/import/import_util.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

std::string trim(const std::string& s) {
  const std::size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  const std::size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

/// Index of the parenthesis closing the one at `open`, or npos.
std::size_t closing(const std::string& s, std::size_t open) {
  int depth = 0;
  bool quote = false;
  for (std::size_t i = open; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quote = false;
      continue;
    }
    if (c == '"')
      quote = true;
    else if (c == '(')
      ++depth;
    else if (c == ')' && --depth == 0)
      return i;
  }
  return std::string::npos;
}

std::string strip_outer(std::string s) {
  s = trim(s);
  while (!s.empty() && s.front() == '(' && closing(s, 0) == s.size() - 1)
    s = trim(s.substr(1, s.size() - 2));
  return s;
}

/// Splits `s` at the word `kw` where it stands outside parentheses, braces
/// and quotes; a following `on(...)`/`ignoring(...)` modifier is dropped.
std::vector<std::string> split_top(const std::string& s, const std::string& kw) {
  std::vector<std::string> parts;
  int depth = 0;
  bool quote = false;
  std::size_t start = 0;
  const auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':';
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quote = false;
      continue;
    }
    if (c == '"')
      quote = true;
    else if (c == '(' || c == '{' || c == '[')
      ++depth;
    else if (c == ')' || c == '}' || c == ']')
      --depth;
    else if (depth == 0 && s.compare(i, kw.size(), kw) == 0 && (i == 0 || !word_char(s[i - 1])) &&
             (i + kw.size() >= s.size() || !word_char(s[i + kw.size()]))) {
      parts.push_back(s.substr(start, i - start));
      std::size_t j = i + kw.size();
      std::string rest = s.substr(j);
      static const std::regex modifier(R"(^\s*(on|ignoring)\s*\()");
      std::smatch m;
      if (std::regex_search(rest, m, modifier)) {
        const std::size_t open = j + static_cast<std::size_t>(m.position(0) + m.length(0)) - 1;
        const std::size_t close = closing(s, open);
        if (close != std::string::npos) j = close + 1;
      }
      start = j;
      i = j - 1;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

/// A label's value in a selector text.
std::string label_in(const std::string& text, const std::string& label) {
  const std::regex re("[{,]\\s*" + label + "\\s*=\\s*\"([^\"]*)\"");
  std::smatch m;
  if (std::regex_search(text, m, re)) return m[1].str();
  return {};
}

struct Comparison {
  std::string lhs, rhs;
};

/// `s` without aggregation wrappers that enclose all of it:
/// `max(X) without (l)`, `sum by (l) (X)`, `sum(X)` -> `X`.
std::string unwrap(std::string s) {
  static const std::regex head(R"(^(max|min|sum|avg)\s*((by|without)\s*\([^)]*\)\s*)?\()");
  static const std::regex tail(R"(^\s*((by|without)\s*\([^)]*\))?\s*$)");
  for (int k = 0; k < 8; ++k) {
    s = strip_outer(s);
    std::smatch m;
    if (!std::regex_search(s, m, head)) break;
    const std::size_t open = static_cast<std::size_t>(m.length(0)) - 1;
    const std::size_t close = closing(s, open);
    if (close == std::string::npos || !std::regex_match(s.substr(close + 1), tail)) break;
    s = s.substr(open + 1, close - open - 1);
  }
  return strip_outer(s);
}

/// `lhs > rhs` or `lhs >= rhs` at depth 0, aggregation wrappers removed.
std::optional<Comparison> comparison(std::string s) {
  s = unwrap(s);
  int depth = 0;
  bool quote = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quote = false;
      continue;
    }
    if (c == '"')
      quote = true;
    else if (c == '(' || c == '{' || c == '[')
      ++depth;
    else if (c == ')' || c == '}' || c == ']')
      --depth;
    else if (depth == 0 && c == '>') {
      const std::size_t after = (i + 1 < s.size() && s[i + 1] == '=') ? i + 2 : i + 1;
      std::string rhs = trim(s.substr(after));
      if (rhs.rfind("bool", 0) == 0) return std::nullopt;
      return Comparison{trim(s.substr(0, i)), rhs};
    }
  }
  return std::nullopt;
}

struct BurnTerm {
  std::string metric, selector;
  double window_s = 0.0;  // 0: no suffix
  double factor = 0.0, budget = 0.0;
};

std::optional<BurnTerm> burn_term(const std::string& text) {
  const auto cmp = comparison(text);
  if (!cmp) return std::nullopt;
  static const std::regex metric(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?$)");
  std::smatch m;
  const std::string lhs = unwrap(cmp->lhs);
  if (!std::regex_match(lhs, m, metric)) return std::nullopt;
  BurnTerm t;
  t.metric = m[1].str();
  t.selector = m[2].str();
  static const std::regex suffix(R"((?:rate|burnrate)(\d+(?:ms|[smhdwy])))");
  std::smatch w;
  if (std::regex_search(t.metric, w, suffix) && w.suffix().length() == 0) {
    t.window_s = parse_duration_text(w[1].str()).value_or(0.0);
  }
  static const std::regex product(
      R"(^\(?\s*([0-9.eE+-]+)\s*\*\s*(?:([0-9.eE+-]+)|\(\s*1\s*-\s*([0-9.eE+-]+)\s*\))\s*\)?$)");
  std::smatch p;
  if (!std::regex_match(cmp->rhs, p, product)) return std::nullopt;
  const auto f = parse_number_text(p[1].str());
  const auto e = p[2].matched ? parse_number_text(p[2].str()) : [&]() -> std::optional<double> {
    const auto o = parse_number_text(p[3].str());
    return o ? std::optional<double>(1.0 - *o) : std::nullopt;
  }();
  if (!f || !e || *f <= 0 || !(*e > 0 && *e < 1)) return std::nullopt;
  t.factor = *f;
  t.budget = *e;
  return t;
}

std::string label(const YAML::Node& labels, const char* key) {
  const YAML::Node v = child(labels, key);
  return v.IsDefined() && v.IsScalar() ? v.Scalar() : std::string();
}

/// A rule's labels over its group's (`groups[].labels`, Prometheus 3):
/// a fresh map of the scalar values, for lookups only.
YAML::Node rule_labels(const YAML::Node& rule, const YAML::Node& group_labels) {
  YAML::Node merged(YAML::NodeType::Map);
  for (const YAML::Node& labels : {group_labels, child(rule, "labels")}) {
    if (!labels.IsMap()) continue;
    for (const auto& kv : labels) {
      if (kv.first.IsScalar() && kv.second.IsScalar())
        merged[kv.first.Scalar()] = kv.second.Scalar();
    }
  }
  return merged;
}

/// A burn-rate alert; false when the expression is not one.
bool read_burn_rule(const SourceDocument& doc, const YAML::Node& rule,
                    const YAML::Node& group_labels, const std::string& path,
                    const std::string& name, const std::string& expr, double for_s,
                    ImportModel& out) {
  const YAML::Node labels = rule_labels(rule, group_labels);
  std::vector<ImportedBurnWindow> windows;
  double budget = 0.0;
  std::string slo =
      label(labels, "sloth_slo").empty() ? label(labels, "slo") : label(labels, "sloth_slo");
  std::string service = label(labels, "sloth_service").empty() ? label(labels, "service")
                                                               : label(labels, "sloth_service");
  std::string prefix;
  const std::string severity = label(labels, "sloth_severity").empty()
                                   ? label(labels, "severity")
                                   : label(labels, "sloth_severity");
  for (const std::string& tier : split_top(strip_outer(expr), "or")) {
    std::vector<BurnTerm> terms;
    for (const std::string& part : split_top(strip_outer(tier), "and")) {
      const auto t = burn_term(part);
      if (!t) return false;
      terms.push_back(*t);
    }
    if (terms.empty() || terms.size() > 2) return false;
    if (terms.size() == 2 && std::fabs(terms[0].factor * terms[0].budget -
                                       terms[1].factor * terms[1].budget) > 1e-12 * terms[0].factor)
      return false;
    for (const BurnTerm& t : terms) {
      if (budget == 0.0) budget = t.budget;
      if (std::fabs(t.budget - budget) > 1e-9) return false;
      if (slo.empty())
        slo = label_in(t.selector, "sloth_slo").empty() ? label_in(t.selector, "slo")
                                                        : label_in(t.selector, "sloth_slo");
      for (const char* key : {"sloth_service", "service", "job"}) {
        if (service.empty()) service = label_in(t.selector, key);
      }
      if (prefix.empty()) prefix = t.metric.substr(0, t.metric.find(':'));
    }
    ImportedBurnWindow w;
    w.severity = severity.empty() ? "page" : route_of_severity(severity);
    w.factor = terms[0].factor;
    w.for_s = for_s;
    double a = terms[0].window_s;
    double b = terms.size() == 2 ? terms[1].window_s : 0.0;
    if (a == 0.0 || (terms.size() == 2 && b == 0.0)) {
      const auto lw = parse_duration_text(label(labels, "long"));
      const auto sw = parse_duration_text(label(labels, "short"));
      if (!lw || (terms.size() == 2 && !sw)) return false;
      a = *lw;
      b = terms.size() == 2 ? *sw : 0.0;
    }
    w.long_window_s = std::max(a, b);
    w.short_window_s = terms.size() == 2 ? std::min(a, b) : 0.0;
    windows.push_back(w);
  }
  if (slo.empty()) slo = prefix.empty() ? name : prefix;
  if (service.empty()) service = slo;
  ImportedSlo s;
  s.name = slo;
  s.service = service;
  s.origin = origin_of(doc, child(rule, "expr"), path + ".expr");
  s.source_format = "prometheus-rules";
  s.objective = Sourced<double>{std::round((1.0 - budget) * 1e9) / 1e9, s.origin};
  out.slos.push_back(s);
  ImportedAlert a;
  a.name = name;
  a.origin = origin_of(doc, child(rule, "alert"), path + ".alert");
  a.slo = slo;
  a.service = service;
  a.windows = windows;
  a.team = label(labels, "team");
  out.alerts.push_back(a);
  return true;
}

/// A threshold alert; false when the expression is not one.
bool read_threshold_rule(const SourceDocument& doc, const YAML::Node& rule,
                         const YAML::Node& group_labels, const std::string& path,
                         const std::string& name, const std::string& expr, double for_s,
                         ImportModel& out) {
  const std::string whole = strip_outer(expr);
  if (split_top(whole, "or").size() > 1 || split_top(whole, "and").size() > 1 ||
      split_top(whole, "unless").size() > 1)
    return false;
  const auto cmp = comparison(expr);
  if (!cmp) return false;
  const auto bound = parse_number_text(cmp->rhs);
  if (!bound || *bound <= 0) return false;
  const YAML::Node labels = rule_labels(rule, group_labels);
  std::string service = label(labels, "service");
  for (const char* key : {"service", "job", "app", "app_kubernetes_io_name"}) {
    if (!service.empty()) break;
    service = label_in(cmp->lhs, key);
  }
  ImportedAlert a;
  a.name = name;
  a.origin = origin_of(doc, child(rule, "alert"), path + ".alert");
  a.for_s = for_s;
  a.route =
      label(labels, "severity").empty() ? "page" : route_of_severity(label(labels, "severity"));
  a.team = label(labels, "team");
  static const std::regex quantile(R"(^histogram_quantile\s*\(\s*([0-9.]+)\s*,)");
  std::smatch m;
  const std::string lhs = strip_outer(cmp->lhs);
  if (std::regex_search(lhs, m, quantile)) {
    const auto q = parse_number_text(m[1].str());
    if (!q || !(*q > 0 && *q < 1)) return false;
    a.latency_above_s = *bound;
    a.latency_percentile = *q;
  } else {
    static const std::regex errors(
        R"re((code|status|status_code|response_code)\s*=~\s*"5|_(errors?|failures?|failed)(_total)?\b)re");
    // A ratio: the numerator selects errors, the bound is a fraction.
    if (lhs.find('/') == std::string::npos ||
        !std::regex_search(lhs.substr(0, lhs.find('/')), errors) || *bound > 1.0)
      return false;
    a.error_rate_above = *bound;
  }
  if (service.empty()) return false;
  a.service = service;
  out.alerts.push_back(a);
  return true;
}

}  // namespace

void read_prometheus_rules(const SourceDocument& doc, ImportModel& out) {
  const bool object = child(doc.root, "kind").IsDefined();
  const std::string base = object ? "spec.groups" : "groups";
  const YAML::Node groups =
      object ? child(child(doc.root, "spec"), "groups") : child(doc.root, "groups");
  if (!groups.IsSequence()) {
    add_note(out, Level::warning, doc, groups.IsDefined() ? groups : doc.root, base,
             "expected a list at " + base + "; the document was skipped");
    return;
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string gpath = base + "[" + std::to_string(g) + "]";
    const YAML::Node rules = child(groups[g], "rules");
    if (!rules.IsSequence()) {
      add_note(out, Level::warning, doc, groups[g], gpath + ".rules",
               "expected a list at " + gpath + ".rules; the group was skipped");
      continue;
    }
    for (std::size_t r = 0; r < rules.size(); ++r) {
      const YAML::Node rule = rules[r];
      const std::string path = gpath + ".rules[" + std::to_string(r) + "]";
      if (child(rule, "record").IsDefined()) continue;  // inputs of the alerts
      const auto name = scalar_at(doc, rule, "alert", path + ".alert", "an alert name", out);
      const auto expr = scalar_at(doc, rule, "expr", path + ".expr", "a PromQL expression", out);
      if (!name || !expr) {
        add_note(out, Level::warning, doc, rule, path,
                 "expected `alert:` and `expr:` (or `record:`); the rule was left out");
        continue;
      }
      double for_s = 0.0;
      if (child(rule, "for").IsDefined())
        for_s = duration_at(doc, rule, "for", path + ".for", out).value_or(0.0);
      const YAML::Node group_labels = child(groups[g], "labels");
      // keep_firing_for holds a resolved alert firing; relsim's alerts end
      // when their condition clears.
      const auto keep_firing = [&]() {
        const YAML::Node k = child(rule, "keep_firing_for");
        if (!k.IsDefined()) return;
        add_note(out, Level::note, doc, k, path + ".keep_firing_for",
                 "alert '" + *name + "': keep_firing_for " + (k.IsScalar() ? k.Scalar() : "") +
                     " is not kept (relsim's alerts end when their condition clears)");
      };
      if (read_burn_rule(doc, rule, group_labels, path, *name, *expr, for_s, out)) {
        keep_firing();
        continue;
      }
      if (read_threshold_rule(doc, rule, group_labels, path, *name, *expr, for_s, out)) {
        keep_firing();
        continue;
      }
      add_note(out, Level::warning, doc, child(rule, "expr"), path + ".expr",
               "alert '" + *name +
                   "': expected a burn rate (`<recording rule with a window suffix> > (F * E)`, "
                   "pairs joined by `and`, tiers by `or`) or a threshold (`histogram_quantile(Q, "
                   "...) > SECONDS`, or an error ratio `errors / total > FRACTION` with a "
                   "service label); not recognised, the rule was left out");
    }
  }
}

}  // namespace relsim::analysis::import
