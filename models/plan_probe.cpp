// The game-day planner's per-trial measurements. See models/plan_probe.hpp.
#include "models/plan_probe.hpp"

#include <algorithm>
#include <cmath>

#include "models/fluid.hpp"

namespace relsim::models {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
/// Latency grid: 120 thresholds, log-spaced from 0.1 ms to 10 min.
constexpr int kGrid = 120;
constexpr double kGridLow = -4.0, kGridHigh = 2.7781513;  // log10 seconds

std::size_t metric_index(GameDayMetric m) { return static_cast<std::size_t>(m); }

/// The p-quantile of latency from requests within each grid threshold.
double percentile_from(const std::vector<double>& grid, const std::vector<double>& within,
                       double total, double p) {
  if (total <= 0.0) return 0.0;
  for (std::size_t g = 0; g < grid.size(); ++g) {
    const double f = within[g] / total;
    if (f < p) continue;
    if (g == 0) return grid[0];
    const double f0 = within[g - 1] / total;
    const double x = f > f0 ? (p - f0) / (f - f0) : 1.0;
    return std::exp(std::log(grid[g - 1]) + x * (std::log(grid[g]) - std::log(grid[g - 1])));
  }
  return kInf;
}

}  // namespace

double metric_value(const GameDayTrial& trial, const MetricCheck& check,
                    const std::vector<double>& percentiles) {
  if (check.metric == GameDayMetric::latency_p99 ||
      check.metric == GameDayMetric::latency_percentile) {
    const double p = check.metric == GameDayMetric::latency_p99 ? 0.99 : check.percentile;
    for (std::size_t i = 0; i < percentiles.size(); ++i) {
      if (percentiles[i] == p) return trial.latency[i];
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
  return trial.metric[metric_index(check.metric)];
}

double hypothesis_value(const GameDayTrial& trial, const Hypothesis& h, Index alert,
                        const std::vector<double>& percentiles) {
  if (alert != kNoIndex && h.check.metric == GameDayMetric::first_page &&
      alert < trial.alert_page.size()) {
    return trial.alert_page[alert];
  }
  if (alert != kNoIndex && h.check.metric == GameDayMetric::ack_time &&
      alert < trial.alert_ack.size()) {
    return trial.alert_ack[alert];
  }
  return metric_value(trial, h.check, percentiles);
}

double steady_value(const GameDayTrial& trial, const MetricCheck& check,
                    const std::vector<double>& percentiles) {
  if (check.metric == GameDayMetric::latency_p99 ||
      check.metric == GameDayMetric::latency_percentile) {
    const double p = check.metric == GameDayMetric::latency_p99 ? 0.99 : check.percentile;
    for (std::size_t i = 0; i < percentiles.size(); ++i) {
      if (percentiles[i] == p) return trial.latency_before[i];
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
  return trial.before[metric_index(check.metric)];
}

bool check_holds(const MetricCheck& check, double value) {
  if (std::isnan(value)) return false;
  if (check.below && !(value <= *check.below)) return false;
  if (check.above && !(value >= *check.above)) return false;
  return true;
}

GameDayProbe::GameDayProbe(const CompiledModel& model, const GameDayTargets& targets,
                           std::vector<double> percentiles)
    : m_(model), targets_(targets), percentiles_(std::move(percentiles)) {
  if (!percentiles_.empty()) {
    for (int g = 0; g < kGrid; ++g) {
      grid_.push_back(std::pow(10.0, kGridLow + (kGridHigh - kGridLow) * g / (kGrid - 1)));
    }
  }
  for (const Index s : targets_.watched) {
    double threshold = 0.0;
    for (const SloRow& slo : m_.slos) {
      if (slo.component == m_.services[s].component && slo.sli == SliKind::latency &&
          slo.threshold) {
        threshold = slo.threshold->to_seconds();
        break;
      }
    }
    slow_threshold_.push_back(threshold);
  }
}

void GameDayProbe::Recovery::update(bool now_impaired, double t, bool may_begin) {
  if (now_impaired && !impaired) {
    if (!may_begin) return;
    ever = true;
  }
  if (!now_impaired && impaired) last_end = t;
  impaired = now_impaired;
}

double GameDayProbe::Recovery::value() const {
  if (impaired) return kInf;
  return ever ? last_end : 0.0;
}

void GameDayProbe::begin(sim::Duration start, sim::Duration observe,
                         std::optional<sim::Duration> duration) {
  start_ = start;
  end_ = start + observe;
  fault_end_ = start + duration.value_or(sim::Duration::zero());
  const auto buckets = static_cast<std::size_t>(
      (observe.count_micros() + kPlanBucket.count_micros() - 1) / kPlanBucket.count_micros());
  bucket_bad_.assign(buckets, 0.0);
  bucket_total_.assign(buckets, 0.0);
  bucket_slo_bad_.assign(targets_.budget_slos.size(), std::vector<double>(buckets, 0.0));
  bad_ = total_ = slow_ = 0.0;
  within_.assign(grid_.size(), 0.0);
  pre_bad_ = pre_total_ = pre_slow_ = 0.0;
  const auto pre_buckets =
      static_cast<std::size_t>(kSteadyWindow.count_micros() / kPlanBucket.count_micros());
  pre_bucket_bad_.assign(pre_buckets, 0.0);
  pre_bucket_total_.assign(pre_buckets, 0.0);
  pre_within_.assign(grid_.size(), 0.0);
  slo_bad_.assign(targets_.budget_slos.size(), 0.0);
  svc_bad_.assign(m_.services.size(), 0.0);
  svc_total_.assign(m_.services.size(), 0.0);
  comp_bad_.assign(m_.components.size(), 0.0);
  comp_total_.assign(m_.components.size(), 0.0);
  baseline_capacity_ = last_capacity_ = 0.0;
  started_ = false;
  capacity_ = shift_ = failover_ = Recovery{};
  alert_page_.assign(m_.alerts.size(), kInf);
}

double GameDayProbe::capacity(const FluidState& state) const {
  double cap = 0.0;
  for (const Index s : targets_.capacity_services) {
    const ServiceRow& svc = m_.services[s];
    const Index c = svc.component;
    for (const Placement& pl : m_.placements_of(c)) {
      const auto p = static_cast<std::size_t>(&pl - m_.placements.data());
      if (pl.role != ZoneRole::service_replicas || !state.zone_up[pl.zone]) continue;
      cap += state.healthy[p] * svc.capacity_per_replica * state.capacity_factor[c];
    }
  }
  return cap;
}

void GameDayProbe::on_alert(sim::Duration t, Index alert, bool page) {
  if (!page || t < start_ || t >= end_ || alert >= alert_page_.size()) return;
  alert_page_[alert] = std::min(alert_page_[alert], (t - start_).to_seconds());
}

void GameDayProbe::on_change(sim::Duration t, const FluidState& state, const FluidResult&) {
  const double cap = capacity(state);
  if (t < start_) {
    last_capacity_ = cap;
    return;
  }
  if (!started_) {
    started_ = true;
    baseline_capacity_ = last_capacity_;
  }
  last_capacity_ = cap;
  if (t >= end_) return;
  const double at = (t - start_).to_seconds();
  const bool may_begin = t <= fault_end_;
  capacity_.update(cap < baseline_capacity_ * (1.0 - 1e-9), at, may_begin);
  int ghosts = 0;
  for (const Index s : targets_.capacity_services) {
    for (const Placement& pl : m_.placements_of(m_.services[s].component)) {
      const auto p = static_cast<std::size_t>(&pl - m_.placements.data());
      if (pl.role == ZoneRole::service_replicas) ghosts += state.routed[p] - state.healthy[p];
    }
  }
  shift_.update(ghosts > 0, at, may_begin);
  bool down = false;
  for (const Index c : targets_.stores) down = down || !state.serving[c];
  failover_.update(down, at, may_begin);
}

template <class Simpson>
void GameDayProbe::steady_interval(sim::Duration t0, sim::Duration t1, const FluidState& state,
                                   const Simpson& simpson) {
  const sim::Duration from = start_ - kSteadyWindow;
  const sim::Duration lo = std::max(t0, from);
  const sim::Duration hi = std::min(t1, start_);
  if (hi <= lo) return;
  const double share = (hi - lo).to_seconds() / (t1 - t0).to_seconds();
  double bad = 0.0, total = 0.0;
  for (std::size_t i = 0; i < targets_.watched.size(); ++i) {
    const Index c = m_.services[targets_.watched[i]].component;
    const double tot = simpson([c](const FluidResult& r) { return r.load[c]; });
    const double good = simpson([c](const FluidResult& r) { return r.load[c] * r.success[c]; });
    bad += std::max(0.0, tot - good);
    total += tot;
    if (slow_threshold_[i] > 0.0) {
      const double thr = slow_threshold_[i];
      const double well = simpson([&](const FluidResult& r) {
        return r.load[c] * latency_good_fraction(m_, state, r, c, thr);
      });
      pre_slow_ += share * std::max(0.0, good - well);
    }
    for (std::size_t g = 0; g < grid_.size(); ++g) {
      const double x = grid_[g];
      pre_within_[g] += share * simpson([&](const FluidResult& r) {
                          return r.load[c] * fraction_within(m_, r, c, x);
                        });
    }
  }
  bad *= share;
  total *= share;
  pre_bad_ += bad;
  pre_total_ += total;
  const std::int64_t bw = kPlanBucket.count_micros();
  const std::int64_t f0 = (lo - from).count_micros(), f1 = (hi - from).count_micros();
  const double span = static_cast<double>(f1 - f0);
  for (std::int64_t k = f0 / bw;
       k * bw < f1 && k < static_cast<std::int64_t>(pre_bucket_bad_.size()); ++k) {
    const double part =
        static_cast<double>(std::min(f1, (k + 1) * bw) - std::max(f0, k * bw)) / span;
    pre_bucket_bad_[static_cast<std::size_t>(k)] += part * bad;
    pre_bucket_total_[static_cast<std::size_t>(k)] += part * total;
  }
}

void GameDayProbe::on_interval(sim::Duration t0, sim::Duration t1, const FluidState& state,
                               const FluidResult& a, const FluidResult& mid, const FluidResult& b) {
  const double w = (t1 - t0).to_seconds() / 6.0;
  auto simpson = [&](auto&& f) { return w * (f(a) + 4.0 * f(mid) + f(b)); };
  steady_interval(t0, t1, state, simpson);
  const sim::Duration lo = std::max(t0, start_);
  const sim::Duration hi = std::min(t1, end_);
  if (hi <= lo) return;
  const double share = (hi - lo).to_seconds() / (t1 - t0).to_seconds();

  double bad = 0.0, total = 0.0;
  for (std::size_t i = 0; i < targets_.watched.size(); ++i) {
    const Index c = m_.services[targets_.watched[i]].component;
    const double tot = simpson([c](const FluidResult& r) { return r.load[c]; });
    const double good = simpson([c](const FluidResult& r) { return r.load[c] * r.success[c]; });
    bad += std::max(0.0, tot - good);
    total += tot;
    if (slow_threshold_[i] > 0.0) {
      const double thr = slow_threshold_[i];
      const double well = simpson([&](const FluidResult& r) {
        return r.load[c] * latency_good_fraction(m_, state, r, c, thr);
      });
      slow_ += share * std::max(0.0, good - well);
    }
    for (std::size_t g = 0; g < grid_.size(); ++g) {
      const double x = grid_[g];
      within_[g] += share * simpson([&](const FluidResult& r) {
                      return r.load[c] * fraction_within(m_, r, c, x);
                    });
    }
  }
  bad *= share;
  total *= share;
  bad_ += bad;
  total_ += total;
  for (Index c = 0; c < m_.components.size(); ++c) {
    const double tot = simpson([c](const FluidResult& r) { return r.load[c]; });
    const double good = simpson([c](const FluidResult& r) { return r.load[c] * r.success[c]; });
    comp_total_[c] += share * tot;
    comp_bad_[c] += share * std::max(0.0, tot - good);
  }
  std::vector<double>& slo_bad = scratch_slo_bad_;
  slo_bad.assign(targets_.budget_slos.size(), 0.0);
  for (std::size_t i = 0; i < targets_.budget_slos.size(); ++i) {
    const SloRow& slo = m_.slos[targets_.budget_slos[i]];
    const Index c = slo.component;
    const double tot = simpson([c](const FluidResult& r) { return r.load[c]; });
    double good = 0.0;
    if (slo.sli == SliKind::latency && slo.threshold) {
      const double thr = slo.threshold->to_seconds();
      good = simpson([&](const FluidResult& r) {
        return r.load[c] * latency_good_fraction(m_, state, r, c, thr);
      });
    } else {
      good = simpson([c](const FluidResult& r) { return r.load[c] * r.success[c]; });
    }
    slo_bad[i] = share * std::max(0.0, tot - good);
    slo_bad_[i] += slo_bad[i];
  }
  // Spread over the 10 s buckets pro rata of time.
  const std::int64_t bw = kPlanBucket.count_micros();
  const std::int64_t from = (lo - start_).count_micros(), to = (hi - start_).count_micros();
  const double span = static_cast<double>(to - from);
  for (std::int64_t k = from / bw; k * bw < to && k < static_cast<std::int64_t>(bucket_bad_.size());
       ++k) {
    const double part =
        static_cast<double>(std::min(to, (k + 1) * bw) - std::max(from, k * bw)) / span;
    const auto i = static_cast<std::size_t>(k);
    bucket_bad_[i] += part * bad;
    bucket_total_[i] += part * total;
    for (std::size_t j = 0; j < slo_bad.size(); ++j) bucket_slo_bad_[j][i] += part * slo_bad[j];
  }
}

GameDayTrial GameDayProbe::finish(const TrialResult& result) const {
  GameDayTrial out;
  auto set = [&](GameDayMetric m, double v) { out.metric[metric_index(m)] = v; };
  set(GameDayMetric::capacity_restored, capacity_.value());
  set(GameDayMetric::traffic_shift, shift_.value());
  set(GameDayMetric::failover_time, failover_.value());
  double peak = 0.0;
  for (std::size_t i = 0; i < bucket_bad_.size(); ++i) {
    if (bucket_total_[i] > 0.0) peak = std::max(peak, bucket_bad_[i] / bucket_total_[i]);
  }
  set(GameDayMetric::error_rate, peak);
  set(GameDayMetric::peak_error_rate, peak);
  set(GameDayMetric::mean_error_rate, total_ > 0.0 ? bad_ / total_ : 0.0);
  set(GameDayMetric::requests_failed, bad_);
  set(GameDayMetric::users_affected, total_ > 0.0 ? (bad_ + slow_) / total_ : 0.0);
  // Pages: the first page at or after the start, within the window.
  double first_page = kInf, ack = kInf;
  out.alert_ack.assign(m_.alerts.size(), kInf);
  std::vector<double> alert_first(m_.alerts.size(), kInf);  // per alert: its first page
  for (const IncidentRow& row : result.incidents) {
    if (row.paged == kNever || row.paged < start_ || row.paged >= end_) continue;
    const double at = (row.paged - start_).to_seconds();
    const double acked = row.acked == kNever ? kInf : (row.acked - row.paged).to_seconds();
    if (at < first_page) {
      first_page = at;
      ack = acked;
    }
    if (row.paged_alert < alert_first.size() && at < alert_first[row.paged_alert]) {
      alert_first[row.paged_alert] = at;
      out.alert_ack[row.paged_alert] = acked;
    }
  }
  set(GameDayMetric::first_page, first_page);
  out.alert_page = alert_page_;
  set(GameDayMetric::ack_time, ack);
  double budget = 0.0;
  for (std::size_t i = 0; i < targets_.budget_slos.size(); ++i) {
    const double allowed = targets_.month_budget[i];
    const double used = allowed > 0.0 ? slo_bad_[i] / allowed : (slo_bad_[i] > 0.0 ? kInf : 0.0);
    out.slo_budget.push_back(used);
    budget = std::max(budget, used);
  }
  set(GameDayMetric::budget_consumed, budget);
  // Latency percentiles of the watched services' requests over the window.
  for (const double p : percentiles_) {
    out.latency.push_back(percentile_from(grid_, within_, total_, p));
    out.latency_before.push_back(percentile_from(grid_, pre_within_, pre_total_, p));
  }
  out.before.fill(std::numeric_limits<double>::quiet_NaN());
  double pre_peak = 0.0;
  for (std::size_t i = 0; i < pre_bucket_bad_.size(); ++i) {
    if (pre_bucket_total_[i] > 0.0)
      pre_peak = std::max(pre_peak, pre_bucket_bad_[i] / pre_bucket_total_[i]);
  }
  out.before[metric_index(GameDayMetric::error_rate)] = pre_peak;
  out.before[metric_index(GameDayMetric::peak_error_rate)] = pre_peak;
  out.before[metric_index(GameDayMetric::mean_error_rate)] =
      pre_total_ > 0.0 ? pre_bad_ / pre_total_ : 0.0;
  out.before[metric_index(GameDayMetric::users_affected)] =
      pre_total_ > 0.0 ? (pre_bad_ + pre_slow_) / pre_total_ : 0.0;
  out.before[metric_index(GameDayMetric::requests_failed)] = pre_bad_;
  set(GameDayMetric::latency_p99, std::numeric_limits<double>::quiet_NaN());
  set(GameDayMetric::latency_percentile, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t s = 0; s < m_.services.size(); ++s) {
    out.service_error.push_back(svc_total_[s] > 0.0 ? svc_bad_[s] / svc_total_[s] : 0.0);
  }
  for (const Index c : targets_.affected) {
    out.component_error.push_back(comp_total_[c] > 0.0 ? comp_bad_[c] / comp_total_[c] : 0.0);
  }
  return out;
}

std::optional<std::pair<double, int>> GameDayProbe::first_abort(
    const std::vector<StopCondition>& conditions) const {
  std::optional<std::pair<double, int>> best;
  const double bw = kPlanBucket.to_seconds();
  for (std::size_t k = 0; k < conditions.size(); ++k) {
    const StopCondition& sc = conditions[k];
    double cum_bad = 0.0, cum_total = 0.0;
    std::vector<double> cum_slo(targets_.budget_slos.size(), 0.0);
    double run_start = -1.0;  // seconds from the start: the condition holds since
    for (std::size_t i = 0; i < bucket_bad_.size(); ++i) {
      cum_bad += bucket_bad_[i];
      cum_total += bucket_total_[i];
      double v = 0.0;
      switch (sc.check.metric) {
        case GameDayMetric::error_rate:
        case GameDayMetric::peak_error_rate:
          v = bucket_total_[i] > 0.0 ? bucket_bad_[i] / bucket_total_[i] : 0.0;
          break;
        case GameDayMetric::mean_error_rate:
        case GameDayMetric::users_affected:
          v = cum_total > 0.0 ? cum_bad / cum_total : 0.0;
          break;
        case GameDayMetric::requests_failed:
          v = cum_bad;
          break;
        case GameDayMetric::budget_consumed:
          for (std::size_t j = 0; j < cum_slo.size(); ++j) {
            cum_slo[j] += bucket_slo_bad_[j][i];
            const double allowed = targets_.month_budget[j];
            if (allowed > 0.0) v = std::max(v, cum_slo[j] / allowed);
          }
          break;
        default:
          return best;  // rejected by plan_problems before any trial runs
      }
      const bool fires =
          (sc.check.above && v > *sc.check.above) || (sc.check.below && v < *sc.check.below);
      const double bucket_start = static_cast<double>(i) * bw;
      if (!fires) {
        run_start = -1.0;
        continue;
      }
      if (run_start < 0.0) run_start = bucket_start;
      // Known at the end of the bucket; and it must have held for `for`.
      const double at = std::max(run_start + sc.for_duration.to_seconds(), bucket_start + bw);
      if (at <= bucket_start + bw) {
        if (!best || at < best->first) best = std::make_pair(at, static_cast<int>(k));
        break;
      }
    }
  }
  return best;
}

}  // namespace relsim::models
