// The alert design lab: one run per rule set on common random numbers, and
// the workbook's four attributes per set (see alert_lab.hpp).
#include "analysis/alert_lab.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include "analysis/incident_summary.hpp"
#include "models/compiled_model.hpp"
#include "models/fluid.hpp"
#include "models/trial_observer.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace relsim::analysis {

namespace {

using models::IncidentRow;
using models::Index;
using models::kNever;
using sim::Duration;

/// An incident's attribution window after its resolution (the engine's:
/// docs/model.md, "Incidents").
constexpr Duration kLateAlert = Duration::hours(1);

/// What the observer records of one trial: the target SLO's cumulative
/// requests at every accounted instant, and every firing of a rule.
class LabObserver final : public models::TrialObserver {
 public:
  LabObserver(const models::CompiledModel& m, Index slo) : m_(m), slo_(m.slos[slo]) {}

  struct Point {
    std::int64_t t;  // µs
    double n;
    double b;
  };
  struct Episode {
    bool page;
    Duration fire;
    Duration clear;  // kNever: still firing at the horizon
  };

  void clear() {
    points_.clear();
    points_.push_back({0, 0.0, 0.0});
    episodes_.clear();
    open_.clear();
    first_fraction_ = -1.0;
  }

  void on_interval(Duration t0, Duration t1, const models::FluidState& state,
                   const models::FluidResult& a, const models::FluidResult& mid,
                   const models::FluidResult& b) override {
    const Index c = slo_.component;
    const double dt = (t1 - t0).to_seconds();
    const double fa = bad(state, a), fm = bad(state, mid), fb = bad(state, b);
    if (first_fraction_ < 0.0) first_fraction_ = fa;
    const double n = (a.load[c] + 4.0 * mid.load[c] + b.load[c]) / 6.0 * dt;
    const double bad_n = (a.load[c] * fa + 4.0 * mid.load[c] * fm + b.load[c] * fb) / 6.0 * dt;
    const Point& last = points_.back();
    points_.push_back({t1.count_micros(), last.n + n, last.b + bad_n});
  }
  void on_change(Duration, const models::FluidState&, const models::FluidResult&) override {}
  void on_alert(Duration t, Index alert, bool page) override {
    open_.push_back({alert, page, episodes_.size()});
    episodes_.push_back({page, t, kNever});
  }
  void on_alert_resolved(Duration t, Index alert, bool page) override {
    for (std::size_t k = 0; k < open_.size(); ++k) {
      if (open_[k].alert == alert && open_[k].page == page) {
        episodes_[open_[k].episode].clear = t;
        open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(k));
        return;
      }
    }
  }

  /// Cumulative (requests, bad requests) at `t`, linear between points.
  std::pair<double, double> at(Duration t) const {
    const std::int64_t x = t.count_micros();
    auto it = std::upper_bound(points_.begin(), points_.end(), x,
                               [](std::int64_t v, const Point& p) { return v < p.t; });
    if (it == points_.end()) return {points_.back().n, points_.back().b};
    if (it == points_.begin()) return {0.0, 0.0};
    const Point& hi = *it;
    const Point& lo = *(it - 1);
    const double w =
        hi.t == lo.t ? 1.0 : static_cast<double>(x - lo.t) / static_cast<double>(hi.t - lo.t);
    return {lo.n + w * (hi.n - lo.n), lo.b + w * (hi.b - lo.b)};
  }
  const std::vector<Episode>& episodes() const { return episodes_; }
  double first_fraction() const { return std::max(0.0, first_fraction_); }
  double total() const { return points_.back().n; }

 private:
  double bad(const models::FluidState& state, const models::FluidResult& r) const {
    const Index c = slo_.component;
    double f = 1.0 - r.success[c];
    if (slo_.sli == models::SliKind::latency && slo_.threshold) {
      f = 1.0 - models::latency_good_fraction(m_, state, r, c, slo_.threshold->to_seconds());
    }
    return std::clamp(f, 0.0, 1.0);
  }
  struct Open {
    Index alert;
    bool page;
    std::size_t episode;
  };
  const models::CompiledModel& m_;
  const models::SloRow& slo_;
  std::vector<Point> points_;
  std::vector<Episode> episodes_;
  std::vector<Open> open_;
  double first_fraction_ = -1.0;
};

struct LabIncident {
  models::IncidentCause cause = models::IncidentCause::replica_crash;
  std::uint8_t severity = 0;
  bool significant = false;
  bool detected = false;
  double ttd_minutes = 0.0;
  double budget_before_detection = 0.0;
  bool paged_in_time = false;
};

struct LabTrial {
  double pages = 0, tickets = 0, night_pages = 0, noise_pages = 0, shifts = 0;
  double firings = 0, significant_firings = 0;
  double significant = 0, recalled = 0;
  double budget_consumed = 0;
  double requests = 0, seconds = 0, first_fraction = 0;
  std::vector<LabIncident> incidents;  // of the SLO
  std::vector<double> resets;          // minutes
};

/// One trial's figures from the engine's result and the observer's record.
LabTrial summarize(const models::CompiledModel& m, Index k, Index paged_team,
                   std::optional<std::size_t> exhausted_tier, double significant_share,
                   const models::TrialResult& r, const LabObserver& obs) {
  LabTrial out;
  const models::SloRow& slo = m.slos[k];
  const double budget = (1.0 - slo.objective) * r.slos[k].total;
  out.budget_consumed = r.slos[k].budget_consumed;
  out.requests = obs.total();
  out.seconds = m.horizon.to_seconds();
  out.first_fraction = obs.first_fraction();
  for (Index t = 0; t < r.teams.size(); ++t) {
    out.pages += r.teams[t].pages;
    out.tickets += r.teams[t].tickets;
    out.night_pages += r.teams[t].pages_at_night;
    out.noise_pages += r.teams[t].noise_pages;
  }
  out.shifts = paged_team != models::kNoIndex ? r.teams[paged_team].shifts
                                              : m.horizon.to_seconds() / (7.0 * 86'400.0);
  const double base = obs.first_fraction();
  const auto spent = [&](Duration from, Duration to) {
    const auto [n0, b0] = obs.at(from);
    const auto [n1, b1] = obs.at(to);
    return std::pair<double, double>{b1 - b0, (b1 - b0) - base * (n1 - n0)};
  };
  std::vector<char> significant(r.incidents.size(), 0);
  std::vector<char> of_slo(r.incidents.size(), 0);
  for (std::size_t i = 0; i < r.incidents.size(); ++i) {
    const IncidentRow& inc = r.incidents[i];
    const Duration end = inc.mitigated == kNever ? m.horizon : inc.mitigated;
    const auto [bad, excess] = spent(inc.start, end);
    if (!(budget > 0.0) || excess < 1e-6 * budget) continue;
    of_slo[i] = 1;
    LabIncident li;
    li.cause = inc.cause;
    li.severity = inc.severity;
    bool exhausted = false;
    if (exhausted_tier && *exhausted_tier < r.slos[k].tier_reached.size()) {
      const auto& at = r.slos[k].tier_reached[*exhausted_tier];
      exhausted = at && *at >= inc.start && *at <= end;
    }
    li.significant = bad / budget >= significant_share || exhausted;
    significant[i] = li.significant ? 1 : 0;
    li.detected = inc.detected != kNever;
    if (li.detected) {
      li.ttd_minutes = (inc.detected - inc.start).to_seconds() / 60.0;
      li.budget_before_detection = spent(inc.start, std::min(inc.detected, end)).first / budget;
    }
    li.paged_in_time =
        inc.paged != kNever && (inc.mitigated == kNever || inc.paged <= inc.mitigated);
    if (li.significant) {
      out.significant += 1;
      if (li.paged_in_time) out.recalled += 1;
    }
    out.incidents.push_back(li);
  }
  // Page firings, attributed as the engine attributes an alert: to the
  // service's last incident that started before it and was not resolved
  // more than an hour earlier.
  for (const LabObserver::Episode& e : obs.episodes()) {
    if (!e.page) continue;
    out.firings += 1;
    std::size_t found = r.incidents.size();
    for (std::size_t i = r.incidents.size(); i-- > 0;) {
      const IncidentRow& inc = r.incidents[i];
      if (!of_slo[i] || inc.start > e.fire) continue;
      if (inc.resolved == kNever || e.fire <= inc.resolved + kLateAlert) found = i;
      break;
    }
    if (found == r.incidents.size()) continue;
    if (significant[found]) out.significant_firings += 1;
    const IncidentRow& inc = r.incidents[found];
    if (inc.mitigated != kNever && e.clear != kNever) {
      out.resets.push_back(std::max(0.0, (e.clear - inc.mitigated).to_seconds()) / 60.0);
    }
  }
  return out;
}

LabFigure mean_figure(const MeanAccumulator& acc, double confidence) {
  LabFigure f;
  f.n = acc.count();
  if (acc.count() == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    f.value = {nan, nan, nan};
  } else {
    f.value = acc.interval(confidence);
  }
  return f;
}

std::string severity_label(std::uint8_t level) {
  return level == 0 ? std::string("none") : "SEV-" + std::to_string(level);
}

/// The rule set's alerts with the windows that can never fire on `slo`
/// left out (and said so in `notes`).
std::vector<models::Alert> firing_alerts(const RuleSet& set, const models::Slo& slo,
                                         std::vector<std::string>& notes) {
  std::vector<models::Alert> out;
  for (models::Alert a : set.alerts) {
    std::vector<models::BurnWindow> kept;
    for (const models::BurnWindow& w : a.burn_windows) {
      const RulePair p{std::nullopt,   w.factor,       w.long_window,
                       w.short_window, a.for_duration, a.evaluation_interval,
                       a.name};
      if (auto why = never_fires(p, slo.objective)) {
        notes.push_back(a.name + ": " + *why + "; left out");
      } else {
        kept.push_back(w);
      }
    }
    if (a.kind == models::AlertKind::burn_rate && kept.empty()) continue;
    a.burn_windows = std::move(kept);
    out.push_back(std::move(a));
  }
  return out;
}

struct LabWorker {
  std::unique_ptr<models::World> world;
  std::unique_ptr<LabObserver> observer;
  const models::CompiledModel* model;
  Index slo;
  Index paged_team;
  std::optional<std::size_t> exhausted;
  double share;
  LabTrial operator()(std::uint64_t, std::uint64_t seed) {
    observer->clear();
    const models::TrialResult r = world->run(seed);
    return summarize(*model, slo, paged_team, exhausted, share, r, *observer);
  }
};

}  // namespace

LabFigure ratio_figure(const std::vector<double>& num, const std::vector<double>& den,
                       double confidence) {
  LabFigure f;
  double sn = 0.0, sd = 0.0;
  for (std::size_t i = 0; i < num.size(); ++i) {
    sn += num[i];
    sd += den[i];
  }
  f.n = static_cast<std::uint64_t>(std::llround(sd));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!(sd > 0.0)) {
    f.value = {nan, nan, nan};
    return f;
  }
  const double r = sn / sd;
  const double n = static_cast<double>(num.size());
  double ss = 0.0;
  for (std::size_t i = 0; i < num.size(); ++i) {
    const double d = num[i] - r * den[i];
    ss += d * d;
  }
  const double mean_den = sd / n;
  double half = std::numeric_limits<double>::infinity();
  if (num.size() > 1) {
    const double se = std::sqrt(ss / (n * (n - 1.0))) / mean_den;
    half = student_t_quantile(0.5 + confidence / 2.0, n - 1.0) * se;
  }
  f.value = {r, std::max(0.0, r - half), std::min(1.0, r + half)};
  return f;
}

std::vector<RuleSet> system_rule_sets(const models::System& system, const models::Slo& slo,
                                      std::vector<std::string>& others) {
  std::vector<models::Alert> watching;
  for (models::Alert a : system.alerts) {
    const bool watches = a.kind == models::AlertKind::burn_rate
                             ? a.slo.name == slo.name
                             : a.service.name == slo.service.name;
    if (!watches) {
      others.push_back(a.name);
      continue;
    }
    if (a.kind == models::AlertKind::burn_rate && a.burn_windows.empty()) {
      a.burn_windows = models::sre_workbook_burn_windows();
    }
    watching.push_back(std::move(a));
  }
  std::vector<RuleSet> out;
  for (const models::Alert& a : watching) {
    out.push_back({"system:" + a.name, "alert '" + a.name + "' of system " + system.name, {a}});
  }
  if (watching.size() >= 2) {
    out.push_back({"system",
                   "the " + std::to_string(watching.size()) + " alerts of system " + system.name +
                       " on SLO " + slo.name + " together",
                   watching});
  }
  return out;
}

std::size_t target_slo(const models::System& system, const std::string& slo) {
  if (system.slos.empty()) {
    throw std::invalid_argument("system '" + system.name +
                                "' has no SLO: the alert lab judges rules on an SLO");
  }
  if (slo.empty()) return 0;
  std::string names;
  for (std::size_t k = 0; k < system.slos.size(); ++k) {
    if (system.slos[k].name == slo) return k;
    names += (k ? ", " : "") + system.slos[k].name;
  }
  throw std::invalid_argument("--slo: unknown SLO '" + slo + "'; SLOs: " + names);
}

AlertLabResult run_alert_lab(const models::ResolvedScenario& base, const std::vector<RuleSet>& sets,
                             const AlertLabConfig& config) {
  if (!(config.significant_share > 0.0 && config.significant_share <= 1.0)) {
    throw std::invalid_argument("--significant must be a budget share in (0, 100 %]");
  }
  const std::size_t slo_index = target_slo(base.system, config.slo);
  const models::Slo& slo = base.system.slos[slo_index];
  AlertLabResult out;
  out.slo = slo.name;
  out.objective = slo.objective;
  out.confidence = config.confidence;
  out.significant_share = config.significant_share;
  for (const RuleSet& set : sets) {
    RuleSetResult res;
    res.name = set.name;
    res.description = set.description;
    models::System system = base.system;
    models::apply_alert_rules(system, firing_alerts(set, slo, res.notes));
    const models::CompiledModel m = models::compile(system, base.scenario);
    out.system = m.names.system;
    out.scenario = m.names.scenario;
    out.horizon = m.horizon;
    out.slo_window = m.slos[slo_index].window;
    out.trials = config.trials > 0 ? config.trials : static_cast<std::uint64_t>(m.trials);
    out.seed = config.has_seed ? config.seed : m.seed;
    if (out.trials < 2) throw std::invalid_argument("the alert lab needs at least 2 trials");
    const Index k = static_cast<Index>(slo_index);
    const Index owner = m.alerts.empty() ? models::kNoIndex : m.alerts.front().team;
    std::optional<std::size_t> exhausted;
    for (std::size_t t = 0; t < m.budget_policy.size(); ++t) {
      if (!m.budget_policy[t].remaining_above) exhausted = t;
    }
    sim::RunnerOptions ro;
    ro.master_seed = out.seed;
    ro.trials = out.trials;
    ro.threads = config.threads;
    ro.only_trial = config.only_trial;
    if (config.only_trial && *config.only_trial >= out.trials) {
      throw std::invalid_argument("--trial-index " + std::to_string(*config.only_trial) +
                                  " is not below the trial count " + std::to_string(out.trials));
    }
    const auto results = sim::run_trials<LabTrial>(ro, [&]() {
      LabWorker w{std::make_unique<models::World>(m),
                  std::make_unique<LabObserver>(m, k),
                  &m,
                  k,
                  owner,
                  exhausted,
                  config.significant_share};
      w.world->set_observer(w.observer.get());
      return w;
    });
    out.first_trial = results.first_trial;
    out.trials_run = results.results.size();
    MeanAccumulator pages, tickets, night, noise, budget, ttd, before, reset, requests, first;
    std::vector<double> prec_num, prec_den, rec_num, rec_den;
    std::vector<std::pair<std::string, MeanAccumulator>> by_cause, by_sev;
    std::vector<std::pair<std::string, std::uint64_t>> cause_n, sev_n;
    const auto group = [](auto& groups, auto& counts, const std::string& label,
                          const LabIncident& i) {
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const auto& g) { return g.first == label; });
      if (it == groups.end()) {
        groups.push_back({label, MeanAccumulator{}});
        counts.push_back({label, 0});
        it = groups.end() - 1;
      }
      counts[static_cast<std::size_t>(it - groups.begin())].second += 1;
      if (i.detected) it->second.add(i.ttd_minutes);
    };
    for (const LabTrial& t : results.results) {
      const double nights = out.horizon.to_seconds() / 86'400.0;
      pages.add(t.shifts > 0 ? t.pages / t.shifts : 0.0);
      tickets.add(t.shifts > 0 ? t.tickets / t.shifts : 0.0);
      noise.add(t.shifts > 0 ? t.noise_pages / t.shifts : 0.0);
      night.add(t.night_pages / nights);
      budget.add(t.budget_consumed);
      requests.add(t.requests / t.seconds);
      first.add(t.first_fraction);
      prec_num.push_back(t.significant_firings);
      prec_den.push_back(t.firings);
      rec_num.push_back(t.recalled);
      rec_den.push_back(t.significant);
      res.trial_pages.push_back(t.pages);
      res.trial_precision_num.push_back(t.significant_firings);
      res.trial_firings.push_back(t.firings);
      res.page_firings += static_cast<std::uint64_t>(t.firings);
      res.significant_incidents += static_cast<std::uint64_t>(t.significant);
      for (const LabIncident& i : t.incidents) {
        ++res.incidents;
        if (i.detected) {
          ttd.add(i.ttd_minutes);
          before.add(i.budget_before_detection);
          res.ttd_sorted.push_back(i.ttd_minutes);
        }
        group(by_cause, cause_n, cause_label(i.cause), i);
        group(by_sev, sev_n, severity_label(i.severity), i);
      }
      for (double r : t.resets) reset.add(r);
    }
    std::sort(res.ttd_sorted.begin(), res.ttd_sorted.end());
    const double c = config.confidence;
    res.ttd_minutes = mean_figure(ttd, c);
    {
      std::uint64_t hits = 0;
      for (const LabTrial& t : results.results) {
        for (const LabIncident& i : t.incidents) hits += i.detected ? 1 : 0;
      }
      res.detected.value = wilson_interval(hits, res.incidents, c);
      res.detected.n = res.incidents;
    }
    for (std::size_t g = 0; g < by_cause.size(); ++g) {
      res.ttd_by_cause.push_back(
          {by_cause[g].first, mean_figure(by_cause[g].second, c), cause_n[g].second});
    }
    std::sort(by_sev.begin(), by_sev.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::sort(sev_n.begin(), sev_n.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t g = 0; g < by_sev.size(); ++g) {
      res.ttd_by_severity.push_back(
          {by_sev[g].first, mean_figure(by_sev[g].second, c), sev_n[g].second});
    }
    res.reset_minutes = mean_figure(reset, c);
    res.precision = ratio_figure(prec_num, prec_den, c);
    res.recall = ratio_figure(rec_num, rec_den, c);
    res.pages_per_shift = mean_figure(pages, c);
    res.tickets_per_shift = mean_figure(tickets, c);
    res.night_pages_per_night = mean_figure(night, c);
    res.noise_pages_per_shift = mean_figure(noise, c);
    res.budget_before_detection = mean_figure(before, c);
    res.budget_consumed = mean_figure(budget, c);
    out.requests_per_second = requests.mean();
    out.baseline_error = first.mean();
    out.sets.push_back(std::move(res));
  }
  return out;
}

}  // namespace relsim::analysis
