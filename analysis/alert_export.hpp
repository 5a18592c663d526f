// A rule set as configuration for the real monitoring stack
// (`relsim alerts --export`, docs/alerting.md, "Exporting the rules"):
//   prometheus  a Prometheus rule file: one group of recording rules (the
//               SLO's error ratio over every window the rules use) and one
//               group of alerting rules (one per alert and route, window
//               pairs AND-ed, pairs OR-ed, `for:` and labels);
//   sloth       a Sloth `prometheus/v1` SLO spec; when the windows are not
//               Sloth's defaults for a 30-day SLO, a second document, the
//               `sloth.slok.dev/v1` AlertWindows that carries them.
// Built with yaml-cpp's emitter (analysis/yaml_text.hpp). Pure functions;
// thread-safe.
#pragma once

#include <string>

#include "analysis/alert_rules.hpp"

namespace relsim::analysis {

struct AlertExportTarget {
  std::string slo;      // SLO name
  std::string service;  // its service
  models::SliKind sli = models::SliKind::availability;
  double latency_threshold_seconds = 0.0;  // latency SLIs
  double objective = 0.999;
  sim::Duration period = sim::Duration::days(30);
  /// PromQL selector of the service's request metrics, inside {}.
  std::string selector;  // default: service="<service>"
};

/// Checks that `selector` is PromQL label matchers (`job="api", code!~"5.."`:
/// a label name, `=`, `!=`, `=~` or `!~`, a quoted value without control
/// characters, separated by commas); empty is allowed (the default
/// selector). Throws std::invalid_argument naming the character at fault, so
/// a selector cannot break the PromQL or the file it is written into.
void check_promql_selector(const std::string& selector);

/// The Prometheus rule file (YAML) of `set`; every name is quoted by the
/// YAML emitter and, inside PromQL, as a PromQL string. Throws
/// std::invalid_argument for a selector check_promql_selector refuses.
std::string prometheus_rules(const RuleSet& set, const AlertExportTarget& target);

/// The Sloth spec (YAML) of `set`. Throws std::invalid_argument when the set
/// is not what Sloth generates: two page and two ticket window pairs, each
/// with a short window (Sloth's quick and slow alerts), or for a selector
/// check_promql_selector refuses.
std::string sloth_spec(const RuleSet& set, const AlertExportTarget& target);

}  // namespace relsim::analysis
