// Counted traffic for low-traffic services (see alert_low_traffic.hpp).
#include "analysis/alert_low_traffic.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/runner.hpp"

namespace relsim::analysis {

namespace {

// Stream ids of this model (any fixed values: nothing else draws from them).
constexpr std::uint64_t kIncidentStream = 0x4c54'0001;
constexpr std::uint64_t kGoodStream = 0x4c54'0002;
constexpr std::uint64_t kBadStream = 0x4c54'0003;

struct Incident {
  std::int64_t start;  // tick index of its first interval
  std::int64_t end;    // one past its last
  double bad = 0.0;    // bad requests while it lasted
};

struct PairSteps {
  double threshold;
  std::int64_t long_steps;
  std::int64_t short_steps;
  std::int64_t hold_steps;
};

struct TrialFigures {
  double firings = 0, noise = 0, significant_firings = 0;
  double significant = 0, recalled = 0;
  std::vector<double> ttd;
};

}  // namespace

std::uint64_t poisson(sim::Rng& rng, double mean) {
  if (!(mean > 0.0)) return 0;
  std::uint64_t total = 0;
  while (mean > 30.0) {
    total += poisson(rng, 30.0);
    mean -= 30.0;
  }
  // Inversion: walk the CDF from 0.
  const double u = rng.uniform01();
  double p = std::exp(-mean);
  double cdf = p;
  std::uint64_t k = 0;
  while (u >= cdf && k < 1000) {
    ++k;
    p *= mean / static_cast<double>(k);
    cdf += p;
  }
  return total + k;
}

LowTrafficResult run_low_traffic(const RuleSet& set, const LowTrafficConfig& config) {
  if (!(config.requests_per_second > 0.0)) {
    throw std::invalid_argument("low traffic: the request rate must be positive");
  }
  if (!(config.incident_error > 0.0 && config.incident_error <= 1.0)) {
    throw std::invalid_argument("low traffic: the incident error ratio must be in (0, 100 %]");
  }
  const auto pairs = pairs_of(set, models::AlertRoute::page);
  sim::Duration step = sim::Duration::minutes(1);
  if (!pairs.empty()) step = pairs.front().evaluation_interval;
  const double dt = step.to_seconds();
  const auto steps_of = [&](sim::Duration d) {
    return std::max<std::int64_t>(
        1, (d.count_micros() + step.count_micros() - 1) / step.count_micros());
  };
  std::vector<PairSteps> rules;
  std::int64_t longest = 1;
  for (const RulePair& p : pairs) {
    if (never_fires(p, config.objective)) continue;
    rules.push_back({p.factor * (1.0 - config.objective), steps_of(p.long_window),
                     steps_of(p.short_window),
                     p.for_duration.count_micros() > 0 ? steps_of(p.for_duration) : 0});
    longest = std::max({longest, rules.back().long_steps, rules.back().short_steps});
  }
  const std::int64_t k_max =
      std::max<std::int64_t>(1, config.horizon.count_micros() / step.count_micros());
  const double budget =
      (1.0 - config.objective) * config.requests_per_second * config.period.to_seconds();
  const std::int64_t inc_steps = steps_of(config.incident_duration);

  sim::RunnerOptions ro;
  ro.master_seed = config.seed;
  ro.trials = config.trials;
  ro.threads = 1;  // cheap; one thread keeps it simple and deterministic
  const auto results = sim::run_trials<TrialFigures>(ro, [&]() {
    return [&](std::uint64_t, std::uint64_t seed) {
      TrialFigures out;
      sim::Rng inc_rng(seed, kIncidentStream), good_rng(seed, kGoodStream),
          bad_rng(seed, kBadStream);
      std::vector<Incident> incidents;
      const double rate = config.incidents_per_day / 86'400.0;
      double t = rate > 0.0 ? -std::log(inc_rng.uniform_open0()) / rate : 1e300;
      while (t < config.horizon.to_seconds()) {
        const auto start = static_cast<std::int64_t>(t / dt);
        if (incidents.empty() || start >= incidents.back().end) {
          incidents.push_back({start, std::min(k_max, start + inc_steps), 0.0});
        }
        t += -std::log(inc_rng.uniform_open0()) / rate;
      }
      std::vector<double> n(static_cast<std::size_t>(k_max + 1), 0.0), b(n.size(), 0.0);
      std::size_t next = 0;
      for (std::int64_t k = 0; k < k_max; ++k) {
        while (next < incidents.size() && incidents[next].end <= k) ++next;
        const bool active = next < incidents.size() && incidents[next].start <= k;
        const double p = active ? config.incident_error : config.baseline_error;
        const double mean = config.requests_per_second * dt;
        const double good = static_cast<double>(poisson(good_rng, mean * (1.0 - p)));
        const double bad = static_cast<double>(poisson(bad_rng, mean * p));
        if (active) incidents[next].bad += bad;
        n[static_cast<std::size_t>(k + 1)] = n[static_cast<std::size_t>(k)] + good + bad;
        b[static_cast<std::size_t>(k + 1)] = b[static_cast<std::size_t>(k)] + bad;
      }
      const auto sum = [&](const std::vector<double>& c, std::int64_t k, std::int64_t w) {
        return c[static_cast<std::size_t>(k)] -
               c[static_cast<std::size_t>(std::max<std::int64_t>(0, k - w))];
      };
      std::vector<char> significant(incidents.size(), 0), recalled(incidents.size(), 0);
      for (std::size_t i = 0; i < incidents.size(); ++i) {
        significant[i] = budget > 0.0 && incidents[i].bad >= config.significant_share * budget;
        out.significant += significant[i];
      }
      // One state machine for the route (an OR of its pairs), ticking at
      // the end of every interval.
      bool firing = false, pending = false;
      std::int64_t active_at = 0;
      std::int64_t hold = 0;
      for (const PairSteps& r : rules) hold = std::max(hold, r.hold_steps);
      for (std::int64_t k = 1; k <= k_max; ++k) {
        bool holds = false;
        for (const PairSteps& r : rules) {
          const double nl = sum(n, k, r.long_steps), ns = sum(n, k, r.short_steps);
          if (!(nl > 0.0 && ns > 0.0)) continue;
          if (config.min_requests > 0 && nl < static_cast<double>(config.min_requests)) continue;
          if (sum(b, k, r.long_steps) >= r.threshold * nl &&
              sum(b, k, r.short_steps) >= r.threshold * ns) {
            holds = true;
            break;
          }
        }
        if (!holds) {
          firing = pending = false;
          continue;
        }
        if (firing) continue;
        if (!pending) {
          pending = true;
          active_at = k;
        }
        if (k - active_at < hold) continue;
        firing = true;
        out.firings += 1;
        // Attribute to the incident it falls in (or within the longest
        // window after it).
        std::size_t found = incidents.size();
        for (std::size_t i = 0; i < incidents.size(); ++i) {
          if (incidents[i].start < k && k <= incidents[i].end + longest) found = i;
        }
        if (found == incidents.size()) {
          out.noise += 1;
          continue;
        }
        if (significant[found]) out.significant_firings += 1;
        if (k <= incidents[found].end && !recalled[found]) {
          recalled[found] = 1;
          if (significant[found]) {
            out.recalled += 1;
            out.ttd.push_back(static_cast<double>(k - incidents[found].start) * dt / 60.0);
          }
        }
      }
      return out;
    };
  });
  LowTrafficResult res;
  MeanAccumulator pages, noise, ttd;
  std::vector<double> pn, pd, rn, rd;
  const double weeks = config.horizon.to_seconds() / (7.0 * 86'400.0);
  for (const TrialFigures& t : results.results) {
    pages.add(t.firings / weeks);
    noise.add(t.noise / weeks);
    pn.push_back(t.significant_firings);
    pd.push_back(t.firings);
    rn.push_back(t.recalled);
    rd.push_back(t.significant);
    res.significant_incidents += static_cast<std::uint64_t>(t.significant);
    for (double v : t.ttd) ttd.add(v);
  }
  const auto fig = [&](const MeanAccumulator& a) {
    LabFigure f;
    f.n = a.count();
    f.value = a.count() > 0 ? a.interval(config.confidence)
                            : Interval{std::nan(""), std::nan(""), std::nan("")};
    return f;
  };
  res.pages_per_week = fig(pages);
  res.noise_pages_per_week = fig(noise);
  res.precision = ratio_figure(pn, pd, config.confidence);
  res.recall = ratio_figure(rn, rd, config.confidence);
  res.ttd_minutes = fig(ttd);
  return res;
}

}  // namespace relsim::analysis
