// relsim import: Sloth SLO specs (`version: prometheus/v1` and the Kubernetes
// object `sloth.slok.dev/v1 PrometheusServiceLevel`) and Sloth `AlertWindows`.
// A Sloth spec carries no SLO period: the SLO's window and its alerts' window
// pairs are resolved by join_import from --slo-period or an AlertWindows file.
#include <regex>

#include "analysis/import/import_reader.hpp"
#include "analysis/import/import_util.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

/// The `le` of a histogram bucket in a query (`..._bucket{...,le="0.5"}`): a
/// latency SLI's threshold in seconds.
std::optional<double> bucket_threshold(const std::string& query) {
  static const std::regex le(R"re(_bucket\s*\{[^}]*\ble\s*=\s*"([0-9.eE+-]+)")re");
  std::smatch m;
  if (std::regex_search(query, m, le)) return parse_number_text(m[1].str());
  return std::nullopt;
}

}  // namespace

void read_sloth(const SourceDocument& doc, ImportModel& out) {
  const bool k8s = child(doc.root, "kind").IsDefined();
  const YAML::Node spec = k8s ? child(doc.root, "spec") : doc.root;
  const std::string base = k8s ? "spec." : "";
  if (!spec.IsMap()) {
    add_note(out, Level::warning, doc, doc.root, "spec",
             "expected a mapping at spec (a PrometheusServiceLevel's SLOs); the document was "
             "skipped");
    return;
  }
  const auto service = scalar_at(doc, spec, "service", base + "service", "a service name", out);
  if (!service || service->empty()) {
    add_note(out, Level::warning, doc, spec, base + "service",
             "expected " + base +
                 "service (the service the SLOs measure); the document was "
                 "skipped");
    return;
  }
  const YAML::Node slos = child(spec, "slos");
  if (!slos.IsSequence()) {
    add_note(out, Level::warning, doc, slos.IsDefined() ? slos : spec, base + "slos",
             "expected a list at " + base + "slos; the document was skipped");
    return;
  }
  const char* error_key = k8s ? "errorQuery" : "error_query";
  const char* total_key = k8s ? "totalQuery" : "total_query";
  const char* ratio_key = k8s ? "errorRatioQuery" : "error_ratio_query";
  const char* page_key = k8s ? "pageAlert" : "page_alert";
  const char* ticket_key = k8s ? "ticketAlert" : "ticket_alert";
  for (std::size_t i = 0; i < slos.size(); ++i) {
    const YAML::Node s = slos[i];
    const std::string path = base + "slos[" + std::to_string(i) + "]";
    const auto name = scalar_at(doc, s, "name", path + ".name", "an SLO name", out);
    if (!name || name->empty()) {
      add_note(out, Level::warning, doc, s, path + ".name",
               "expected " + path + ".name; the SLO was skipped");
      continue;
    }
    const YAML::Node obj = child(s, "objective");
    const std::optional<double> objective =
        obj.IsScalar() ? parse_number_text(obj.Scalar()) : std::nullopt;
    if (!objective || !(*objective > 0.0 && *objective < 100.0)) {
      add_note(out, Level::warning, doc, obj.IsDefined() ? obj : s, path + ".objective",
               "expected " + path + ".objective, a percentage in (0, 100) like 99.9" +
                   (obj.IsScalar() ? ", got '" + obj.Scalar() + "'" : std::string()) + "; SLO '" +
                   *name + "' was skipped");
      continue;
    }
    ImportedSlo slo;
    slo.name = *name;
    slo.service = *service;
    slo.origin = origin_of(doc, s, path);
    slo.source_format = "sloth";
    slo.objective = Sourced<double>{*objective / 100.0,
                                    origin_of(doc, child(s, "objective"), path + ".objective")};
    const YAML::Node sli = child(s, "sli");
    const YAML::Node events = child(sli, "events");
    const YAML::Node raw = child(sli, "raw");
    std::string query;
    std::string query_path;
    if (events.IsDefined()) {
      const auto err = scalar_at(doc, events, error_key, path + ".sli.events." + error_key,
                                 "a PromQL query", out);
      const auto tot = scalar_at(doc, events, total_key, path + ".sli.events." + total_key,
                                 "a PromQL query", out);
      if (!err || !tot) {
        add_note(out, Level::warning, doc, events, path + ".sli.events",
                 std::string("expected ") + error_key + " and " + total_key +
                     "; the SLI was read as availability");
      }
      query = err.value_or("") + " " + tot.value_or("");
      query_path = path + ".sli.events." + error_key;
    } else if (raw.IsDefined()) {
      query = scalar_at(doc, raw, ratio_key, path + ".sli.raw." + ratio_key, "a PromQL query", out)
                  .value_or("");
      query_path = path + ".sli.raw." + ratio_key;
    } else if (const YAML::Node plugin = child(sli, "plugin"); plugin.IsDefined()) {
      add_note(out, Level::note, doc, plugin, path + ".sli.plugin",
               "an SLI plugin builds the queries, which are not in the file: the SLI was read as "
               "availability (set sli: latency and threshold in the output if it measures "
               "latency)");
    } else {
      add_note(out, Level::warning, doc, sli.IsDefined() ? sli : s, path + ".sli",
               "expected sli.events, sli.raw or sli.plugin; the SLI was read as availability");
    }
    if (const auto le = bucket_threshold(query)) {
      slo.sli = "latency";
      slo.threshold_s = Sourced<double>{*le, origin_of(doc, sli, query_path + " le")};
    }
    out.slos.push_back(slo);

    const YAML::Node alerting = child(s, "alerting");
    ImportedAlert alert;
    alert.slo = *name;
    alert.service = *service;
    alert.origin = origin_of(doc, alerting.IsDefined() ? alerting : s, path + ".alerting");
    alert.name = scalar_at(doc, alerting, "name", path + ".alerting.name", "an alert name", out)
                     .value_or(*name + "-burn");
    alert.deferred_windows = "sloth";
    const auto disabled = [&](const char* key) {
      return bool_at(doc, child(alerting, key), "disable", path + ".alerting." + key + ".disable",
                     out)
          .value_or(false);
    };
    alert.page_enabled = !disabled(page_key);
    alert.ticket_enabled = !disabled(ticket_key);
    // `for` of a severity's alerts (Sloth's alert_for plugin reads it).
    const auto for_of = [&](const char* key) {
      return duration_at(doc, child(alerting, key), "for", path + ".alerting." + key + ".for", out)
          .value_or(0.0);
    };
    alert.page_for_s = for_of(page_key);
    alert.ticket_for_s = for_of(ticket_key);
    if (alert.page_enabled || alert.ticket_enabled) out.alerts.push_back(alert);
  }
}

void read_sloth_windows(const SourceDocument& doc, ImportModel& out) {
  const YAML::Node spec = child(doc.root, "spec");
  const auto period = duration_at(doc, spec, "sloPeriod", "spec.sloPeriod", out);
  if (!period || *period <= 0) {
    add_note(out, Level::warning, doc, spec.IsDefined() ? spec : doc.root, "spec.sloPeriod",
             "expected spec.sloPeriod (a duration like 30d); the AlertWindows were skipped");
    return;
  }
  ImportedAlertWindows w;
  w.origin = origin_of(doc, child(spec, "sloPeriod"), "spec.sloPeriod");
  w.period_s = *period;
  for (const char* severity : {"page", "ticket"}) {
    for (const char* speed : {"quick", "slow"}) {
      const std::string path = std::string("spec.") + severity + "." + speed;
      const YAML::Node n = child(child(spec, severity), speed);
      const auto pct = number_at(doc, n, "errorBudgetPercent", path + ".errorBudgetPercent", out);
      const auto shortw = duration_at(doc, n, "shortWindow", path + ".shortWindow", out);
      const auto longw = duration_at(doc, n, "longWindow", path + ".longWindow", out);
      if (!pct || !shortw || !longw || *pct <= 0 || *longw <= 0) {
        add_note(out, Level::warning, doc, n.IsDefined() ? n : spec, path,
                 "expected " + path +
                     " with errorBudgetPercent, shortWindow and longWindow; the AlertWindows "
                     "were skipped");
        return;
      }
      ImportedBurnWindow b;
      b.severity = severity;
      b.budget_percent = *pct;
      b.long_window_s = *longw;
      b.short_window_s = *shortw;
      b.factor = *pct / 100.0 * *period / *longw;
      w.windows.push_back(b);
    }
  }
  out.alert_windows.push_back(w);
}

}  // namespace relsim::analysis::import
