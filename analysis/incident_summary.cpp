// Incident figures: see analysis/incident_summary.hpp.
#include "analysis/incident_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "analysis/format.hpp"

namespace relsim::analysis {
namespace {

using models::IncidentRow;
using models::kNever;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Seconds from `a` to `b`, or NaN when either did not happen.
double span(sim::Duration a, sim::Duration b) {
  if (a == kNever || b == kNever) return kNaN;
  return (b - a).to_seconds();
}

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

void IncidentSummaryAccumulator::Duration::flush() {
  double sum = 0.0;
  for (const QuantileSketch::Keyed& v : trial) sum += v.value;
  mean.add(sum, trial.size());
  values.add_trial(trial);
  trial.clear();
}

DurationStats IncidentSummaryAccumulator::Duration::stats(double confidence) const {
  DurationStats s;
  s.count = values.count();
  s.mean = s.count > 0 ? mean.positive_interval(confidence) : Interval{kNaN, kNaN, kNaN};
  constexpr double kPs[] = {0.5, 0.9, 0.95};
  const auto q = values.clustered_intervals(kPs, confidence, 0.0);
  s.median = q[0];
  s.p90 = q[1];
  s.p95 = q[2];
  return s;
}

void IncidentSummaryAccumulator::Group::add(const IncidentRow& r, const Parts& d) {
  ++incidents;
  if (r.human_needed) ++human;
  if (r.paged != kNever) ++paged;
  for (std::size_t k = 0; k < 4; ++k) {
    if (!std::isnan(d[k].value)) parts[k].trial.push_back(d[k]);
  }
}

IncidentGroup IncidentSummaryAccumulator::Group::finish(double confidence) const {
  IncidentGroup g;
  g.label = label;
  g.incidents = incidents;
  g.human_needed = human;
  g.paged = paged;
  g.detect = parts[0].stats(confidence);
  g.acknowledge = parts[1].stats(confidence);
  g.mitigate = parts[2].stats(confidence);
  g.resolve = parts[3].stats(confidence);
  return g;
}

IncidentSummaryAccumulator::IncidentSummaryAccumulator(const models::CompiledModel& model,
                                                       double confidence)
    : model_(model), confidence_(confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("confidence must be in (0, 1)");
  }
  totals_.confidence = confidence;
  all_.label = "all";
  sev_.resize(5);
  for (int l = 1; l <= 4; ++l) sev_[static_cast<std::size_t>(l)].label = "SEV-" + std::to_string(l);
  sev_[0].label = "unassessed";
  constexpr int kCauses = 7;
  cause_.resize(kCauses);
  for (int c = 0; c < kCauses; ++c) {
    cause_[static_cast<std::size_t>(c)].label = cause_label(static_cast<models::IncidentCause>(c));
  }
  service_.resize(model.services.size());
  for (std::size_t v = 0; v < model.services.size(); ++v) {
    const auto c = model.services[v].component;
    service_[v].label = c < model.names.components.size() ? model.names.components[c]
                                                          : "service " + std::to_string(v);
  }
  slo_budget_.resize(model.slos.size());
  levels_.resize(5);
  for (std::size_t l = 0; l < levels_.size(); ++l) levels_[l].level = static_cast<int>(l);
  teams_.resize(model.teams.size());
  totals_.teams.assign(model.teams.size(), TeamPages{});
}

void IncidentSummaryAccumulator::add(const models::TrialResult& t) {
  const models::CompiledModel& model = model_;
  IncidentSummary& s = totals_;
  ++s.trials;
  per_trial_.add(static_cast<double>(t.incidents.size()));
  s.incidents += t.incidents.size();
  s.deploys += t.deploys;
  for (std::size_t k = 0; k < slo_budget_.size(); ++k) {
    slo_budget_[k].add(k < t.slos.size() ? t.slos[k].incident_budget_consumed : 0.0);
  }
  std::uint64_t failed = 0;
  // The impact rows are in incident order: walk them alongside.
  std::size_t impact = 0;
  for (const IncidentRow& r : t.incidents) {
    Parts d = {{{span(r.start, r.detected)},
                {span(r.paged, r.acked)},
                {span(r.start, r.mitigated)},
                {span(r.start, r.resolved)}}};
    for (QuantileSketch::Keyed& x : d) {
      if (!std::isnan(x.value)) x.key = QuantileSketch::key_of(x.value);
    }
    while (impact < t.impacts.size() && t.impacts[impact].incident < r.id) ++impact;
    for (; impact < t.impacts.size() && t.impacts[impact].incident == r.id; ++impact) {
      const std::uint32_t c = t.impacts[impact].service;
      if (c < model.components.size() &&
          model.components[c].kind == models::ComponentKind::service) {
        service_[model.components[c].row].add(r, d);
      }
    }
    all_.add(r, d);
    const std::size_t level = r.severity <= 4 ? r.severity : 0;
    sev_[level].add(r, d);
    cause_[static_cast<std::size_t>(r.cause)].add(r, d);
    if (deploy_caused(model, r)) ++failed;
    if ((r.severity == 1 || r.severity == 2) && r.detected != kNever && r.resolved != kNever) {
      // 0 when an alert detected it only after it was resolved.
      const double x = std::max(0.0, span(r.detected, r.resolved));
      dora_.trial.push_back({x, QuantileSketch::key_of(x)});
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
    Level& c = levels_[level];
    ++c.paged;
    ++c.trial_paged;
    if (rule->ack) {
      c.ack_target = true;
      if (r.acked != kNever && r.acked - r.paged <= *rule->ack) ++c.trial_ack;
    } else if (rule->ack_next_business_day) {
      c.ack_target = true;
      sim::Duration target = sim::Duration::max();
      try {
        target = model.calendar.advance_business_time(
            r.paged, model.calendar.business_seconds_per_business_day());
      } catch (const std::invalid_argument&) {
        // No business hours at all: the target cannot be missed.
      }
      if (r.acked != kNever && r.acked <= target) ++c.trial_ack;
    }
    if (rule->respond) {
      c.respond_target = true;
      if (r.responding != kNever && r.responding - r.paged <= *rule->respond) ++c.trial_respond;
    }
  }
  s.failed_deploys += failed;
  change_failure_.add(static_cast<double>(std::min(failed, t.deploys)), t.deploys);
  for (Group* g : {&all_}) {
    for (auto& d : g->parts) d.flush();
  }
  for (auto& g : sev_) {
    for (auto& d : g.parts) d.flush();
  }
  for (auto& g : cause_) {
    for (auto& d : g.parts) d.flush();
  }
  for (auto& g : service_) {
    for (auto& d : g.parts) d.flush();
  }
  dora_.flush();
  for (Level& c : levels_) {
    c.ack_met += c.trial_ack;
    c.respond_met += c.trial_respond;
    c.ack.add(static_cast<double>(c.trial_ack), c.trial_paged);
    c.respond.add(static_cast<double>(c.trial_respond), c.trial_paged);
    c.trial_paged = c.trial_ack = c.trial_respond = 0;
  }
  const std::size_t nt = teams_.size();
  for (std::size_t k = 0; k < nt; ++k) {
    TeamPages& tp = s.teams[k];
    const models::TeamTrialResult tt = k < t.teams.size() ? t.teams[k] : models::TeamTrialResult{};
    tp.pages += tt.pages;
    tp.night += tt.pages_at_night;
    tp.noise += tt.noise_pages;
    tp.tickets += tt.tickets;
    tp.shifts += tt.shifts;
    teams_[k].per_shift.add(tt.shifts > 0.0 ? tt.pages / tt.shifts : 0.0);
    teams_[k].night.add(static_cast<double>(tt.pages_at_night), tt.pages);
    teams_[k].noise.add(static_cast<double>(tt.noise_pages), tt.pages);
  }
}

void add_incident_figures(IncidentSummaryAccumulator& acc, const TrialBlock& block) {
  std::size_t next = 0, impact = 0, cost = 0;
  models::TrialResult t;
  for (const TrialRow& row : block.rows) {
    t.events = row.events;
    t.deploys = row.deploys;
    t.teams.clear();
    for (const TeamTrialRow& x : row.teams) {
      t.teams.push_back({x.pages, x.pages_at_night, x.noise_pages, x.tickets, x.shifts});
    }
    t.slos.resize(row.slos.size());
    for (std::size_t k = 0; k < row.slos.size(); ++k) {
      t.slos[k].incident_budget_consumed = row.slos[k].incident_budget_consumed;
    }
    incidents_of(block, next, row.incidents, impact, cost, t);
    next += row.incidents;
    acc.add(t);
  }
}

IncidentSummary IncidentSummaryAccumulator::finish() const {
  IncidentSummary s = totals_;
  const double confidence = confidence_;
  s.incidents_per_trial = per_trial_.count() > 0 ? count_mean_interval(per_trial_, confidence)
                                                 : Interval{kNaN, kNaN, kNaN};
  s.by_severity.push_back(all_.finish(confidence));
  for (int l = 1; l <= 4; ++l) {
    if (sev_[static_cast<std::size_t>(l)].incidents > 0) {
      s.by_severity.push_back(sev_[static_cast<std::size_t>(l)].finish(confidence));
    }
  }
  if (sev_[0].incidents > 0) s.by_severity.push_back(sev_[0].finish(confidence));
  for (const auto& c : cause_) {
    if (c.incidents > 0) s.by_cause.push_back(c.finish(confidence));
  }
  for (const auto& v : service_) {
    if (v.incidents > 0) s.by_service.push_back(v.finish(confidence));
  }
  for (const MeanAccumulator& b : slo_budget_) {
    s.slo_incident_budget.push_back(b.count() > 0 ? log_scale_mean_interval(b, confidence)
                                                  : Interval{kNaN, kNaN, kNaN});
  }
  for (std::size_t l = 1; l <= 4; ++l) {
    const Level& c = levels_[l];
    if (c.paged == 0) continue;
    SevCompliance out;
    out.level = c.level;
    out.paged = c.paged;
    out.ack_target = c.ack_target;
    out.ack_met = c.ack_met;
    out.respond_target = c.respond_target;
    out.respond_met = c.respond_met;
    out.ack = c.ack.proportion_interval(confidence);
    out.respond = c.respond.proportion_interval(confidence);
    s.compliance.push_back(out);
  }
  s.change_failure_rate =
      s.deploys > 0 ? change_failure_.proportion_interval(confidence) : Interval{kNaN, kNaN, kNaN};
  s.dora_mttr = dora_.stats(confidence);
  for (std::size_t k = 0; k < teams_.size(); ++k) {
    TeamPages& tp = s.teams[k];
    tp.pages_per_shift = teams_[k].per_shift.count() > 0
                             ? log_scale_mean_interval(teams_[k].per_shift, confidence)
                             : Interval{kNaN, kNaN, kNaN};
    tp.night_fraction = teams_[k].night.proportion_interval(confidence);
    tp.noise_fraction = teams_[k].noise.proportion_interval(confidence);
  }
  return s;
}

IncidentSummary summarize_incidents(const models::CompiledModel& model,
                                    const std::vector<models::TrialResult>& results,
                                    double confidence) {
  IncidentSummaryAccumulator acc(model, confidence);
  for (const models::TrialResult& t : results) acc.add(t);
  return acc.finish();
}

// ---------------------------------------------------------------- text

namespace {

using analysis::printf_text;

/// Seconds as `42.0 s`, `12.3 min` or `4.56 h`.
std::string human(double seconds) { return seconds_in_unit(seconds); }

/// `n/a (n = 3)`: an interval left out below the minimum n (docs/results.md).
std::string too_few(std::uint64_t n) { return "n/a (n = " + std::to_string(n) + ")"; }

std::string range(double low, double high, std::uint64_t n) {
  if (std::isnan(low) || std::isnan(high)) return too_few(n);
  std::string out(1, '[');  // appended piece by piece (GCC 12 misreads "[" + string: -Wrestrict)
  out += human(low);
  out += ", ";
  out += human(high);
  out += ']';
  return out;
}

std::string percent(const Interval& iv, std::uint64_t n) {
  if (std::isnan(iv.estimate)) return "n/a";
  if (std::isnan(iv.low) || std::isnan(iv.high)) {
    return printf_text("%.1f %%", iv.estimate * 100.0) + " " + too_few(n);
  }
  return printf_text("%.1f %%", iv.estimate * 100.0) + " [" + printf_text("%.1f", iv.low * 100.0) +
         ", " + printf_text("%.1f", iv.high * 100.0) + "]";
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
  out += "mean " + human(d.mean.estimate) + " " + range(d.mean.low, d.mean.high, d.count) +
         ", median " + human(d.median.estimate) + ", p90 " + human(d.p90.estimate) + ", p95 " +
         human(d.p95.estimate) + " " + range(d.p95.low, d.p95.high, d.count) + "\n";
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
  if (!s.by_service.empty()) {
    out += "by service (an incident counts for every service it impaired, with its own times)\n";
    for (const auto& g : s.by_service) group(out, g);
  }
  if (!s.compliance.empty()) {
    out += "SEV target compliance (paged incidents)\n";
    for (const auto& c : s.compliance) {
      out += "  SEV-" + std::to_string(c.level) + ": " + std::to_string(c.paged) + " paged; ack " +
             (c.ack_target ? percent(c.ack, c.paged) : std::string("no target")) + "; response " +
             (c.respond_target ? percent(c.respond, c.paged) : std::string("no target")) + "\n";
    }
  }
  out += "DORA: change failure rate " + percent(s.change_failure_rate, s.deploys) + " (" +
         std::to_string(s.failed_deploys) + " of " + std::to_string(s.deploys) +
         " deploys); MTTR (SEV-1/2, detected → resolved) ";
  if (s.dora_mttr.count > 0) {
    out += human(s.dora_mttr.mean.estimate) + " " +
           range(s.dora_mttr.mean.low, s.dora_mttr.mean.high, s.dora_mttr.count) + ", median " +
           human(s.dora_mttr.median.estimate) + "\n";
  } else {
    out += "n/a\n";
  }
}

std::string format_incident_extras(const IncidentSummary& s) {
  if (s.incidents == 0) return {};
  std::string out =
      "\nincidents by cause (resolve, detect, acknowledge, mitigate: mean [interval by trial], "
      "quantiles, p95 [Woodruff interval by trial])\n";
  cause_compliance_dora(out, s);
  return out;
}

std::string format_incident_extras(const models::CompiledModel& model, const IncidentSummary& s) {
  std::string out = format_incident_extras(s);
  if (out.empty() || s.slo_incident_budget.empty()) return out;
  out +=
      "budget by incident (per SLO, the budget its incidents consumed per trial: the sum of "
      "the incidents' shares; the rest is the SLO's baseline)\n";
  for (std::size_t k = 0; k < s.slo_incident_budget.size(); ++k) {
    const Interval& b = s.slo_incident_budget[k];
    const std::string name =
        k < model.names.slos.size() ? model.names.slos[k] : "SLO " + std::to_string(k);
    out += "  " + name + ": " + printf_text("%.3g %%", b.estimate * 100.0);
    if (!std::isnan(b.low) && !std::isnan(b.high)) {
      out += printf_text(" [%.3g, ", b.low * 100.0) + printf_text("%.3g]", b.high * 100.0);
    }
    out += "\n";
  }
  return out;
}

std::string format_incidents(const models::CompiledModel& model, const IncidentSummary& s) {
  std::string out = "\nIncidents: " + std::to_string(s.incidents) + " in " +
                    std::to_string(s.trials) + " trials, " +
                    printf_text("%.3g", s.incidents_per_trial.estimate) + " per trial " +
                    printf_text("[%.3g, ", s.incidents_per_trial.low) +
                    printf_text("%.3g]", s.incidents_per_trial.high) +
                    "; MTTR parts: detect = detected − start, acknowledge = acked − paged,\n"
                    "  mitigate = mitigated − start, resolve = resolved − start "
                    "(mean [interval by trial], quantiles, p95 [Woodruff interval by trial])\n";
  if (s.incidents == 0) return out;
  out += "by severity\n";
  for (const auto& g : s.by_severity) group(out, g);
  cause_compliance_dora(out, s);
  for (std::size_t k = 0; k < s.teams.size(); ++k) {
    const TeamPages& t = s.teams[k];
    out += "team " + model.names.teams[k] + ": " + printf_text("%.3g", t.pages_per_shift.estimate) +
           " pages per shift " + printf_text("[%.3g, ", t.pages_per_shift.low) +
           printf_text("%.3g]", t.pages_per_shift.high) + ", at night " +
           percent(t.night_fraction, t.pages) + ", noise " + percent(t.noise_fraction, t.pages) +
           ", " + std::to_string(t.tickets) + " tickets\n";
  }
  return out;
}

}  // namespace relsim::analysis
