// Presets and closed forms of alert rules (see alert_rules.hpp and
// docs/alerting.md, "The closed forms").
#include "analysis/alert_rules.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace relsim::analysis {

namespace {

using models::Alert;
using models::AlertKind;
using models::AlertRoute;
using models::BurnWindow;
using sim::Duration;

BurnWindow window(AlertRoute route, double factor, Duration long_window, Duration short_window) {
  BurnWindow w;
  w.severity = route;
  w.factor = factor;
  w.long_window = long_window;
  w.short_window = short_window;
  return w;
}

Alert burn_alert(const std::string& name, const std::string& slo, Duration interval,
                 std::vector<BurnWindow> windows, Duration for_duration = Duration::zero()) {
  Alert a;
  a.name = name;
  a.kind = AlertKind::burn_rate;
  a.slo.name = slo;
  a.evaluation_interval = interval;
  a.burn_windows = std::move(windows);
  a.for_duration = for_duration;
  return a;
}

/// A duration rounded to whole seconds (a derived window such as 5 % of 7 d).
Duration whole_seconds(double seconds) {
  return Duration::seconds(static_cast<std::int64_t>(std::llround(seconds)));
}

/// The smallest multiple of `step` at or after `t` (seconds).
double ceil_to(double t, double step) {
  const double k = std::ceil(t / step - 1e-12);
  return std::max(0.0, k) * step;
}

}  // namespace

double factor_for_share(double share, Duration window, Duration period) {
  return share * period.to_seconds() / window.to_seconds();
}

double share_of_factor(double factor, Duration window, Duration period) {
  return factor * window.to_seconds() / period.to_seconds();
}

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = {"errorRatio10m",   "errorRatioLong",
                                                 "errorRatioFor1h", "burnRate1h",
                                                 "multiBurnRate",   "multiwindow"};
  return names;
}

std::vector<RuleSet> workbook_presets(const std::string& slo, Duration period, Duration interval) {
  const Duration h1 = Duration::hours(1), h6 = Duration::hours(6), d1 = Duration::days(1),
                 d3 = Duration::days(3);
  const AlertRoute page = AlertRoute::page, ticket = AlertRoute::ticket;
  const auto f = [&](double share, Duration w) { return factor_for_share(share, w, period); };
  // Approach 2: the window over which the SLO's own ratio spends 5 % of the budget.
  const Duration long_window = whole_seconds(0.05 * period.to_seconds());
  std::vector<RuleSet> out;
  out.push_back({"errorRatio10m",
                 "1: error ratio over 10 min >= the SLO's (workbook approach 1)",
                 {burn_alert("ErrorRatio10m", slo, interval,
                             {window(page, 1.0, Duration::minutes(10), Duration::minutes(10))})}});
  out.push_back({"errorRatioLong",
                 "2: error ratio over " + window_text(long_window) +
                     " (5 % of the budget) >= the SLO's (approach 2)",
                 {burn_alert("ErrorRatio" + window_text(long_window), slo, interval,
                             {window(page, 1.0, long_window, long_window)})}});
  out.push_back(
      {"errorRatioFor1h",
       "3: error ratio over 1 min >= the SLO's for 1 h (approach 3)",
       {burn_alert("ErrorRatioFor1h", slo, interval,
                   {window(page, 1.0, Duration::minutes(1), Duration::minutes(1))}, h1)}});
  out.push_back({"burnRate1h",
                 "4: burn rate over 1 h, 5 % of the budget (approach 4)",
                 {burn_alert("BurnRate1h", slo, interval, {window(page, f(0.05, h1), h1, h1)})}});
  out.push_back({"multiBurnRate",
                 "5: page 2 % in 1 h or 5 % in 6 h; ticket 10 % in 3 d (approach 5)",
                 {burn_alert("MultiBurnRate", slo, interval,
                             {window(page, f(0.02, h1), h1, h1), window(page, f(0.05, h6), h6, h6),
                              window(ticket, f(0.10, d3), d3, d3)})}});
  out.push_back({"multiwindow",
                 "6: multiwindow multi-burn-rate, short window = long / 12 (approach 6)",
                 {burn_alert("Multiwindow", slo, interval,
                             {window(page, f(0.02, h1), h1, Duration::minutes(5)),
                              window(page, f(0.05, h6), h6, Duration::minutes(30)),
                              window(ticket, f(0.10, d1), d1, Duration::hours(2)),
                              window(ticket, f(0.10, d3), d3, h6)})}});
  return out;
}

std::vector<RulePair> pairs_of(const RuleSet& set, AlertRoute route, const std::string& service) {
  std::vector<RulePair> out;
  for (const Alert& a : set.alerts) {
    if (a.kind == AlertKind::threshold) {
      if (service.empty() || a.service.name != service || a.route != route ||
          a.condition.metric == models::ConditionMetric::latency) {
        continue;
      }
      out.push_back({a.condition.above, 1.0, Duration::zero(), Duration::zero(), a.for_duration,
                     a.evaluation_interval, a.name});
      continue;
    }
    for (const BurnWindow& w : a.burn_windows) {
      if (w.severity != route) continue;
      out.push_back({std::nullopt, w.factor, w.long_window, w.short_window, a.for_duration,
                     a.evaluation_interval, a.name});
    }
  }
  return out;
}

std::optional<std::string> never_fires(const RulePair& pair, double objective) {
  if (pair.threshold) return std::nullopt;
  const double threshold = pair.factor * (1.0 - objective);
  if (threshold <= 1.0) return std::nullopt;
  std::ostringstream s;
  s << pair.factor << "x over " << window_text(pair.long_window) << " needs an error ratio of "
    << threshold * 100.0 << " % (" << pair.factor << " × the " << (1.0 - objective) * 100.0
    << " % budget): even a total outage cannot fire it";
  return s.str();
}

FireTiming fire_timing(const std::vector<RulePair>& pairs, double error, double baseline,
                       double objective, Duration period) {
  FireTiming out;
  const double budget = 1.0 - objective;
  double best_fire = std::numeric_limits<double>::infinity();
  double best_condition = best_fire;
  double reset = 0.0;
  std::string reason;
  for (const RulePair& p : pairs) {
    if (p.threshold) {
      // The instantaneous ratio: above it from the first tick of the errors.
      const bool held = baseline > *p.threshold;
      if (!held && !(error > *p.threshold)) {
        if (reason.empty()) {
          std::ostringstream s;
          s << "error ratio " << error * 100.0 << " % is not above " << *p.threshold * 100.0
            << " % (" << p.alert << ")";
          reason = s.str();
        }
        continue;
      }
      const double step = p.evaluation_interval.to_seconds();
      const double fire = ceil_to(p.for_duration.to_seconds(), step);
      if (fire < best_fire) {
        best_fire = fire;
        best_condition = 0.0;
      }
      if (held) reset = std::numeric_limits<double>::infinity();
      continue;
    }
    const double threshold = p.factor * budget;
    if (auto why = never_fires(p, objective)) {
      if (reason.empty()) reason = *why;
      continue;
    }
    double condition = 0.0;
    double q = 0.0;  // the share of the long window the errors must fill
    const bool held_by_baseline = baseline >= threshold;
    if (held_by_baseline) {
      condition = 0.0;
      q = 0.0;
    } else if (error >= threshold * (1.0 - 1e-12)) {
      // (1 − 0.999 is 0.0010000000000000009 in doubles: a ratio written as
      // the threshold reaches it.)
      q = std::min(1.0, (threshold - baseline) / (error - baseline));
      condition = std::max(p.long_window, p.short_window).to_seconds() * q;
    } else {
      if (reason.empty()) {
        std::ostringstream s;
        s << "error ratio " << error * 100.0 << " % is below the threshold " << threshold * 100.0
          << " % (" << p.factor << "x)";
        reason = s.str();
      }
      continue;
    }
    const double step = p.evaluation_interval.to_seconds();
    const double hold = ceil_to(p.for_duration.to_seconds(), step);
    const double fire = ceil_to(condition, step) + hold;
    if (fire < best_fire) {
      best_fire = fire;
      best_condition = condition;
    }
    // After the errors stop, a window W holds while the errors still in it
    // fill q of it: until W·(1 − q) later; the pair fails with its first
    // window (the short one); the route with its last pair.
    reset = held_by_baseline
                ? std::numeric_limits<double>::infinity()
                : std::max(reset, std::min(p.long_window, p.short_window).to_seconds() * (1.0 - q));
  }
  if (!std::isfinite(best_fire)) {
    out.reason = reason.empty() ? "no rule on this route" : reason;
    return out;
  }
  out.fires = true;
  out.condition_seconds = best_condition;
  out.fire_seconds = best_fire;
  out.budget_at_fire = error * best_fire / (budget * period.to_seconds());
  out.reset_seconds = reset;
  return out;
}

std::string window_text(Duration d) {
  const std::int64_t s = d.count_micros() / 1'000'000;
  if (d.count_micros() % 1'000'000 != 0) return sim::format_duration(d);
  if (s > 0 && s % 86'400 == 0 && s / 86'400 != 1) return std::to_string(s / 86'400) + "d";
  if (s > 0 && s % 3'600 == 0) return std::to_string(s / 3'600) + "h";
  if (s > 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

}  // namespace relsim::analysis
