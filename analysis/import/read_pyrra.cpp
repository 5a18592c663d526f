// relsim import: Pyrra `pyrra.dev/v1alpha1 ServiceLevelObjective`. Pyrra
// derives its multi-burn-rate alerts from the SLO window: for 28 days,
// 14x 1h/5m for 2m and 7x 6h/30m for 15m (critical: page), 2x 1d/2h for 1h
// and 1x 4d/6h for 3h (warning: ticket), every duration scaled linearly with
// the window.
#include <regex>

#include "analysis/import/import_reader.hpp"
#include "analysis/import/import_util.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

/// A label's value in a PromQL selector (`metric{job="api",code=~"5.."}`).
std::string label_value(const std::string& metric, const std::string& label) {
  const std::regex re("[{,]\\s*" + label + "\\s*=\\s*\"([^\"]*)\"");
  std::smatch m;
  if (std::regex_search(metric, m, re)) return m[1].str();
  return {};
}

}  // namespace

void read_pyrra(const SourceDocument& doc, ImportModel& out) {
  const std::string kind = child(doc.root, "kind").IsScalar() ? doc.root["kind"].Scalar() : "";
  if (kind != "ServiceLevelObjective") {
    add_note(out, Level::warning, doc, doc.root, "kind",
             "expected kind ServiceLevelObjective in a pyrra.dev document, got '" + kind +
                 "'; the document was skipped");
    return;
  }
  const YAML::Node meta = child(doc.root, "metadata");
  const YAML::Node spec = child(doc.root, "spec");
  const auto name = scalar_at(doc, meta, "name", "metadata.name", "a name", out);
  if (!name || name->empty() || !spec.IsMap()) {
    add_note(out, Level::warning, doc, doc.root, "metadata.name",
             "expected metadata.name and spec; the document was skipped");
    return;
  }
  // spec.target is a string in Pyrra ("99.9"); a number is read too.
  const auto target = number_at(doc, spec, "target", "spec.target", out);
  if (!target || !(*target > 0.0 && *target < 100.0)) {
    add_note(out, Level::warning, doc,
             child(spec, "target").IsDefined() ? child(spec, "target") : spec, "spec.target",
             "expected spec.target, a percentage in (0, 100) like \"99.9\"; SLO '" + *name +
                 "' was skipped");
    return;
  }
  const auto window = duration_at(doc, spec, "window", "spec.window", out);
  if (!window || *window <= 0) {
    add_note(out, Level::warning, doc,
             child(spec, "window").IsDefined() ? child(spec, "window") : spec, "spec.window",
             "expected spec.window, a duration like 28d; SLO '" + *name + "' was skipped");
    return;
  }
  ImportedSlo slo;
  slo.name = *name;
  slo.origin = origin_of(doc, meta, "metadata.name");
  slo.source_format = "pyrra";
  slo.objective =
      Sourced<double>{*target / 100.0, origin_of(doc, child(spec, "target"), "spec.target")};
  slo.window_s = Sourced<double>{*window, origin_of(doc, child(spec, "window"), "spec.window")};

  const YAML::Node indicator = child(spec, "indicator");
  std::string total_metric;
  std::string total_path;
  if (const YAML::Node ratio = child(indicator, "ratio"); ratio.IsDefined()) {
    total_path = "spec.indicator.ratio.total.metric";
    total_metric =
        scalar_at(doc, child(ratio, "total"), "metric", total_path, "a metric", out).value_or("");
  } else if (const YAML::Node lat = child(indicator, "latency"); lat.IsDefined()) {
    slo.sli = "latency";
    const std::string path = "spec.indicator.latency.success.metric";
    const std::string success =
        scalar_at(doc, child(lat, "success"), "metric", path, "a metric", out).value_or("");
    const std::string le = label_value(success, "le");
    if (const auto v = parse_number_text(le)) {
      slo.threshold_s =
          Sourced<double>{*v, origin_of(doc, child(child(lat, "success"), "metric"), path + " le")};
    } else {
      add_note(out, Level::warning, doc,
               child(lat, "success").IsDefined() ? child(lat, "success") : lat, path,
               "expected a histogram bucket with le=\"SECONDS\" in " + path +
                   "; the latency threshold is assumed");
    }
    total_path = "spec.indicator.latency.total.metric";
    total_metric =
        scalar_at(doc, child(lat, "total"), "metric", total_path, "a metric", out).value_or("");
  } else if (const YAML::Node nat = child(indicator, "latencyNative"); nat.IsDefined()) {
    slo.sli = "latency";
    const auto s =
        scalar_at(doc, nat, "latency", "spec.indicator.latencyNative.latency", "a latency", out);
    std::optional<double> v;
    if (s) v = parse_number_text(*s) ? parse_number_text(*s) : parse_duration_text(*s);
    if (v) {
      slo.threshold_s = Sourced<double>{
          *v, origin_of(doc, child(nat, "latency"), "spec.indicator.latencyNative.latency")};
    }
    total_path = "spec.indicator.latencyNative.total.metric";
    total_metric =
        scalar_at(doc, child(nat, "total"), "metric", total_path, "a metric", out).value_or("");
  } else if (const YAML::Node gauge = child(indicator, "bool_gauge"); gauge.IsDefined()) {
    total_path = "spec.indicator.bool_gauge.metric";
    total_metric = scalar_at(doc, gauge, "metric", total_path, "a metric", out).value_or("");
  } else {
    add_note(out, Level::warning, doc, indicator.IsDefined() ? indicator : spec, "spec.indicator",
             "expected spec.indicator.ratio, latency, latencyNative or bool_gauge; the SLI was "
             "read as availability");
  }
  // Pyrra has no service field: the service is the metric's service, app or
  // job label, else the SLO's name.
  slo.service = *name;
  for (const char* label : {"service", "app", "job"}) {
    const std::string v = label_value(total_metric, label);
    if (!v.empty()) {
      slo.service = v;
      break;
    }
  }
  out.slos.push_back(slo);

  const YAML::Node alerting = child(spec, "alerting");
  if (!bool_at(doc, alerting, "burnrates", "spec.alerting.burnrates", out).value_or(true) ||
      bool_at(doc, alerting, "disabled", "spec.alerting.disabled", out).value_or(false)) {
    return;
  }
  ImportedAlert alert;
  alert.name = *name + "-" +
               scalar_at(doc, alerting, "name", "spec.alerting.name", "an alert name", out)
                   .value_or("ErrorBudgetBurn");
  alert.slo = *name;
  alert.service = slo.service;
  alert.origin = origin_of(doc, child(spec, "window"), "spec.window");
  alert.deferred_windows = "pyrra-derived";  // complete; the emitter's comment says how
  const double scale = *window / (28.0 * 86400.0);
  struct W {
    const char* severity;
    double factor, long_s, short_s, for_s;
  };
  static constexpr W kPyrra28d[] = {{"page", 14, 3600, 300, 120},
                                    {"page", 7, 6 * 3600, 1800, 900},
                                    {"ticket", 2, 86400, 7200, 3600},
                                    {"ticket", 1, 4 * 86400, 6 * 3600, 3 * 3600}};
  for (const W& w : kPyrra28d) {
    alert.windows.push_back(ImportedBurnWindow{w.severity, w.factor, w.long_s * scale,
                                               w.short_s * scale, w.for_s * scale, 0.0});
  }
  const auto type =
      scalar_at(doc, alerting, "burnRateType", "spec.alerting.burnRateType", "a type", out);
  if (type && *type == "dynamic") {
    add_note(out, Level::note, doc, child(alerting, "burnRateType"), "spec.alerting.burnRateType",
             "dynamic burn rates: Pyrra scales each tier's factor by the traffic in its window; "
             "relsim reads the static factors (14, 7, 2, 1)");
  }
  out.alerts.push_back(alert);
}

}  // namespace relsim::analysis::import
