// Rare-event estimation by importance sampling (see rare_event.hpp).
#include "analysis/rare_event.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "analysis/estimators.hpp"
#include "analysis/text_format.hpp"
#include "models/failure_bias.hpp"
#include "models/system.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"

namespace relsim::analysis {

std::vector<std::uint8_t> biasable_factors(const models::CompiledModel& m) {
  std::vector<std::uint8_t> out(m.failures.size() * models::kBiasClasses, 0);
  for (std::size_t j = 0; j < m.failures.size(); ++j) {
    const models::FailureRow& f = m.failures[j];
    if (!m.random_failures || !f.every.has_hazard()) continue;
    out[j * models::kBiasClasses + models::kBiasUp] = 1;
    // Degraded: another replica of the service is down (never with one).
    if (f.type == models::FailureType::replica_crash &&
        m.services[m.components[f.owner].row].max_replicas > 1)
      out[j * models::kBiasClasses + models::kBiasDegraded] = 1;
  }
  return out;
}

namespace {

using models::Index;

/// A stage where no trial stands out multiplies every θ by this.
constexpr double kBoost = 4.0;
/// Cross-entropy stages run at the event's level after reaching it.
constexpr int kRefineStages = 2;
/// θ stays within [kMinTheta, kMaxTheta].
constexpr double kMinTheta = 0.01;
constexpr double kMaxTheta = 1e6;
/// The largest factor --rare-bias accepts (the pilot's may go higher only
/// when its stages show the event needs it).
constexpr double kMaxFixedTheta = 1000.0;
/// Warnings: fewer effective samples than this, or one trial carrying more
/// than kLargestShare of the estimate, make the interval untrustworthy.
constexpr double kMinEss = 30.0;
constexpr double kLargestShare = 0.2;

std::invalid_argument bad(const std::string& spec, const std::string& why) {
  return std::invalid_argument(
      "--rare '" + spec + "': " + why +
      " (expected slo_not_met[:SLO], tier:ACTION[:SLO], or FIGURE>VALUE[:NAME] / "
      "FIGURE<VALUE[:NAME] with FIGURE budget_consumed, budget_minutes, attainment or "
      "availability)");
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

Index find_slo(const models::CompiledModel& m, const std::string& spec, const std::string& name) {
  if (name.empty()) {
    if (m.slos.size() == 1) return 0;
    throw bad(spec, m.slos.empty() ? "the model has no SLO"
                                   : "name the SLO (one of " + join(m.names.slos) + ")");
  }
  for (Index k = 0; k < m.names.slos.size(); ++k)
    if (m.names.slos[k] == name) return k;
  throw bad(spec, "no SLO '" + name + "' (the SLOs: " + join(m.names.slos) + ")");
}

double parse_value(const std::string& spec, std::string text) {
  bool percent = false;
  if (!text.empty() && text.back() == '%') {
    percent = true;
    text.pop_back();
  }
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
    throw bad(spec, "'" + text + (percent ? "%" : "") + "' is not a number");
  }
  return percent ? v / 100.0 : v;
}

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

/// The pilot's master seed of stage `stage`: from the run's seed only.
std::uint64_t pilot_seed(std::uint64_t master, int stage) {
  std::uint64_t s = master ^ 0x72617265u;  // "rare"
  sim::splitmix64(s);
  s ^= static_cast<std::uint64_t>(stage + 1) * 0x9e3779b97f4a7c15ULL;
  return sim::splitmix64(s);
}

struct PilotTrial {
  double score = 0.0;
  bool hit = false;
  double log_w = 0.0;
  std::vector<double> failures, exposure;
};

std::vector<PilotTrial> run_pilot(const models::CompiledModel& m, const RareTarget& target,
                                  const std::vector<double>& theta, std::uint64_t seed,
                                  std::uint64_t trials, unsigned threads) {
  sim::RunnerOptions o;
  o.master_seed = seed;
  o.trials = trials;
  o.threads = threads;
  auto r = sim::run_trials<PilotTrial>(o, [&m, &theta, &target]() {
    models::World w(m);
    w.set_failure_bias(theta);
    return [w = std::move(w), &target](std::uint64_t, std::uint64_t s) mutable {
      const models::TrialResult t = w.run(s);
      const models::BiasTally& b = w.bias_tally();
      return PilotTrial{target.score(t), target.hit(t), b.log_lr, b.failures, b.exposure};
    };
  });
  return std::move(r.results);
}

double geometric_mean(const models::CompiledModel& m, const std::vector<double>& theta) {
  const std::vector<std::uint8_t> biasable = biasable_factors(m);
  double sum = 0.0;
  int n = 0;
  for (std::size_t j = 0; j < theta.size(); ++j) {
    if (!biasable[j]) continue;
    sum += std::log(theta[j]);
    ++n;
  }
  return n > 0 ? std::exp(sum / n) : 1.0;
}

}  // namespace

// ---------------------------------------------------------------- the target

double RareTarget::score(const models::TrialResult& t) const {
  switch (kind) {
    case Kind::slo_not_met:
    case Kind::tier_reached:
      return t.slos[slo].budget_consumed;
    case Kind::above:
    case Kind::below: {
      double v = 0.0;
      switch (figure) {
        case Figure::budget_consumed:
          v = t.slos[slo].budget_consumed;
          break;
        case Figure::budget_minutes:
          v = t.slos[slo].budget_minutes;
          break;
        case Figure::attainment:
          v = t.slos[slo].attainment;
          break;
        case Figure::availability:
          v = t.services[service].availability();
          break;
      }
      return kind == Kind::above ? v : -v;
    }
  }
  return 0.0;
}

bool RareTarget::hit(const models::TrialResult& t) const {
  switch (kind) {
    case Kind::slo_not_met:
      return !t.slos[slo].met;
    case Kind::tier_reached:
      return t.slos[slo].tier_reached[tier].has_value();
    case Kind::above:
    case Kind::below:
      return score(t) > level;
  }
  return false;
}

RareTarget parse_rare_target(const models::CompiledModel& m, const std::string& spec) {
  RareTarget r;
  r.spec = spec;
  if (spec.empty()) throw bad(spec, "no target");
  // NAME after the last ':' (of the kinds that take one).
  auto split_name = [&](const std::string& s, std::size_t from) {
    const auto colon = s.find(':', from);
    return colon == std::string::npos
               ? std::pair<std::string, std::string>{s, ""}
               : std::pair<std::string, std::string>{s.substr(0, colon), s.substr(colon + 1)};
  };
  if (spec == "slo_not_met" || spec.rfind("slo_not_met:", 0) == 0) {
    r.kind = RareTarget::Kind::slo_not_met;
    r.slo = find_slo(m, spec, spec.size() > 11 ? spec.substr(12) : "");
    r.level = 1.0;
    r.description = "P(SLO " + m.names.slos[r.slo] + " not met)";
    return r;
  }
  if (spec.rfind("tier:", 0) == 0) {
    const auto [action, name] = split_name(spec, 5);
    const std::string act = action.substr(5);
    r.kind = RareTarget::Kind::tier_reached;
    r.slo = find_slo(m, spec, name);
    std::vector<std::string> known;
    for (std::size_t i = 1; i < m.budget_policy.size(); ++i) {
      known.emplace_back(models::to_string(m.budget_policy[i].action));
      if (known.back() == act) r.tier = i;
    }
    if (r.tier == 0) {
      throw bad(spec,
                "no budget tier '" + act + "' after the first (the tiers: " + join(known) + ")");
    }
    const auto& above = m.budget_policy[r.tier - 1].remaining_above;
    r.level = 1.0 - (above ? *above : 0.0);
    r.description =
        "P(SLO " + m.names.slos[r.slo] + " reaches the " + act + " tier of its budget policy)";
    return r;
  }
  const auto op = spec.find_first_of("<>");
  if (op == std::string::npos || op == 0) throw bad(spec, "unknown target");
  const std::string figure = spec.substr(0, op);
  const auto [value, name] = split_name(spec.substr(op + 1), 0);
  r.kind = spec[op] == '>' ? RareTarget::Kind::above : RareTarget::Kind::below;
  r.threshold = parse_value(spec, value);
  r.level = r.kind == RareTarget::Kind::above ? r.threshold : -r.threshold;
  if (figure == "availability") {
    r.figure = RareTarget::Figure::availability;
    std::vector<std::string> services;
    bool found = false;
    for (Index s = 0; s < m.services.size(); ++s) {
      services.push_back(m.names.components[m.services[s].component]);
      if (services.back() == name || (name.empty() && m.services.size() == 1)) {
        r.service = s;
        found = true;
      }
    }
    if (!found) {
      throw bad(spec, name.empty()
                          ? "name the service (one of " + join(services) + ")"
                          : "no service '" + name + "' (the services: " + join(services) + ")");
    }
    r.description = "P(availability of " + services[r.service] + " " + spec[op] + " " +
                    shortest(r.threshold) + ")";
    return r;
  }
  if (figure == "budget_consumed") {
    r.figure = RareTarget::Figure::budget_consumed;
  } else if (figure == "budget_minutes") {
    r.figure = RareTarget::Figure::budget_minutes;
  } else if (figure == "attainment") {
    r.figure = RareTarget::Figure::attainment;
  } else {
    throw bad(spec, "unknown figure '" + figure + "'");
  }
  r.slo = find_slo(m, spec, name);
  r.description = "P(" + figure + " of " + m.names.slos[r.slo] + " " + spec[op] + " " +
                  shortest(r.threshold) + ")";
  return r;
}

// ---------------------------------------------------------------- the pilot

RarePlan plan_failure_bias(const models::CompiledModel& m, const RareTarget& target,
                           std::uint64_t master_seed, unsigned threads, const RareOptions& o) {
  // One factor per (failure row, class): `rows` below counts those.
  const std::vector<std::uint8_t> biasable = biasable_factors(m);
  const std::size_t rows = biasable.size();
  bool any = false;
  for (const std::uint8_t b : biasable) any = any || b != 0;
  if (!any) {
    throw std::invalid_argument(
        "--rare: the scenario has no failure process to bias (random failures are off, or "
        "every time to failure is fixed, normal or empirical); run it without --rare");
  }
  if (!(o.elite_fraction > 0.0 && o.elite_fraction < 1.0) || o.pilot_trials < 10) {
    throw std::invalid_argument("--rare: the pilot needs at least 10 trials per stage");
  }
  RarePlan plan;
  plan.theta.assign(rows, 1.0);
  if (o.fixed_bias) {
    if (!(*o.fixed_bias > 0.0) || !std::isfinite(*o.fixed_bias)) {
      throw std::invalid_argument("--rare-bias must be a positive number (got " +
                                  shortest(*o.fixed_bias) + ")");
    }
    // A factor past this makes failures so frequent that a trial would run
    // for hours (1e300 made every clock fire at once, for ever).
    if (*o.fixed_bias < kMinTheta || *o.fixed_bias > kMaxFixedTheta) {
      throw std::invalid_argument("--rare-bias must be between " + shortest(kMinTheta) + " and " +
                                  shortest(kMaxFixedTheta) + " (got " + shortest(*o.fixed_bias) +
                                  ")");
    }
    for (std::size_t j = 0; j < rows; ++j)
      if (biasable[j]) plan.theta[j] = *o.fixed_bias;
    return plan;
  }
  const auto n = static_cast<std::size_t>(o.pilot_trials);
  const auto elite_count =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(o.elite_fraction * n)));
  int refined = 0;
  for (int stage = 0; stage < o.max_stages + kRefineStages; ++stage) {
    if (stage >= o.max_stages && !plan.reached) break;
    const std::vector<PilotTrial> pilot =
        run_pilot(m, target, plan.theta, pilot_seed(master_seed, stage), n, threads);
    plan.pilot_trials += n;
    RareStage st;
    std::vector<double> scores(n);
    for (std::size_t i = 0; i < n; ++i) {
      scores[i] = pilot[i].score;
      st.hits += pilot[i].hit ? 1 : 0;
    }
    std::vector<double> sorted = scores;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(elite_count - 1),
                     sorted.end(), std::greater<>());
    const double gamma = sorted[elite_count - 1];
    const double lowest = *std::min_element(scores.begin(), scores.end());
    const bool last = plan.reached || st.hits >= elite_count || gamma >= target.level;
    st.level = last ? target.level : gamma;
    // The elite: the trials that hit (final stage) or score at or above gamma.
    std::vector<double> sum_n(rows, 0.0), sum_h(rows, 0.0);
    // Weights relative to the largest elite log-weight: θ is a ratio of sums,
    // so a common factor cancels and nothing overflows.
    double max_log_w = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      const bool elite = last ? pilot[i].hit : scores[i] >= gamma;
      if (elite) max_log_w = std::max(max_log_w, pilot[i].log_w);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const bool elite = last ? pilot[i].hit : scores[i] >= gamma;
      if (!elite) continue;
      ++st.elite;
      const double w = std::exp(pilot[i].log_w - max_log_w);
      for (std::size_t j = 0; j < rows; ++j) {
        sum_n[j] += w * pilot[i].failures[j];
        sum_h[j] += w * pilot[i].exposure[j];
      }
    }
    double all_n = 0.0, all_h = 0.0;
    for (std::size_t j = 0; j < rows; ++j) {
      if (!biasable[j]) continue;
      all_n += sum_n[j];
      all_h += sum_h[j];
    }
    // No trial stands out (all at the lowest score, e.g. no failure at all
    // in any trial) or the elite saw no failure: raise every rate.
    if ((!last && gamma <= lowest) || all_n <= 0.0 || all_h <= 0.0) {
      st.boosted = true;
      for (std::size_t j = 0; j < rows; ++j)
        if (biasable[j]) plan.theta[j] = std::min(kMaxTheta, plan.theta[j] * kBoost);
      st.mean_theta = geometric_mean(m, plan.theta);
      plan.stages.push_back(st);
      continue;
    }
    // The closed-form cross-entropy update, balanced per process; a process
    // without elite failures takes the shared θ of all of them.
    const double shared = all_n / all_h;
    for (std::size_t j = 0; j < rows; ++j) {
      if (!biasable[j]) continue;
      const double t = sum_n[j] > 0.0 && sum_h[j] > 0.0 ? sum_n[j] / sum_h[j] : shared;
      plan.theta[j] = std::clamp(t, kMinTheta, kMaxTheta);
    }
    st.mean_theta = geometric_mean(m, plan.theta);
    plan.stages.push_back(st);
    if (last) {
      // At the event's level: kRefineStages more stages with the hits as
      // the elite let the factors settle (the first hits were found with
      // the factors of the level below).
      plan.reached = true;
      if (++refined > kRefineStages) break;
    }
  }
  return plan;
}

// ---------------------------------------------------------------- the estimate

RareEstimate estimate_rare(const std::vector<RareSample>& samples, double confidence) {
  RareEstimate e;
  e.confidence = confidence;
  e.trials = samples.size();
  const auto n = static_cast<double>(samples.size());
  double sum = 0.0, sum_sq = 0.0, sum_w = 0.0, largest = 0.0;
  for (const RareSample& s : samples) {
    sum_w += s.weight;
    if (!s.hit) continue;
    ++e.hits;
    sum += s.weight;
    sum_sq += s.weight * s.weight;
    largest = std::max(largest, s.weight);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  e.mean_weight = n > 0 ? sum_w / n : nan;
  if (samples.empty()) {
    e.estimate = e.low = e.high = nan;
    e.warnings.emplace_back("no trials");
    return e;
  }
  e.estimate = sum / n;
  if (e.hits == 0) {
    e.low = 0.0;
    e.high = nan;
    e.relative_half_width = nan;
    e.ess = 0.0;
    e.variance_ratio = nan;
    e.warnings.emplace_back(
        "no trial reached the event: the estimate is 0 without an interval (more pilot trials, "
        "or the event may be impossible in this model)");
    return e;
  }
  // Variance of w·I, two-pass over the samples in trial order.
  double ss = 0.0;
  for (const RareSample& s : samples) {
    const double d = (s.hit ? s.weight : 0.0) - e.estimate;
    ss += d * d;
  }
  const double var = samples.size() > 1 ? ss / (n - 1.0) : nan;
  const double se = std::sqrt(var / n);
  const double z = normal_quantile(0.5 + confidence / 2.0);
  const double cv = se / e.estimate;
  e.low = e.estimate * std::exp(-z * cv);
  e.high = e.estimate * std::exp(z * cv);
  e.relative_half_width = (e.high - e.low) / 2.0 / e.estimate;
  e.ess = sum * sum / sum_sq;
  e.variance_ratio = var > 0.0 ? e.estimate * (1.0 - e.estimate) / var : nan;
  e.largest_share = largest / sum;
  if (!(sum > 0.0) || !std::isfinite(sum)) {
    e.low = e.high = e.relative_half_width = e.variance_ratio = nan;
    e.ess = 0.0;
    e.largest_share = 1.0;
    e.warnings.push_back(
        "the weights are degenerate: the likelihood ratios of all " + std::to_string(e.hits) +
        " hits under- or overflow (the bias is far too strong); the estimate means nothing");
    return e;
  }
  if (!(e.ess >= kMinEss)) {
    e.warnings.push_back("the weights are degenerate: the effective sample size is " +
                         fixed1(e.ess) + " (of " + std::to_string(e.hits) + " hits); below " +
                         shortest(kMinEss) + " the interval is not to be trusted");
  }
  if (e.largest_share > kLargestShare) {
    e.warnings.push_back("one trial carries " + fixed1(100.0 * e.largest_share) +
                         " % of the estimate: the weights are degenerate and the interval "
                         "is too narrow (a different bias or more trials)");
  }
  return e;
}

// ---------------------------------------------------------------- the run

std::vector<std::string> failure_process_names(const models::CompiledModel& m) {
  std::vector<std::string> out;
  for (const models::FailureRow& f : m.failures) {
    const std::string owner = f.type == models::FailureType::zone_outage
                                  ? "zone " + m.names.zones[f.owner]
                                  : m.names.components[f.owner];
    out.push_back(owner + " " + models::to_string(f.type));
  }
  return out;
}

RareOutcome run_rare(const models::CompiledModel& model, const RunRequest& request,
                     const std::string& target, const RareOptions& options) {
  if (request.until || request.trial_index || request.target || request.mpi.ranks > 1) {
    throw std::invalid_argument(
        "--rare estimates one probability from weighted trials: it does not go with --until, "
        "--trial-index, --out, --report or mpirun");
  }
  RunRequest plain = request;
  plain.scenario_until.reset();  // a rare run has a fixed trial count
  const sim::RunnerOptions ro = runner_options(model, plain);
  RareOutcome out;
  out.target = parse_rare_target(model, target);
  out.master_seed = ro.master_seed;
  out.total_trials = ro.trials;
  out.shard = ro.shard;
  const sim::TrialRange range = sim::selected_trials(ro);
  out.first_trial = range.begin;

  const auto t0 = std::chrono::steady_clock::now();
  // Every shard and thread count runs the same pilot: the same θ.
  out.plan = plan_failure_bias(model, out.target, ro.master_seed, ro.threads, options);
  const auto t1 = std::chrono::steady_clock::now();
  out.pilot_seconds = std::chrono::duration<double>(t1 - t0).count();

  const std::vector<double>& theta = out.plan.theta;
  const RareTarget& tg = out.target;
  auto results = sim::run_trials<RareSample>(ro, [&model, &theta, &tg]() {
    models::World w(model);
    w.set_failure_bias(theta);
    return [w = std::move(w), &tg](std::uint64_t, std::uint64_t seed) mutable {
      const models::TrialResult t = w.run(seed);
      return RareSample{std::exp(w.bias_tally().log_lr), tg.hit(t)};
    };
  });
  out.samples = std::move(results.results);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  out.timing = Timing{wall, sim::detail::resolve_threads(ro.threads, range.size())};
  out.estimate = estimate_rare(out.samples, request.confidence);
  if (!options.fixed_bias && !out.plan.reached) {
    out.estimate.warnings.insert(
        out.estimate.warnings.begin(),
        "the pilot did not reach the event in " + std::to_string(out.plan.stages.size()) +
            " stages: the bias is a guess (more pilot trials, or --rare-bias)");
  }
  return out;
}

}  // namespace relsim::analysis
