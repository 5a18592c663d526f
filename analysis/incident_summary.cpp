// Incident figures: see analysis/incident_summary.hpp.
#include "analysis/incident_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace relsim::analysis {
namespace {

using models::IncidentRow;
using models::kNever;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

DurationStats stats(std::vector<double>& values, double confidence) {
  DurationStats s;
  s.count = values.size();
  MeanAccumulator acc;
  for (const double v : values) acc.add(v);
  s.mean = acc.count() > 0 ? acc.interval(confidence) : Interval{kNaN, kNaN, kNaN};
  std::sort(values.begin(), values.end());
  s.median = quantile_interval(values, 0.5, confidence);
  s.p90 = quantile_interval(values, 0.9, confidence);
  s.p95 = quantile_interval(values, 0.95, confidence);
  return s;
}

/// Seconds from `a` to `b`, or NaN when either did not happen.
double span(sim::Duration a, sim::Duration b) {
  if (a == kNever || b == kNever) return kNaN;
  return (b - a).to_seconds();
}

struct GroupBuilder {
  std::string label;
  std::uint64_t incidents = 0, human = 0, paged = 0;
  std::vector<double> detect, acknowledge, mitigate, resolve;
  void add(const IncidentRow& r) {
    ++incidents;
    if (r.human_needed) ++human;
    if (r.paged != kNever) ++paged;
    auto push = [](std::vector<double>& v, double x) {
      if (!std::isnan(x)) v.push_back(x);
    };
    push(detect, span(r.start, r.detected));
    push(acknowledge, span(r.paged, r.acked));
    push(mitigate, span(r.start, r.mitigated));
    push(resolve, span(r.start, r.resolved));
  }
  IncidentGroup finish(double confidence) {
    IncidentGroup g;
    g.label = label;
    g.incidents = incidents;
    g.human_needed = human;
    g.paged = paged;
    g.detect = stats(detect, confidence);
    g.acknowledge = stats(acknowledge, confidence);
    g.mitigate = stats(mitigate, confidence);
    g.resolve = stats(resolve, confidence);
    return g;
  }
};

bool deploy_caused(const models::CompiledModel& m, const IncidentRow& r) {
  if (r.cause == models::IncidentCause::bad_deploy) return true;
  return r.cause == models::IncidentCause::injected_fault && r.cause_index < m.faults.size() &&
         m.faults[r.cause_index].kind == models::FaultKind::bad_deploy;
}

}  // namespace

const char* cause_label(models::IncidentCause cause) {
  switch (cause) {
    case models::IncidentCause::replica_crash:
      return "replica crash";
    case models::IncidentCause::zone_outage:
      return "zone outage";
    case models::IncidentCause::datastore_failure:
      return "datastore failure";
    case models::IncidentCause::cache_failure:
      return "cache failure";
    case models::IncidentCause::bad_deploy:
      return "bad deploy";
    case models::IncidentCause::injected_fault:
      return "injected fault";
    case models::IncidentCause::overload:
      return "overload";
  }
  return "?";
}

IncidentSummary summarize_incidents(const models::CompiledModel& model,
                                    const std::vector<models::TrialResult>& results,
                                    double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("confidence must be in (0, 1)");
  }
  IncidentSummary s;
  s.confidence = confidence;
  s.trials = results.size();
  constexpr int kCauses = 7;
  GroupBuilder all;
  all.label = "all";
  std::vector<GroupBuilder> sev(5);  // index 0: unassessed
  for (int l = 1; l <= 4; ++l) sev[static_cast<std::size_t>(l)].label = "SEV-" + std::to_string(l);
  sev[0].label = "unassessed";
  std::vector<GroupBuilder> cause(kCauses);
  for (int c = 0; c < kCauses; ++c) {
    cause[static_cast<std::size_t>(c)].label = cause_label(static_cast<models::IncidentCause>(c));
  }
  std::vector<SevCompliance> comp(5);
  std::vector<double> dora;
  MeanAccumulator per_trial;
  const std::size_t nt = model.teams.size();
  s.teams.assign(nt, TeamPages{});
  std::vector<MeanAccumulator> per_shift(nt);

  for (const models::TrialResult& t : results) {
    per_trial.add(static_cast<double>(t.incidents.size()));
    s.incidents += t.incidents.size();
    s.deploys += t.deploys;
    for (const IncidentRow& r : t.incidents) {
      all.add(r);
      const std::size_t level = r.severity <= 4 ? r.severity : 0;
      sev[level].add(r);
      cause[static_cast<std::size_t>(r.cause)].add(r);
      if (deploy_caused(model, r)) ++s.failed_deploys;
      if ((r.severity == 1 || r.severity == 2) && r.detected != kNever && r.resolved != kNever) {
        // 0 when an alert detected it only after it was resolved.
        dora.push_back(std::max(0.0, span(r.detected, r.resolved)));
      }
      // A page cancelled because its alerts cleared before anyone acknowledged
      // it (noise) had nobody to answer: it counts neither way.
      if (level == 0 || r.paged == kNever) continue;
      if (r.acked == kNever && r.mitigated != kNever) continue;
      // Targets of the first rule of this level.
      const auto rule =
          std::find_if(model.severity.begin(), model.severity.end(),
                       [&](const models::SeverityRow& x) { return x.level == r.severity; });
      if (rule == model.severity.end()) continue;
      SevCompliance& c = comp[level];
      c.level = static_cast<int>(level);
      ++c.paged;
      if (rule->ack) {
        c.ack_target = true;
        if (r.acked != kNever && r.acked - r.paged <= *rule->ack) ++c.ack_met;
      } else if (rule->ack_next_business_day) {
        c.ack_target = true;
        sim::Duration target = sim::Duration::max();
        try {
          target = model.calendar.advance_business_time(
              r.paged, model.calendar.business_seconds_per_business_day());
        } catch (const std::invalid_argument&) {
          // No business hours at all: the target cannot be missed.
        }
        if (r.acked != kNever && r.acked <= target) ++c.ack_met;
      }
      if (rule->respond) {
        c.respond_target = true;
        if (r.responding != kNever && r.responding - r.paged <= *rule->respond) ++c.respond_met;
      }
    }
    for (std::size_t k = 0; k < nt && k < t.teams.size(); ++k) {
      const models::TeamTrialResult& tt = t.teams[k];
      TeamPages& tp = s.teams[k];
      tp.pages += tt.pages;
      tp.night += tt.pages_at_night;
      tp.noise += tt.noise_pages;
      tp.tickets += tt.tickets;
      tp.shifts += tt.shifts;
      per_shift[k].add(tt.shifts > 0.0 ? tt.pages / tt.shifts : 0.0);
    }
  }
  s.incidents_per_trial =
      per_trial.count() > 0 ? per_trial.interval(confidence) : Interval{kNaN, kNaN, kNaN};
  s.by_severity.push_back(all.finish(confidence));
  for (int l = 1; l <= 4; ++l) {
    if (sev[static_cast<std::size_t>(l)].incidents > 0) {
      s.by_severity.push_back(sev[static_cast<std::size_t>(l)].finish(confidence));
    }
  }
  if (sev[0].incidents > 0) s.by_severity.push_back(sev[0].finish(confidence));
  for (auto& c : cause) {
    if (c.incidents > 0) s.by_cause.push_back(c.finish(confidence));
  }
  for (std::size_t l = 1; l <= 4; ++l) {
    SevCompliance& c = comp[l];
    if (c.paged == 0) continue;
    c.ack = wilson_interval(c.ack_met, c.paged, confidence);
    c.respond = wilson_interval(c.respond_met, c.paged, confidence);
    s.compliance.push_back(c);
  }
  s.change_failure_rate =
      s.deploys > 0 ? wilson_interval(std::min(s.failed_deploys, s.deploys), s.deploys, confidence)
                    : Interval{kNaN, kNaN, kNaN};
  s.dora_mttr = stats(dora, confidence);
  for (std::size_t k = 0; k < nt; ++k) {
    TeamPages& tp = s.teams[k];
    tp.pages_per_shift =
        per_shift[k].count() > 0 ? per_shift[k].interval(confidence) : Interval{kNaN, kNaN, kNaN};
    tp.night_fraction = wilson_interval(tp.night, tp.pages, confidence);
    tp.noise_fraction = wilson_interval(tp.noise, tp.pages, confidence);
  }
  return s;
}

// ---------------------------------------------------------------- text

namespace {

std::string fmt(const char* f, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, a);
  return buf;
}

/// Seconds as `42.0 s`, `12.3 min` or `4.56 h`.
std::string human(double seconds) {
  if (std::isnan(seconds)) return "n/a";
  if (std::isinf(seconds)) return seconds > 0 ? "inf" : "-inf";
  if (std::abs(seconds) < 120.0) return fmt("%.1f s", seconds);
  if (std::abs(seconds) < 3.0 * 3600.0) return fmt("%.1f min", seconds / 60.0);
  return fmt("%.2f h", seconds / 3600.0);
}

std::string range(double low, double high) {
  std::string out(1, '[');  // appended piece by piece (GCC 12 misreads "[" + string: -Wrestrict)
  out += human(low);
  out += ", ";
  out += human(high);
  out += ']';
  return out;
}

std::string percent(const Interval& iv) {
  if (std::isnan(iv.estimate)) return "n/a";
  return fmt("%.1f %%", iv.estimate * 100.0) + " [" + fmt("%.1f", iv.low * 100.0) + ", " +
         fmt("%.1f", iv.high * 100.0) + "]";
}

void part(std::string& out, const char* name, const DurationStats& d) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "    %-12s n=%-7llu ", name,
                static_cast<unsigned long long>(d.count));
  out += buf;
  if (d.count == 0) {
    out += "-\n";
    return;
  }
  out += "mean " + human(d.mean.estimate) + " " + range(d.mean.low, d.mean.high) + ", median " +
         human(d.median.estimate) + ", p90 " + human(d.p90.estimate) + ", p95 " +
         human(d.p95.estimate) + " " + range(d.p95.low, d.p95.high) + "\n";
}

void group(std::string& out, const IncidentGroup& g) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %s: %llu incidents, %llu paged, %llu needed a human\n",
                g.label.c_str(), static_cast<unsigned long long>(g.incidents),
                static_cast<unsigned long long>(g.paged),
                static_cast<unsigned long long>(g.human_needed));
  out += buf;
  part(out, "detect", g.detect);
  part(out, "acknowledge", g.acknowledge);
  part(out, "mitigate", g.mitigate);
  part(out, "resolve", g.resolve);
}

}  // namespace

/// By cause, SEV compliance and DORA: the lines both formats share.
void cause_compliance_dora(std::string& out, const IncidentSummary& s) {
  out += "by cause\n";
  for (const auto& g : s.by_cause) group(out, g);
  if (!s.compliance.empty()) {
    out += "SEV target compliance (paged incidents)\n";
    for (const auto& c : s.compliance) {
      out += "  SEV-" + std::to_string(c.level) + ": " + std::to_string(c.paged) + " paged; ack " +
             (c.ack_target ? percent(c.ack) : std::string("no target")) + "; response " +
             (c.respond_target ? percent(c.respond) : std::string("no target")) + "\n";
    }
  }
  out += "DORA: change failure rate " + percent(s.change_failure_rate) + " (" +
         std::to_string(s.failed_deploys) + " of " + std::to_string(s.deploys) +
         " deploys); MTTR (SEV-1/2, detected → resolved) ";
  if (s.dora_mttr.count > 0) {
    out += human(s.dora_mttr.mean.estimate) + " " +
           range(s.dora_mttr.mean.low, s.dora_mttr.mean.high) + ", median " +
           human(s.dora_mttr.median.estimate) + "\n";
  } else {
    out += "n/a\n";
  }
}

std::string format_incident_extras(const IncidentSummary& s) {
  if (s.incidents == 0) return {};
  std::string out =
      "\nincidents by cause (resolve, detect, acknowledge, mitigate: mean [t interval], "
      "quantiles, p95 [order-statistic interval])\n";
  cause_compliance_dora(out, s);
  return out;
}

std::string format_incidents(const models::CompiledModel& model, const IncidentSummary& s) {
  std::string out =
      "\nIncidents: " + std::to_string(s.incidents) + " in " + std::to_string(s.trials) +
      " trials, " + fmt("%.3g", s.incidents_per_trial.estimate) + " per trial " +
      fmt("[%.3g, ", s.incidents_per_trial.low) + fmt("%.3g]", s.incidents_per_trial.high) +
      "; MTTR parts: detect = detected − start, acknowledge = acked − paged,\n"
      "  mitigate = mitigated − start, resolve = resolved − start "
      "(mean [t interval], quantiles, p95 [order-statistic interval])\n";
  if (s.incidents == 0) return out;
  out += "by severity\n";
  for (const auto& g : s.by_severity) group(out, g);
  cause_compliance_dora(out, s);
  for (std::size_t k = 0; k < s.teams.size(); ++k) {
    const TeamPages& t = s.teams[k];
    out += "team " + model.names.teams[k] + ": " + fmt("%.3g", t.pages_per_shift.estimate) +
           " pages per shift " + fmt("[%.3g, ", t.pages_per_shift.low) +
           fmt("%.3g]", t.pages_per_shift.high) + ", at night " + percent(t.night_fraction) +
           ", noise " + percent(t.noise_fraction) + ", " + std::to_string(t.tickets) + " tickets\n";
  }
  return out;
}

}  // namespace relsim::analysis
