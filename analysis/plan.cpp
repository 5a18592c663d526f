// The game-day planner: runs and summary. See analysis/plan.hpp.
#include "analysis/plan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/format.hpp"
#include "models/diagnostics.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace relsim::analysis {

namespace {

using models::GameDayMetric;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool timeline_metric(GameDayMetric m) {
  switch (m) {
    case GameDayMetric::error_rate:
    case GameDayMetric::peak_error_rate:
    case GameDayMetric::mean_error_rate:
    case GameDayMetric::users_affected:
    case GameDayMetric::requests_failed:
    case GameDayMetric::budget_consumed:
      return true;
    default:
      return false;
  }
}

std::size_t metric_index(GameDayMetric m) { return static_cast<std::size_t>(m); }

/// Steady-state checks the planner measures before the start.
bool steady_measured(const models::MetricCheck& c) {
  return (timeline_metric(c.metric) && c.metric != GameDayMetric::budget_consumed) ||
         c.metric == GameDayMetric::latency_p99 || c.metric == GameDayMetric::latency_percentile;
}

Distribution3 distribution(std::vector<double> values, double confidence) {
  std::sort(values.begin(), values.end());
  return {quantile_interval(values, 0.5, confidence), quantile_interval(values, 0.9, confidence),
          quantile_interval(values, 0.99, confidence)};
}

Interval mean_interval(const std::vector<double>& values, double confidence) {
  MeanAccumulator acc;
  for (const double v : values) acc.add(v);
  return acc.interval(confidence);
}

ImpactSummary impact(const std::vector<models::GameDayTrial>& trials, double worst,
                     double confidence) {
  std::vector<double> budget, failed, peak, users;
  for (const auto& t : trials) {
    budget.push_back(t.metric[metric_index(GameDayMetric::budget_consumed)]);
    failed.push_back(t.metric[metric_index(GameDayMetric::requests_failed)]);
    peak.push_back(t.metric[metric_index(GameDayMetric::peak_error_rate)]);
    users.push_back(t.metric[metric_index(GameDayMetric::users_affected)]);
  }
  ImpactSummary out;
  out.budget_consumed = mean_interval(budget, confidence);
  out.requests_failed = mean_interval(failed, confidence);
  out.peak_error_rate = mean_interval(peak, confidence);
  out.users_affected = mean_interval(users, confidence);
  std::sort(budget.begin(), budget.end());
  out.budget_worst = quantile_interval(budget, worst, confidence);
  return out;
}

std::string percent(double x) {
  return std::isinf(x) ? "unbounded (too few trials)" : percent_text(x);
}

}  // namespace

GameDayRuns run_game_day(const models::CompiledModel& model, const models::GameDay& game_day,
                         const PlanOptions& options) {
  {
    std::vector<models::Diagnostic> problems;
    for (const auto& sc : game_day.stop_conditions) {
      if (!timeline_metric(sc.check.metric)) {
        problems.push_back({sc.location,
                            "relsim plan evaluates stop conditions on errorRate, peakErrorRate, "
                            "meanErrorRate, usersAffected, requestsFailed and budgetConsumed only "
                            "(got '" +
                                sc.check.metric_name + "')"});
      }
    }
    if (!problems.empty()) throw models::InputError(std::move(problems));
  }
  GameDayRuns runs;
  runs.targets = models::game_day_targets(model, game_day);
  runs.trials = options.only_trial ? 1 : options.trials;  // the trials these runs hold
  runs.seed = options.seed;
  auto want = [&](const models::MetricCheck& c) {
    double p = 0.0;
    if (c.metric == GameDayMetric::latency_p99) p = 0.99;
    if (c.metric == GameDayMetric::latency_percentile) p = c.percentile;
    if (p > 0.0 &&
        std::find(runs.percentiles.begin(), runs.percentiles.end(), p) == runs.percentiles.end()) {
      runs.percentiles.push_back(p);
    }
  };
  for (const auto& h : game_day.hypotheses) want(h.check);
  for (const auto& c : game_day.steady_state) want(c);

  sim::RunnerOptions ro;
  ro.master_seed = options.seed;
  ro.trials = options.trials;
  ro.threads = options.threads;
  ro.only_trial = options.only_trial;
  const sim::Duration observe = game_day.observe;
  for (const sim::Duration start : model.candidate_starts) {
    models::CompiledModel at = model;
    at.faults[0].start = start;
    at.horizon = start + observe;
    struct Pair {
      models::GameDayTrial with_stop, without_stop;
    };
    const auto& targets = runs.targets;
    const auto& percentiles = runs.percentiles;
    auto results = sim::run_trials<Pair>(ro, [&]() {
      return [&, world = models::World(at),
              probe = std::make_unique<models::GameDayProbe>(at, targets, percentiles)](
                 std::uint64_t, std::uint64_t seed) mutable {
        world.set_observer(probe.get());
        probe->begin(start, observe, at.faults[0].duration);
        const models::TrialResult r = world.run(seed);
        Pair out;
        out.without_stop = probe->finish(r);
        const auto abort = probe->first_abort(game_day.stop_conditions);
        if (!abort) {
          out.with_stop = out.without_stop;
          return out;
        }
        out.without_stop.abort_at = abort->first;
        out.without_stop.abort_condition = abort->second;
        // The same trial, with the fault reverted at the firing plus the abort latency.
        const auto& sc = game_day.stop_conditions[static_cast<std::size_t>(abort->second)];
        const sim::Duration revert = sim::Duration::from_seconds(abort->first) + sc.abort_latency;
        models::CompiledModel aborted = at;
        auto& fault = aborted.faults[0];
        if (!fault.duration || revert < *fault.duration) fault.duration = revert;
        models::World again(aborted);
        models::GameDayProbe probe2(aborted, targets, percentiles);
        again.set_observer(&probe2);
        probe2.begin(start, observe, at.faults[0].duration);
        out.with_stop = probe2.finish(again.run(seed));
        out.with_stop.abort_at = abort->first;
        out.with_stop.abort_condition = abort->second;
        return out;
      };
    });
    CandidateRuns c;
    c.start = start;
    for (auto& p : results.results) {
      c.with_stop.push_back(std::move(p.with_stop));
      c.without_stop.push_back(std::move(p.without_stop));
    }
    runs.candidates.push_back(std::move(c));
  }
  return runs;
}

std::size_t budget_tier(const models::CompiledModel& model, double remaining) {
  const auto& policy = model.budget_policy;
  for (std::size_t i = 0; i < policy.size(); ++i) {
    if (!policy[i].remaining_above || remaining > *policy[i].remaining_above) return i;
  }
  return policy.empty() ? 0 : policy.size() - 1;
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::go:
      return "go";
    case Verdict::caution:
      return "go with caution";
    case Verdict::no_go:
      return "no-go";
  }
  return "?";
}

PlanSummary summarize_plan(const models::CompiledModel& model, const models::GameDay& game_day,
                           const GameDayRuns& runs, double confidence) {
  PlanSummary out;
  out.confidence = confidence;
  const double remaining = game_day.budget.remaining_this_month;
  out.tier_before = budget_tier(model, remaining);
  const double worst = game_day.worst_case_percentile;
  for (const CandidateRuns& c : runs.candidates) {
    CandidateSummary s;
    s.start = c.start;
    const std::uint64_t n = c.with_stop.size();
    bool any_steady = false;
    for (const auto& check : game_day.steady_state)
      any_steady = any_steady || steady_measured(check);
    if (any_steady) {
      for (const auto& t : c.with_stop) {
        bool holds = true;
        for (const auto& check : game_day.steady_state) {
          if (steady_measured(check)) {
            holds = holds &&
                    models::check_holds(check, models::steady_value(t, check, runs.percentiles));
          }
        }
        if (holds) ++s.steady;
      }
      s.p_steady = wilson_interval(s.steady, n, confidence);
      for (const auto& check : game_day.steady_state) {
        HypothesisSummary hs;
        std::vector<double> values;
        for (const auto& t : c.with_stop) {
          const double v = models::steady_value(t, check, runs.percentiles);
          values.push_back(std::isnan(v) ? std::numeric_limits<double>::infinity() : v);
          if (models::check_holds(check, v)) ++hs.holds;
        }
        hs.p_holds = wilson_interval(hs.holds, n, confidence);
        hs.value = distribution(std::move(values), confidence);
        s.steady_checks.push_back(hs);
      }
    } else {
      s.p_steady = {kNaN, kNaN, kNaN};
    }
    for (const auto& h : game_day.hypotheses) {
      HypothesisSummary hs;
      std::vector<double> values;
      models::Index alert = models::kNoIndex;
      for (models::Index a = 0; a < model.names.alerts.size(); ++a) {
        if (!h.alert.empty() && model.names.alerts[a] == h.alert.name) alert = a;
      }
      for (const auto& t : c.with_stop) {
        const double v = models::hypothesis_value(t, h, alert, runs.percentiles);
        values.push_back(std::isnan(v) ? std::numeric_limits<double>::infinity() : v);
        if (models::check_holds(h.check, v)) ++hs.holds;
      }
      hs.p_holds = wilson_interval(hs.holds, n, confidence);
      hs.value = distribution(std::move(values), confidence);
      s.hypotheses.push_back(hs);
    }
    for (std::size_t k = 0; k < game_day.stop_conditions.size(); ++k) {
      StopSummary ss;
      MeanAccumulator when;
      for (const auto& t : c.with_stop) {
        if (t.abort_condition == static_cast<int>(k)) {
          ++ss.fires;
          when.add(t.abort_at);
        }
      }
      ss.p_fires = wilson_interval(ss.fires, n, confidence);
      ss.seconds_to_fire = when.interval(confidence);
      if (ss.fires == 0) ss.seconds_to_fire = {kNaN, kNaN, kNaN};
      s.stops.push_back(ss);
      s.aborts += ss.fires;
    }
    s.p_abort = wilson_interval(s.aborts, n, confidence);
    s.with_stop = impact(c.with_stop, worst, confidence);
    s.without_stop = impact(c.without_stop, worst, confidence);
    std::vector<double> of_remaining;
    for (const auto& t : c.with_stop) {
      const double used = t.metric[metric_index(GameDayMetric::budget_consumed)];
      of_remaining.push_back(remaining > 0.0
                                 ? used / remaining
                                 : (used > 0.0 ? std::numeric_limits<double>::infinity() : 0.0));
      if (!model.budget_policy.empty() && budget_tier(model, remaining - used) > out.tier_before) {
        ++s.pushed;
      }
    }
    s.of_remaining = mean_interval(of_remaining, confidence);
    s.p_tier_pushed = wilson_interval(s.pushed, n, confidence);
    for (std::size_t k = 0; k < runs.targets.budget_slos.size(); ++k) {
      std::vector<double> v;
      for (const auto& t : c.with_stop) v.push_back(t.slo_budget[k]);
      s.slo_budget.push_back(mean_interval(v, confidence));
    }
    for (std::size_t k = 0; k < runs.targets.affected.size(); ++k) {
      std::vector<double> v;
      for (const auto& t : c.with_stop) v.push_back(t.component_error[k]);
      s.component_error.push_back(mean_interval(v, confidence));
    }
    out.candidates.push_back(std::move(s));
  }
  // Ranking: expected budget cost, then P(abort), then the earlier start.
  out.ranking.resize(out.candidates.size());
  std::iota(out.ranking.begin(), out.ranking.end(), std::size_t{0});
  std::stable_sort(out.ranking.begin(), out.ranking.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = out.candidates[a];
    const auto& y = out.candidates[b];
    if (x.with_stop.budget_consumed.estimate != y.with_stop.budget_consumed.estimate) {
      return x.with_stop.budget_consumed.estimate < y.with_stop.budget_consumed.estimate;
    }
    return x.p_abort.estimate < y.p_abort.estimate;
  });
  if (out.ranking.empty()) return out;
  const std::size_t best = out.ranking.front();
  const auto& bt = runs.candidates[best].with_stop;
  for (std::size_t i = 0; i < out.candidates.size(); ++i) {
    MeanAccumulator budget, abort;
    const auto& ct = runs.candidates[i].with_stop;
    for (std::size_t t = 0; t < ct.size(); ++t) {
      budget.add(ct[t].metric[metric_index(GameDayMetric::budget_consumed)] -
                 bt[t].metric[metric_index(GameDayMetric::budget_consumed)]);
      abort.add((ct[t].abort_condition >= 0 ? 1.0 : 0.0) -
                (bt[t].abort_condition >= 0 ? 1.0 : 0.0));
    }
    out.candidates[i].budget_vs_best = budget.interval(confidence);
    out.candidates[i].abort_vs_best = abort.interval(confidence);
  }

  // The verdict, for the best start.
  const CandidateSummary& b = out.candidates[best];
  const int worst_pct = static_cast<int>(std::lround(worst * 100.0));
  bool no_go = false, caution = false;
  auto reason = [&](std::string text) { out.reasons.push_back(std::move(text)); };
  const double worst_budget = b.with_stop.budget_worst.estimate;
  if (worst_budget > remaining) {
    no_go = true;
    reason("the worst case (p" + std::to_string(worst_pct) + ") consumes " + percent(worst_budget) +
           " of the month's budget (interval " + percent(b.with_stop.budget_worst.low) + " to " +
           percent(b.with_stop.budget_worst.high) + "), more than the " + percent(remaining) +
           " left");
  } else {
    reason("the worst case (p" + std::to_string(worst_pct) + ") consumes " + percent(worst_budget) +
           " of the month's budget (interval " + percent(b.with_stop.budget_worst.low) + " to " +
           percent(b.with_stop.budget_worst.high) + "); " + percent(remaining) + " is left");
  }
  if (!model.budget_policy.empty()) {
    if (b.p_tier_pushed.estimate > 1.0 - worst) {
      no_go = true;
      reason("P(the drill pushes the budget into a stricter policy tier) = " +
             percent(b.p_tier_pushed.estimate) + ", above " + percent(1.0 - worst));
    } else if (b.pushed > 0) {
      caution = true;
      reason("P(the drill pushes the budget into a stricter policy tier) = " +
             percent(b.p_tier_pushed.estimate));
    }
  }
  if (!game_day.stop_conditions.empty()) {
    if (b.p_abort.estimate >= 0.5) {
      no_go = true;
      reason("the stop conditions abort the drill in " + percent(b.p_abort.estimate) +
             " of trials: it would not test its hypotheses");
    } else if (b.p_abort.estimate >= 0.1) {
      caution = true;
      reason("P(abort) = " + percent(b.p_abort.estimate));
    } else {
      reason("P(abort) = " + percent(b.p_abort.estimate));
    }
  }
  for (std::size_t h = 0; h < game_day.hypotheses.size(); ++h) {
    const auto& hs = b.hypotheses[h];
    const std::string& name = game_day.hypotheses[h].name;
    if (hs.p_holds.high < 0.5) {
      caution = true;
      reason("hypothesis '" + name + "' is expected to fail (P(holds) = " +
             percent(hs.p_holds.estimate) + "): fix the gap or revise it before running the drill");
    } else if (hs.p_holds.estimate < 0.9) {
      caution = true;
      reason("hypothesis '" + name + "' is uncertain (P(holds) = " + percent(hs.p_holds.estimate) +
             ")");
    }
  }
  out.verdict = no_go ? Verdict::no_go : caution ? Verdict::caution : Verdict::go;
  for (const auto& check : game_day.steady_state) {
    if (!steady_measured(check)) {
      out.notes.push_back("steadyState '" + check.metric_name +
                          "' is not measured before the start (only error rates, users affected, "
                          "requests failed and latency are)");
    }
  }
  if (!game_day.steady_state.empty() && !std::isnan(b.p_steady.estimate) &&
      b.p_steady.estimate < 0.9) {
    caution = true;
    reason("the steady state holds over the 10 minutes before the start in only " +
           percent(b.p_steady.estimate) + " of trials: the drill would often have to wait");
    out.verdict = no_go ? Verdict::no_go : Verdict::caution;
  }
  return out;
}

}  // namespace relsim::analysis
