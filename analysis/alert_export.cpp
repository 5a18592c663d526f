// Prometheus rule files and Sloth specs of a rule set (see alert_export.hpp).
#include "analysis/alert_export.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "analysis/yaml_text.hpp"

namespace relsim::analysis {

namespace {

using models::AlertRoute;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

/// `text` as a PromQL double-quoted string: `\`, `"` and control
/// characters escaped (Go escapes, which PromQL reads).
std::string promql_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) {
  return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}

std::string selector_of(const AlertExportTarget& t) {
  return t.selector.empty() ? "service=" + promql_string(t.service) : t.selector;
}

/// The SLI's error and total request rates over `window` (a PromQL range,
/// or Sloth's `{{.window}}`).
std::pair<std::string, std::string> queries(const AlertExportTarget& t, const std::string& window) {
  const std::string sel = selector_of(t);
  if (t.sli == models::SliKind::latency) {
    const std::string count =
        "sum(rate(http_request_duration_seconds_count{" + sel + "}[" + window + "]))";
    return {count + " - sum(rate(http_request_duration_seconds_bucket{" + sel + ",le=\"" +
                num(t.latency_threshold_seconds) + "\"}[" + window + "]))",
            count};
  }
  return {"sum(rate(http_requests_total{" + sel + ",code=~\"5..\"}[" + window + "]))",
          "sum(rate(http_requests_total{" + sel + "}[" + window + "]))"};
}

std::string record_name(const std::string& window) { return "slo:sli_error:ratio_rate" + window; }

const char* route_name(AlertRoute r) { return r == AlertRoute::page ? "page" : "ticket"; }

/// `text` for a message: control characters as `\n`, `\t` or `\xHH`.
std::string printable(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

[[noreturn]] void bad_selector(const std::string& selector, std::size_t at,
                               const std::string& why) {
  throw std::invalid_argument(
      "--selector: '" + printable(selector) +
      "' is not PromQL label matchers (name=\"value\", name!~\"regex\", ... separated by "
      "commas): " +
      why + " at character " + std::to_string(at + 1));
}

using YAML::BeginMap;
using YAML::BeginSeq;
using YAML::DoubleQuoted;
using YAML::EndMap;
using YAML::EndSeq;
using YAML::Key;
using YAML::Literal;
using YAML::Value;

}  // namespace

void check_promql_selector(const std::string& selector) {
  std::size_t i = 0;
  const std::size_t n = selector.size();
  const auto skip_space = [&] {
    while (i < n && (selector[i] == ' ')) ++i;
  };
  skip_space();
  while (i < n) {
    if (!is_name_start(selector[i])) bad_selector(selector, i, "a label name expected");
    while (i < n && is_name_char(selector[i])) ++i;
    skip_space();
    if (i + 1 < n && (selector[i] == '!' || selector[i] == '=') &&
        (selector[i + 1] == '=' || selector[i + 1] == '~')) {
      if (selector[i] == '=' && selector[i + 1] == '=')
        bad_selector(selector, i, "'==' is not a matcher");
      i += 2;
    } else if (i < n && selector[i] == '=') {
      i += 1;
    } else {
      bad_selector(selector, i, "a matcher (=, !=, =~, !~) expected");
    }
    skip_space();
    if (i >= n || (selector[i] != '"' && selector[i] != '\'')) {
      bad_selector(selector, i, "a quoted label value expected");
    }
    const char quote = selector[i++];
    for (;; ++i) {
      if (i >= n) bad_selector(selector, i, "the label value is not closed");
      const auto u = static_cast<unsigned char>(selector[i]);
      if (u < 0x20 || u == 0x7f) bad_selector(selector, i, "a control character (line break, tab)");
      if (selector[i] == '\\') {
        if (i + 1 >= n) bad_selector(selector, i, "the label value is not closed");
        const auto e = static_cast<unsigned char>(selector[i + 1]);
        if (e < 0x20 || e == 0x7f)
          bad_selector(selector, i + 1, "a control character (line break, tab)");
        ++i;
      } else if (selector[i] == quote) {
        ++i;
        break;
      }
    }
    skip_space();
    if (i < n && selector[i] != ',') bad_selector(selector, i, "',' expected between matchers");
    if (i < n) ++i;
    skip_space();
  }
}

namespace {

/// The `labels:` of every rule of the file.
void slo_labels(YAML::Emitter& y, const AlertExportTarget& t) {
  y << Key << "slo" << Value << t.slo << Key << "service" << Value << t.service;
}

}  // namespace

std::string prometheus_rules(const RuleSet& set, const AlertExportTarget& t) {
  check_promql_selector(t.selector);
  const double budget = 1.0 - t.objective;
  std::set<std::int64_t> windows;
  for (const models::Alert& a : set.alerts) {
    for (const models::BurnWindow& w : a.burn_windows) {
      windows.insert(w.long_window.count_micros());
      windows.insert(w.short_window.count_micros());
    }
  }
  std::string head = yaml_comment(
      "Generated by `relsim alerts --export prometheus`: rule set '" + set.name + "' on SLO '" +
      t.slo + "' (" + num(t.objective * 100.0) + " % over " + window_text(t.period) + ").");
  head += yaml_comment("Check with `promtool check rules` before loading. relsim evaluates `>=`.");
  YAML::Emitter y;
  y << BeginMap << Key << "groups" << Value << BeginSeq;
  y << BeginMap << Key << "name" << Value << "relsim-" + t.slo + "-sli";
  y << Key << "rules" << Value << BeginSeq;
  for (const std::int64_t us : windows) {
    const std::string w = window_text(sim::Duration::micros(us));
    const auto [err, total] = queries(t, w);
    y << BeginMap << Key << "record" << Value << record_name(w);
    y << Key << "expr" << Value << Literal << "(" + err + ")\n/\n(" + total + ")";
    y << Key << "labels" << Value << BeginMap;
    slo_labels(y, t);
    y << EndMap << EndMap;
  }
  y << EndSeq << EndMap;
  y << BeginMap << Key << "name" << Value << "relsim-" + t.slo + "-alerts";
  y << Key << "rules" << Value << BeginSeq;
  for (const models::Alert& a : set.alerts) {
    for (const AlertRoute route : {AlertRoute::page, AlertRoute::ticket}) {
      std::vector<std::string> terms;
      for (const models::BurnWindow& w : a.burn_windows) {
        if (w.severity != route) continue;
        const std::string threshold = "(" + num(w.factor) + " * " + num(budget) + ")";
        const std::string sel = "{slo=" + promql_string(t.slo) + "}";
        std::string term = record_name(window_text(w.long_window)) + sel + " >= " + threshold;
        if (w.short_window != w.long_window) {
          term = "(" + term + " and " + record_name(window_text(w.short_window)) + sel +
                 " >= " + threshold + ")";
        }
        terms.push_back(term);
      }
      if (terms.empty()) continue;
      std::string expr;
      for (std::size_t k = 0; k < terms.size(); ++k) {
        expr += (k ? "\nor " : "") + terms[k];
      }
      y << BeginMap << Key << "alert" << Value
        << a.name + (route == AlertRoute::page ? "Page" : "Ticket");
      y << Key << "expr" << Value << Literal << expr;
      if (a.for_duration.count_micros() > 0) {
        y << Key << "for" << Value << window_text(a.for_duration);
      }
      y << Key << "labels" << Value << BeginMap << Key << "severity" << Value << route_name(route);
      slo_labels(y, t);
      y << EndMap;
      y << Key << "annotations" << Value << BeginMap << Key << "summary" << Value
        << std::string(route == AlertRoute::page ? "High" : "Sustained") +
               " error budget burn on SLO " + t.slo;
      y << Key << "relsim_rule_set" << Value << set.name << EndMap;
      y << EndMap;
    }
  }
  y << EndSeq << EndMap;
  y << EndSeq << EndMap;
  return head + emitted(y);
}

std::string sloth_spec(const RuleSet& set, const AlertExportTarget& t) {
  struct W {
    double percent;
    sim::Duration short_window, long_window;
  };
  check_promql_selector(t.selector);
  std::vector<W> page, ticket;
  std::string name = set.alerts.empty() ? set.name : set.alerts.front().name;
  for (const models::Alert& a : set.alerts) {
    if (a.for_duration.count_micros() > 0) {
      throw std::invalid_argument(
          "--export sloth: alert '" + a.name +
          "' has a `for:`; Sloth's alerts have none (use --export prometheus)");
    }
    for (const models::BurnWindow& w : a.burn_windows) {
      W x{share_of_factor(w.factor, w.long_window, t.period) * 100.0, w.short_window,
          w.long_window};
      (w.severity == AlertRoute::page ? page : ticket).push_back(x);
    }
  }
  const auto shape_ok = [](const std::vector<W>& v) {
    return v.size() == 2 && std::all_of(v.begin(), v.end(),
                                        [](const W& w) { return w.short_window < w.long_window; });
  };
  if (!shape_ok(page) || !shape_ok(ticket)) {
    throw std::invalid_argument(
        "--export sloth: rule set '" + set.name +
        "' is not what Sloth generates (multiwindow multi-burn-rate: two page and two ticket "
        "window pairs, each with a short window); it has " +
        std::to_string(page.size()) + " page and " + std::to_string(ticket.size()) +
        " ticket windows (use --export prometheus, or the multiwindow preset)");
  }
  const auto by_long = [](const W& a, const W& b) { return a.long_window < b.long_window; };
  std::sort(page.begin(), page.end(), by_long);
  std::sort(ticket.begin(), ticket.end(), by_long);
  const auto [err, total] = queries(t, "{{.window}}");
  std::string head = yaml_comment("Generated by `relsim alerts --export sloth`: rule set '" +
                                  set.name + "' on SLO '" + t.slo + "'.");
  head += yaml_comment(
      "Generate the rules: sloth generate -i this.yaml --slo-period-windows-path "
      "DIR_WITH_THE_ALERTWINDOWS_DOCUMENT --default-slo-period " +
      window_text(t.period));
  YAML::Emitter y;
  y << BeginMap << Key << "version" << Value << DoubleQuoted << "prometheus/v1";
  y << Key << "service" << Value << t.service;
  y << Key << "labels" << Value << BeginMap << Key << "generator" << Value << "relsim" << EndMap;
  y << Key << "slos" << Value << BeginSeq << BeginMap;
  y << Key << "name" << Value << t.slo;
  y << Key << "objective" << Value << num(t.objective * 100.0);
  y << Key << "description" << Value << "relsim rule set " + set.name;
  y << Key << "sli" << Value << BeginMap << Key << "events" << Value << BeginMap;
  y << Key << "error_query" << Value << err << Key << "total_query" << Value << total;
  y << EndMap << EndMap;
  y << Key << "alerting" << Value << BeginMap << Key << "name" << Value << name;
  y << Key << "labels" << Value << BeginMap << Key << "slo" << Value << t.slo << EndMap;
  y << Key << "annotations" << Value << BeginMap << Key << "summary" << Value
    << "Error budget burn on SLO " + t.slo << EndMap;
  for (const char* key : {"page_alert", "ticket_alert"}) {
    y << Key << key << Value << BeginMap << Key << "labels" << Value << BeginMap << Key
      << "severity" << Value << (key[0] == 'p' ? "page" : "ticket") << EndMap << EndMap;
  }
  y << EndMap;            // alerting
  y << EndMap << EndSeq;  // the SLO, slos
  y << EndMap;
  std::string out = head + emitted(y);
  // The second document: the windows of the rules, for `--slo-period-windows-path`.
  YAML::Emitter w;
  w << BeginMap << Key << "apiVersion" << Value << "sloth.slok.dev/v1";
  w << Key << "kind" << Value << "AlertWindows";
  w << Key << "spec" << Value << BeginMap << Key << "sloPeriod" << Value << window_text(t.period);
  const auto windows = [&](const char* key, const std::vector<W>& v) {
    w << Key << key << Value << BeginMap;
    const char* names[2] = {"quick", "slow"};
    for (std::size_t k = 0; k < 2; ++k) {
      w << Key << names[k] << Value << BeginMap;
      w << Key << "errorBudgetPercent" << Value << num(v[k].percent);
      w << Key << "shortWindow" << Value << window_text(v[k].short_window);
      w << Key << "longWindow" << Value << window_text(v[k].long_window);
      w << EndMap;
    }
    w << EndMap;
  };
  windows("page", page);
  windows("ticket", ticket);
  w << EndMap << EndMap;
  return out + "---\n" +
         yaml_comment("The windows of the rules, for `--slo-period-windows-path`.") + emitted(w);
}

}  // namespace relsim::analysis
