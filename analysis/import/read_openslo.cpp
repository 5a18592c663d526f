// relsim import: OpenSLO v1 (`SLO`, `Service`, `AlertPolicy`,
// `AlertCondition`; `DataSource` and `SLI` are acknowledged, not copied) and
// v1alpha (`timeWindows[].count/unit`, `objectives[].ratioMetrics`). Alert
// policies referenced by name are resolved by join_import once every file is
// read. A DataSource's connectionDetails (which can hold credentials) are
// never read.
#include <cmath>

#include "analysis/import/import_reader.hpp"
#include "analysis/import/import_util.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

/// An AlertCondition's spec as a burn window; nullopt (with a note) when it
/// is not a burn-rate condition.
std::optional<ImportedBurnWindow> burn_condition(const SourceDocument& doc, const YAML::Node& spec,
                                                 const std::string& path, ImportModel& out) {
  const YAML::Node cond = child(spec, "condition");
  const std::string kind =
      scalar_at(doc, cond, "kind", path + ".condition.kind", "a condition kind", out).value_or("");
  if (kind != "burnrate") {
    add_note(out, Level::warning, doc, cond.IsDefined() ? cond : spec, path + ".condition.kind",
             "expected condition.kind: burnrate, got '" + kind + "'; the condition was left out");
    return std::nullopt;
  }
  // A burn-rate alert fires above its threshold; `op: lt` / `lte` (fire
  // while the burn is low) has no relsim meaning.
  const std::string op =
      scalar_at(doc, cond, "op", path + ".condition.op", "a comparison", out).value_or("gt");
  if (op != "gt" && op != "gte") {
    add_note(out, Level::warning, doc, child(cond, "op"), path + ".condition.op",
             "expected op gt or gte (a burn-rate alert fires when the burn rate is above the "
             "threshold), got '" +
                 op + "'; the condition was left out");
    return std::nullopt;
  }
  const auto threshold = number_at(doc, cond, "threshold", path + ".condition.threshold", out);
  const auto lookback =
      duration_at(doc, cond, "lookbackWindow", path + ".condition.lookbackWindow", out);
  if (!threshold || !lookback || *threshold <= 0 || *lookback <= 0) {
    add_note(out, Level::warning, doc, cond, path + ".condition",
             "expected condition.threshold (a burn rate > 0) and condition.lookbackWindow (a "
             "duration); the condition was left out");
    return std::nullopt;
  }
  ImportedBurnWindow w;
  w.severity = route_of_severity(
      scalar_at(doc, spec, "severity", path + ".severity", "a severity", out).value_or("page"));
  w.factor = *threshold;
  w.long_window_s = *lookback;
  w.for_s = duration_at(doc, cond, "alertAfter", path + ".condition.alertAfter", out).value_or(0);
  return w;
}

/// `v1alpha` timeWindows[].{count, unit}: seconds (Month: a calendar month).
std::optional<double> unit_seconds(const std::string& unit) {
  if (unit == "Second") return 1;
  if (unit == "Minute") return 60;
  if (unit == "Hour") return 3600;
  if (unit == "Day") return 86400;
  if (unit == "Week") return 7 * 86400;
  if (unit == "Month") return 30 * 86400;
  if (unit == "Quarter") return 90 * 86400;
  if (unit == "Year") return 365 * 86400;
  return std::nullopt;
}

void read_policy(const SourceDocument& doc, const YAML::Node& node, const std::string& path,
                 const std::string& name, ImportModel& out) {
  const std::string pre = path == "AlertPolicy" ? std::string() : path + ".";
  ImportedAlertPolicy p;
  p.name = name;
  p.origin = origin_of(doc, node, path);
  if (path == "AlertPolicy")
    p.origin = origin_of(doc, child(child(node, "metadata"), "name"), "metadata.name");
  const YAML::Node spec = child(node, "spec");
  const YAML::Node conditions = child(spec, "conditions");
  if (!conditions.IsSequence()) {
    add_note(out, Level::warning, doc, spec.IsDefined() ? spec : node, pre + "spec.conditions",
             "expected a list at spec.conditions; AlertPolicy '" + name + "' has no conditions");
  }
  for (std::size_t i = 0; conditions.IsSequence() && i < conditions.size(); ++i) {
    const YAML::Node c = conditions[i];
    const std::string cpath = pre + "spec.conditions[" + std::to_string(i) + "]";
    if (const auto ref =
            scalar_at(doc, c, "conditionRef", cpath + ".conditionRef", "a name", out)) {
      p.condition_refs.push_back(
          {*ref, origin_of(doc, child(c, "conditionRef"), cpath + ".conditionRef")});
    } else if (child(c, "spec").IsDefined()) {
      if (auto w = burn_condition(doc, child(c, "spec"), cpath + ".spec", out))
        p.windows.push_back(*w);
    } else {
      add_note(
          out, Level::warning, doc, c, cpath,
          "expected conditionRef or an inline AlertCondition (kind, metadata, spec); left out");
    }
  }
  out.alert_policies.push_back(p);
}

void read_slo(const SourceDocument& doc, bool alpha, const std::string& name, ImportModel& out) {
  const YAML::Node spec = child(doc.root, "spec");
  const auto service = scalar_at(doc, spec, "service", "spec.service", "a service name", out);
  if (!service || service->empty()) {
    add_note(out, Level::warning, doc, spec.IsDefined() ? spec : doc.root, "spec.service",
             "expected spec.service; SLO '" + name + "' was skipped");
    return;
  }
  ImportedSlo base;
  base.name = name;
  base.service = *service;
  base.origin = origin_of(doc, child(child(doc.root, "metadata"), "name"), "metadata.name");
  base.source_format = "openslo";
  const YAML::Node windows = child(spec, alpha ? "timeWindows" : "timeWindow");
  const std::string wpath = alpha ? "spec.timeWindows[0]" : "spec.timeWindow[0]";
  if (windows.IsSequence() && windows.size() > 0) {
    const YAML::Node w = windows[0];
    if (alpha) {
      const auto count = number_at(doc, w, "count", wpath + ".count", out);
      const auto unit = scalar_at(doc, w, "unit", wpath + ".unit", "a unit", out);
      const auto secs = unit ? unit_seconds(*unit) : std::nullopt;
      if (count && secs && *count > 0) {
        base.window_s = Sourced<double>{*count * *secs, origin_of(doc, w, wpath + ".count")};
        base.calendar_month = *unit == "Month" && *count == 1 && child(w, "calendar").IsDefined();
      } else {
        add_note(out, Level::warning, doc, w, wpath,
                 "expected count and unit (Second ... Year); the window is assumed");
      }
    } else {
      const auto text = scalar_at(doc, w, "duration", wpath + ".duration", "a duration", out);
      // OpenSLO's duration-shorthand: m h d w, and M (month), Q (quarter),
      // Y (year), which relsim's durations do not have.
      const YAML::Node dn = child(w, "duration");
      const bool calendar = child(w, "calendar").IsDefined();
      const auto long_unit = [&]() -> std::optional<std::pair<double, char>> {
        if (!text || text->size() < 2) return std::nullopt;
        const char u = text->back();
        const auto n = parse_number_text(text->substr(0, text->size() - 1));
        if (!n || *n <= 0 || *n != std::floor(*n)) return std::nullopt;
        const double day = 86400.0;
        if (u == 'M') return std::pair{*n * 30 * day, u};
        if (u == 'Q') return std::pair{*n * 90 * day, u};
        if (u == 'Y') return std::pair{*n * 365 * day, u};
        return std::nullopt;
      }();
      if (text && *text == "1mo") {
        base.window_s = Sourced<double>{30 * 86400.0, origin_of(doc, dn, wpath + ".duration")};
        base.calendar_month = calendar;
      } else if (long_unit) {
        base.window_s = Sourced<double>{long_unit->first, origin_of(doc, dn, wpath + ".duration")};
        base.calendar_month = calendar && *text == "1M";
        if (calendar && !base.calendar_month) {
          add_note(out, Level::note, doc, dn, wpath + ".duration",
                   "a calendar " + *text +
                       " window: relsim's calendar windows are months; read "
                       "as a rolling " +
                       duration_text(long_unit->first) + " window");
        } else if (*text != "1M") {
          add_note(out, Level::note, doc, dn, wpath + ".duration",
                   *text + " read as " + duration_text(long_unit->first) +
                       " (a month 30 days, a quarter 90, a year 365)");
        }
      } else if (const auto d = text ? parse_duration_text(*text) : std::nullopt) {
        base.window_s = Sourced<double>{*d, origin_of(doc, dn, wpath + ".duration")};
        if (*d < 3600.0) {
          add_note(out, Level::warning, doc, dn, wpath + ".duration",
                   "a window of " + *text + " is " + duration_text(*d) +
                       " (OpenSLO writes a month 1M, a minute 1m); read as " + duration_text(*d) +
                       ", check it");
        }
      } else {
        add_note(
            out, Level::warning, doc, w, wpath + ".duration",
            "expected a duration like 28d or 1M at " + wpath + ".duration; the window is assumed");
      }
    }
    if (windows.size() > 1) {
      add_note(out, Level::note, doc, windows[1],
               alpha ? "spec.timeWindows[1]" : "spec.timeWindow[1]",
               "more than one time window: the first was taken");
    }
  }
  const auto method =
      scalar_at(doc, spec, "budgetingMethod", "spec.budgetingMethod", "a method", out);
  if (method && *method != "Occurrences") {
    add_note(
        out, Level::note, doc, child(spec, "budgetingMethod"), "spec.budgetingMethod",
        "budgetingMethod " + *method +
            ": relsim counts requests (Occurrences); the objective was read as a request ratio");
  }
  // Alert policies: names, `alertPolicyRef`s or inline AlertPolicy objects.
  const YAML::Node policies = child(spec, "alertPolicies");
  for (std::size_t i = 0; policies.IsSequence() && i < policies.size(); ++i) {
    const YAML::Node p = policies[i];
    const std::string ppath = "spec.alertPolicies[" + std::to_string(i) + "]";
    if (p.IsScalar()) {
      base.alert_policy_refs.push_back({p.Scalar(), origin_of(doc, p, ppath)});
    } else if (const auto ref =
                   scalar_at(doc, p, "alertPolicyRef", ppath + ".alertPolicyRef", "a name", out)) {
      base.alert_policy_refs.push_back(
          {*ref, origin_of(doc, child(p, "alertPolicyRef"), ppath + ".alertPolicyRef")});
    } else if (child(p, "spec").IsDefined()) {
      const std::string pname =
          scalar_at(doc, child(p, "metadata"), "name", ppath + ".metadata.name", "a name", out)
              .value_or(name + "-policy-" + std::to_string(i));
      read_policy(doc, p, ppath, pname, out);
      base.alert_policy_refs.push_back({pname, origin_of(doc, p, ppath)});
    }
  }
  const YAML::Node objectives = child(spec, "objectives");
  if (!objectives.IsSequence() || objectives.size() == 0) {
    add_note(out, Level::warning, doc, objectives.IsDefined() ? objectives : spec,
             "spec.objectives",
             "expected a list at spec.objectives; SLO '" + name + "' was skipped");
    return;
  }
  for (std::size_t i = 0; i < objectives.size(); ++i) {
    const YAML::Node o = objectives[i];
    const std::string opath = "spec.objectives[" + std::to_string(i) + "]";
    ImportedSlo slo = base;
    if (i > 0) {
      slo.name = name + "-" +
                 scalar_at(doc, o, "displayName", opath + ".displayName", "a name", out)
                     .value_or(std::to_string(i));
      slo.alert_policy_refs.clear();  // the policies watch the SLO (its first objective)
    }
    std::optional<double> target = number_at(doc, o, "target", opath + ".target", out);
    std::string tkey = "target";
    if (!target) {
      if (const auto pct = number_at(doc, o, "targetPercent", opath + ".targetPercent", out)) {
        target = *pct / 100.0;
        tkey = "targetPercent";
      }
    }
    if (!target || !(*target > 0.0 && *target < 1.0)) {
      add_note(out, Level::warning, doc, o, opath,
               "expected " + opath +
                   ".target in (0, 1) or targetPercent in (0, 100); objective "
                   "skipped");
      continue;
    }
    slo.objective = Sourced<double>{*target, origin_of(doc, child(o, tkey), opath + "." + tkey)};
    if (child(o, "value").IsDefined() && child(o, "op").IsDefined()) {
      // A threshold objective ("op: lte, value: 300") is a latency SLO; the
      // metric's unit is not in the file, so the threshold is assumed.
      slo.sli = "latency";
      add_note(out, Level::note, doc, child(o, "value"), opath + ".value",
               "a threshold objective: read as a latency SLO; the metric's unit is not in the "
               "file, so the threshold is assumed (set it in the output)");
    }
    out.slos.push_back(slo);
  }
}

}  // namespace

void read_openslo(const SourceDocument& doc, ImportModel& out) {
  const std::string api =
      child(doc.root, "apiVersion").IsScalar() ? doc.root["apiVersion"].Scalar() : "";
  const bool alpha = api == "openslo/v1alpha";
  // openslo.com/v2alpha keeps v1's fields for what relsim reads (service,
  // timeWindow, budgetingMethod, objectives, alertPolicies).
  const bool v2 = api.rfind("openslo.com/v2alpha", 0) == 0;
  if (!alpha && !v2 && api != "openslo/v1") {
    add_note(out, Level::warning, doc, doc.root, "apiVersion",
             "expected openslo/v1, openslo/v1alpha or openslo.com/v2alpha, got '" + api +
                 "'; the document was skipped");
    return;
  }
  const std::string kind = child(doc.root, "kind").IsScalar() ? doc.root["kind"].Scalar() : "";
  const auto name =
      scalar_at(doc, child(doc.root, "metadata"), "name", "metadata.name", "a name", out);
  if (!name || name->empty()) {
    add_note(out, Level::warning, doc, doc.root, "metadata.name",
             "expected metadata.name; the " + kind + " was skipped");
    return;
  }
  if (kind == "SLO") {
    read_slo(doc, alpha, *name, out);
  } else if (kind == "Service") {
    ImportedService s;
    s.name = *name;
    s.origin = origin_of(doc, doc.root["metadata"]["name"], "metadata.name");
    out.services.push_back(s);
  } else if (kind == "AlertPolicy") {
    read_policy(doc, doc.root, "AlertPolicy", *name, out);
  } else if (kind == "AlertCondition") {
    ImportedAlertCondition c;
    c.name = *name;
    c.origin = origin_of(doc, doc.root["metadata"]["name"], "metadata.name");
    c.window = burn_condition(doc, child(doc.root, "spec"), "spec", out);
    out.alert_conditions.push_back(c);
  } else if (kind == "DataSource") {
    // Never copy connectionDetails: they can hold credentials.
    add_note(out, Level::note, doc, doc.root, "kind",
             "DataSource '" + *name +
                 "': relsim does not query metrics; not imported "
                 "(its connectionDetails were not read)");
  } else if (kind == "SLI" || kind == "AlertNotificationTarget") {
    add_note(out, Level::note, doc, doc.root, "kind",
             kind + " '" + *name + "': nothing relsim models; not imported");
  } else {
    add_note(out, Level::warning, doc, doc.root, "kind",
             "expected an OpenSLO kind (SLO, Service, AlertPolicy, AlertCondition, SLI, "
             "DataSource), got '" +
                 kind + "'; the document was skipped");
  }
}

}  // namespace relsim::analysis::import
