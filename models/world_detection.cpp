// Detection: alert rules on the evaluation grid (docs/model.md, "Detection").
//
// A rule is a state machine sampled at evaluation ticks (multiples of its
// alert's evaluation interval from t = 0), as Prometheus and vmalert do:
// inactive → pending at the first tick its condition holds → firing at the
// first tick at least `for` later (still holding) → inactive at the first
// tick it does not hold. Ticks are not simulated one by one: a rule is
// evaluated only at the ticks where its state can change —
//   threshold rules: the condition is a function of the fluid state, which
//     only changes at events, so the next tick after an event that changed
//     it, and the tick at which a pending rule fires;
//   burn-rate rules: the window ratios move as the windows slide over the
//     recorded history; BurnHistory::next_change solves for the instant the
//     condition flips under the current rates, and the rule is evaluated at
//     the first tick after it (again after every change of those rates).
// So a trial's cost does not grow with horizon / evaluation interval.
#include <algorithm>
#include <cmath>
#include <limits>

#include "models/world_impl.hpp"

namespace relsim::models {
namespace {

/// Relative change of an SLO's bad fraction, and of its load, below which a
/// burn-rate prediction is kept (docs/model.md, "Detection").
constexpr double kPredictionDrift = 1e-3;
constexpr double kLoadDrift = 0.05;

}  // namespace

Detection::Detection(Engine& engine, const CompiledModel& m, Registry& reg) : Part(engine, m) {
  for (Index a = 0; a < m.alerts.size(); ++a) {
    const AlertRow& alert = m.alerts[a];
    if (alert.kind == AlertKind::threshold) {
      rule_rows_.push_back({a, alert.route});
      continue;
    }
    for (const AlertRoute route : {AlertRoute::page, AlertRoute::ticket}) {
      for (Index w = alert.burn_windows.begin; w < alert.burn_windows.end; ++w) {
        if (m.burn_windows[w].route == route) {
          rule_rows_.push_back({a, route});
          break;
        }
      }
    }
  }
  targets_ = reg.targets(rule_rows_.size());
  rule_min_threshold_.assign(rule_rows_.size(), 1.0);
  rule_max_window_.assign(rule_rows_.size(), sim::Duration::zero());
  burn_slo_rules_begin_.assign(m.slos.size() + 1, 0);
  for (Index k = 0; k < m.slos.size(); ++k) {
    burn_slo_rules_begin_[k] = static_cast<Index>(burn_slo_rules_.size());
    for (Index r = 0; r < rule_rows_.size(); ++r) {
      const AlertRow& alert = m.alerts[rule_rows_[r].alert];
      if (alert.kind != AlertKind::burn_rate || alert.slo != k) continue;
      burn_slo_rules_.push_back(r);
      for (Index w = alert.burn_windows.begin; w < alert.burn_windows.end; ++w) {
        const BurnWindowRow& bw = m.burn_windows[w];
        if (bw.route != rule_rows_[r].route) continue;
        rule_min_threshold_[r] =
            std::min(rule_min_threshold_[r], bw.factor * (1.0 - m.slos[k].objective));
        rule_max_window_[r] = std::max({rule_max_window_[r], bw.long_window, bw.short_window});
      }
    }
  }
  burn_slo_rules_begin_[m.slos.size()] = static_cast<Index>(burn_slo_rules_.size());
  // Which rules read a component.
  auto rule_component = [&](Index r) {
    const AlertRow& alert = m.alerts[rule_rows_[r].alert];
    return alert.kind == AlertKind::threshold ? alert.component : m.slos[alert.slo].component;
  };
  const std::size_t nc = m.components.size();
  comp_rule_begin_.assign(nc + 1, 0);
  for (Index r = 0; r < rule_rows_.size(); ++r) {
    if (const Index c = rule_component(r); c != kNoIndex) ++comp_rule_begin_[c + 1];
  }
  for (std::size_t c = 0; c < nc; ++c) comp_rule_begin_[c + 1] += comp_rule_begin_[c];
  comp_rules_.resize(comp_rule_begin_[nc]);
  {
    std::vector<Index> fill(comp_rule_begin_.begin(), comp_rule_begin_.end() - 1);
    for (Index r = 0; r < rule_rows_.size(); ++r) {
      if (const Index c = rule_component(r); c != kNoIndex) comp_rules_[fill[c]++] = r;
    }
  }
}

void Detection::reset() {
  rules_.assign(rule_rows_.size(), Rule{});
  // No burn rule has been predicted yet: every one is listed.
  limited_.clear();
  for (Index r = 0; r < rule_rows_.size(); ++r) {
    if (m_.alerts[rule_rows_[r].alert].kind == AlertKind::burn_rate) {
      rules_[r].limited = true;
      limited_.push_back(r);
    }
  }
  slo_fraction_.assign(m_.slos.size(), 0.0);
  slo_fraction_at_.assign(m_.slos.size(), -sim::Duration::max());
}

void Detection::on_eval(Index target) {
  // A threshold rule reads the fluid state, which has not changed since the
  // last event; only burn-rate rules need the requests accounted to now.
  const Index r = targets_.local(target);
  if (const AlertRow& alert = m_.alerts[rule_rows_[r].alert]; alert.kind == AlertKind::burn_rate) {
    w_.accounts.settle_for_rule(alert.slo);
  }
  evaluate_rule(r);
}

void Detection::note_burn(Index k, sim::Duration t1, double total, double bad) {
  for (Index j = burn_slo_rules_begin_[k]; j < burn_slo_rules_begin_[k + 1]; ++j) {
    const Index r = burn_slo_rules_[j];
    if (total > 0.0 && bad >= rule_min_threshold_[r] * total) rules_[r].hot_until = t1;
  }
}

void Detection::check_moved(sim::Duration next) {
  // Only a rule whose prediction stopped short of the horizon can need one
  // that looks further: those are listed (limited_), so this visits them
  // and not every rule. They are re-predicted in ascending order, as a sweep
  // over all rules would (the order fixes equal-time events' order).
  const sim::Duration reach = std::min(w_.horizon, next);
  due_.clear();
  std::size_t kept = 0;
  for (const Index r : limited_) {
    Rule& rule = rules_[r];
    if (rule.pred_until >= w_.horizon) {
      rule.limited = false;  // covered to the end since it was listed
      continue;
    }
    limited_[kept++] = r;
    if (rule.pred_until < reach) due_.push_back(r);
  }
  limited_.resize(kept);
  std::sort(due_.begin(), due_.end());
  for (const Index r : due_) predict_rule(r);
}

bool Detection::condition_holds(const ConditionRow& cond, Index c) const {
  if (!(w_.load_now(c) > 0.0)) return false;
  switch (cond.metric) {
    case ConditionMetric::error_rate:
    case ConditionMetric::users_affected:
      return 1.0 - w_.cur.success[c] > cond.above;
    case ConditionMetric::latency:
      // The percentile exceeds `above` when fewer than `percentile` of the
      // requests are answered within it.
      return fraction_within(m_, w_.cur, c, cond.above) < cond.percentile;
  }
  return false;
}

sim::Duration Detection::tick_at_or_after(Index alert, sim::Duration t) const {
  const std::int64_t i = m_.alerts[alert].evaluation_interval.count_micros();
  const std::int64_t us = t.count_micros();
  const std::int64_t k = us / i + (us % i != 0 ? 1 : 0);
  return sim::Duration::micros(k * i);
}

void Detection::schedule_rule(Index r, sim::Duration t) {
  Rule& rule = rules_[r];
  const AlertRow& alert = m_.alerts[rule_rows_[r].alert];
  sim::Duration tick = tick_at_or_after(rule_rows_[r].alert, std::max(t, now()));
  if (tick <= rule.last_eval) tick = rule.last_eval + alert.evaluation_interval;
  if (tick >= w_.horizon || tick >= rule.scheduled) return;
  w_.sim.cancel(targets_[r]);
  rule.scheduled = tick;
  at(tick, EventKind::alert_eval, targets_[r]);
}

bool Detection::rule_condition(Index r) {
  const RuleRow& row = rule_rows_[r];
  const AlertRow& alert = m_.alerts[row.alert];
  if (alert.kind == AlertKind::threshold) return condition_holds(alert.condition, alert.component);
  const BurnHistory& h = w_.accounts.burn(alert.slo);
  const double budget = 1.0 - m_.slos[alert.slo].objective;
  for (Index w = alert.burn_windows.begin; w < alert.burn_windows.end; ++w) {
    const BurnWindowRow& bw = m_.burn_windows[w];
    if (bw.route != row.route) continue;
    const double threshold = bw.factor * budget;
    if (h.holds(bw.long_window.count_micros(), threshold) &&
        h.holds(bw.short_window.count_micros(), threshold)) {
      return true;
    }
  }
  return false;
}

namespace {

/// Bad fraction of an SLO's requests under the ratios of `r`.
double bad_fraction(const CompiledModel& m, const FluidState& fs, const FluidResult& r, Index k) {
  const SloRow& slo = m.slos[k];
  if (slo.sli == SliKind::latency && slo.threshold) {
    return 1.0 - latency_good_fraction(m, fs, r, slo.component, slo.threshold->to_seconds());
  }
  return 1.0 - r.success[slo.component];
}

}  // namespace

void Detection::predict_rule(Index r) {
  Rule& rule = rules_[r];
  const AlertRow& alert = m_.alerts[rule_rows_[r].alert];
  const Index k = alert.slo;
  const Index c = m_.slos[k].component;
  const double total = w_.load_now(c);
  if (slo_fraction_at_[k] != now()) {
    slo_fraction_[k] = std::clamp(bad_fraction(m_, w_.fs, w_.cur, k), 0.0, 1.0);
    slo_fraction_at_[k] = now();
  }
  const double bad = total * slo_fraction_[k];
  rule.pred_total = total;
  rule.pred_bad = bad;
  rule.pred_until = w_.horizon;  // nothing can change: covered to the end
  const BurnHistory& h = w_.accounts.burn(k);
  // A window ratio is an average of the fractions in the window: while the
  // current fraction and every recorded one still in reach are below the
  // lowest threshold, an inactive rule cannot change.
  if (rule.state == RuleState::inactive && bad < rule_min_threshold_[r] * total &&
      rule.hot_until < now() - rule_max_window_[r]) {
    return;
  }
  // The rates hold until the next demand knot or crossing at most (the
  // check there re-predicts); look no further than that.
  const sim::Duration until = std::min(w_.horizon, w_.next_check);
  rule.pred_until = until;
  if (until < w_.horizon && !rule.limited) {
    rule.limited = true;
    limited_.push_back(r);
  }
  const double budget = 1.0 - m_.slos[k].objective;
  std::int64_t next = std::numeric_limits<std::int64_t>::max();
  // Only the earliest change matters, and only one before the tick already
  // scheduled (schedule_rule keeps the earlier): each window's search stops
  // past the earliest change found so far and past that tick. The result is
  // the same as searching every window to `until`.
  std::int64_t bound = until.count_micros();
  if (rule.scheduled != sim::Duration::max()) {
    bound = std::min(bound, rule.scheduled.count_micros() - 1);
  }
  for (Index w = alert.burn_windows.begin; w < alert.burn_windows.end; ++w) {
    const BurnWindowRow& bw = m_.burn_windows[w];
    if (bw.route != rule_rows_[r].route) continue;
    // A pair whose short window holds nothing at or above the rule's lowest
    // threshold, with the current fraction below its own, is false now and
    // stays false: the short window only ever averages such fractions.
    const double threshold = bw.factor * budget;
    if (bad < threshold * total && rule.hot_until < now() - bw.short_window) continue;
    for (const sim::Duration win : {bw.long_window, bw.short_window}) {
      const auto t = h.next_change(win.count_micros(), threshold, total, bad, bound);
      if (t) {
        next = std::min(next, *t);
        bound = std::min(bound, next);
      }
    }
  }
  if (next != std::numeric_limits<std::int64_t>::max()) {
    schedule_rule(r, sim::Duration::micros(next));
  }
}

void Detection::after_change() {
  // Only the rules reading a component whose ratios moved can change.
  if (rule_rows_.empty()) return;
  if (w_.all_moved) {
    for (Index r = 0; r < rule_rows_.size(); ++r) changed(r);
  } else if (w_.moved) {
    for (const Index c : *w_.moved) {
      for (Index j = comp_rule_begin_[c]; j < comp_rule_begin_[c + 1]; ++j) {
        changed(comp_rules_[j]);
      }
    }
  }
}

void Detection::changed(Index r) {
  Rule& rule = rules_[r];
  const AlertRow& alert = m_.alerts[rule_rows_[r].alert];
  if (alert.kind == AlertKind::threshold) {
    const bool c = condition_holds(alert.condition, alert.component);
    if (c != rule.seen) {
      rule.seen = c;
      schedule_rule(r, now());
    }
    return;
  }
  // Predictions assume the rates of the moment: redo them when the bad
  // fraction or the load has moved (demand drifts between knots, and a
  // latency SLI's bad fraction with utilisation: small drifts are ignored).
  const Index k = alert.slo;
  const Index comp = m_.slos[k].component;
  const double total = w_.load_now(comp);
  if (slo_fraction_at_[k] != now()) {
    slo_fraction_[k] = std::clamp(bad_fraction(m_, w_.fs, w_.cur, k), 0.0, 1.0);
    slo_fraction_at_[k] = now();
  }
  const double fraction = slo_fraction_[k];
  const double old_fraction = rule.pred_total > 0.0 ? rule.pred_bad / rule.pred_total : 0.0;
  const bool moved =
      (fraction == 0.0) != (old_fraction == 0.0) ||
      std::abs(fraction - old_fraction) > kPredictionDrift * std::max(fraction, old_fraction) ||
      std::abs(total - rule.pred_total) > kLoadDrift * std::max(total, rule.pred_total);
  // A prediction looks as far as the check that was next when it was made;
  // when the next check is now later, it must look further.
  if (moved || rule.pred_until < std::min(w_.horizon, w_.next_check)) predict_rule(r);
}

void Detection::evaluate_rule(Index r) {
  Rule& rule = rules_[r];
  const AlertRow& alert = m_.alerts[rule_rows_[r].alert];
  const sim::Duration t = now();
  rule.scheduled = sim::Duration::max();
  rule.last_eval = t;
  const bool holds = rule_condition(r);
  // `for` counts whole ticks: fire at the first tick at least `for` after activation.
  const std::int64_t step = alert.evaluation_interval.count_micros();
  const std::int64_t f = alert.for_duration.count_micros();
  const sim::Duration hold = sim::Duration::micros((f / step + (f % step != 0 ? 1 : 0)) * step);
  switch (rule.state) {
    case RuleState::inactive:
      if (holds) {
        rule.state = RuleState::pending;
        rule.active_at = t;
      }
      break;
    case RuleState::pending:
      if (!holds) rule.state = RuleState::inactive;
      break;
    case RuleState::firing:
      if (!holds) {
        rule.state = RuleState::inactive;
        if (w_.observer) {
          w_.observer->on_alert_resolved(t, rule_rows_[r].alert,
                                         rule_rows_[r].route == AlertRoute::page);
        }
        rule_resolved(r);
      }
      break;
  }
  if (rule.state == RuleState::pending) {
    if (t - rule.active_at >= hold) {
      rule.state = RuleState::firing;
      rule_fired(r);
    } else {
      schedule_rule(r, rule.active_at + hold);
    }
  }
  if (alert.kind == AlertKind::burn_rate) predict_rule(r);
}

void Detection::rule_fired(Index r) {
  if (w_.observer) {
    w_.observer->on_alert(now(), rule_rows_[r].alert, rule_rows_[r].route == AlertRoute::page);
  }
  rules_[r].incident = w_.people.alert_fired(rule_rows_[r].alert, rule_rows_[r].route);
}

void Detection::rule_resolved(Index r) {
  Rule& rule = rules_[r];
  const Index i = rule.incident;
  rule.incident = kNoIndex;
  if (i != kNoIndex) w_.people.alert_resolved(i);
}

}  // namespace relsim::models
