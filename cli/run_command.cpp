// `relsim run SCENARIO`: loads a Scenario (with `--set` overrides and
// `--horizon`), compiles it, runs its Monte Carlo trials on a pool of threads
// (one models::World per worker), summarises them (analysis/run_summary.hpp)
// and prints a table, or JSON with `--format json`. Output is built whole
// before anything is written, and `--output` writes atomically, so an error
// leaves no half-written output. Every figure and interval is explained in
// docs/results.md; options in docs/cli.md.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/incident_summary.hpp"
#include "analysis/run_summary.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/runner.hpp"
#include "sim/time.hpp"

namespace relsim::cli {

namespace {

using analysis::Interval;

struct RunOptions {
  std::string scenario;
  std::optional<std::uint64_t> trials;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::optional<std::string> horizon;
  std::vector<std::string> overrides;
  std::string shard = "0/1";
  std::optional<std::uint64_t> trial_index;
  double confidence = 0.95;
  std::string format = "text";
  std::string output;
};

/// Everything the writers need: the model, the run and its summary.
struct RunReport {
  const models::CompiledModel& model;
  std::uint64_t seed = 0;
  std::uint64_t total_trials = 0;
  std::uint64_t first_trial = 0;
  unsigned threads = 1;
  double wall_seconds = 0.0;
  analysis::RunSummary summary;
};

std::string sformat(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string sformat(const char* fmt, ...) {
  char buf[256];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

/// `30d` rather than format_duration's `4w2d`: horizons are written in days.
std::string horizon_text(sim::Duration d) {
  const auto day = sim::Duration::days(1).count_micros();
  if (d.count_micros() > 0 && d.count_micros() % day == 0) {
    return std::to_string(d.count_micros() / day) + "d";
  }
  return sim::format_duration(d);
}

const std::string& service_name(const models::CompiledModel& m, std::size_t service) {
  return m.names.components[m.services[service].component];
}

std::string tier_label(models::BudgetAction a) {
  switch (a) {
    case models::BudgetAction::ship:
      return "ship";
    case models::BudgetAction::freeze:
      return "freeze";
    case models::BudgetAction::all_hands:
      return "all hands";
    case models::BudgetAction::leadership_review:
      return "leadership review";
  }
  return "?";
}

// ---------------------------------------------------------------- text

/// `[low, high]` with `decimals` after the point, scaled by `scale`; `[n/a]`
/// when the interval is unbounded on both sides (fewer than two trials).
std::string bounds(const Interval& iv, int decimals, double scale) {
  if (!std::isfinite(iv.low) && !std::isfinite(iv.high)) return "[n/a]";
  auto end = [&](double v) {
    if (std::isinf(v)) return std::string(v > 0 ? "inf" : "-inf");
    return sformat("%.*f", decimals, v * scale);
  };
  return "[" + end(iv.low) + ", " + end(iv.high) + (std::isinf(iv.high) ? ")" : "]");
}

/// Decimals that resolve an interval: at least `decimals`, more while its
/// ends print alike (a narrow interval around 99.99 %), at most `max`.
int resolving_decimals(const Interval& iv, int decimals, double scale, int max) {
  while (decimals < max && std::isfinite(iv.low) && std::isfinite(iv.high) && iv.low != iv.high &&
         sformat("%.*f", decimals, iv.low * scale) == sformat("%.*f", decimals, iv.high * scale)) {
    ++decimals;
  }
  return decimals;
}

/// A fraction near 1 as a percentage with enough digits to show its nines:
/// 0.999871 → `99.9871 %` (two decimals more than the nines after the point).
std::string nines(const Interval& iv) {
  if (std::isnan(iv.estimate)) return "n/a";
  const double unavailable = 1.0 - iv.estimate;
  int d = unavailable > 0.0 ? static_cast<int>(std::ceil(-std::log10(unavailable))) : 4;
  d = resolving_decimals(iv, std::clamp(d, 2, 7), 100.0, 8);
  return sformat("%-*s", 12, sformat("%.*f %%", d, iv.estimate * 100.0).c_str()) + " " +
         bounds(iv, d, 100.0);
}

/// A probability as a percentage: one decimal, two near (not at) 0 or 1.
std::string probability(const Interval& iv) {
  if (std::isnan(iv.estimate)) return "n/a";
  const bool near_end =
      (iv.estimate > 0.0 && iv.estimate < 0.01) || (iv.estimate > 0.99 && iv.estimate < 1.0);
  int d = near_end ? 2 : 1;
  d = resolving_decimals(iv, d, 100.0, 4);
  return sformat("%-*s", 12, sformat("%.*f %%", d, iv.estimate * 100.0).c_str()) + " " +
         bounds(iv, d, 100.0);
}

/// Decimals for about three significant digits of `x` (0.123, 25.8, 1234).
int significant_decimals(double x) {
  if (!std::isfinite(x) || x == 0.0) return 1;
  return std::clamp(2 - static_cast<int>(std::floor(std::log10(std::fabs(x)))), 0, 6);
}

/// A value with ~3 significant digits and its interval, times `scale`, with `unit`.
std::string magnitude(double estimate, const Interval& iv, double scale, const char* unit) {
  if (std::isnan(estimate)) return "n/a";
  const int d = significant_decimals(estimate * scale);
  return sformat("%-*s", 12, sformat("%.*f%s", d, estimate * scale, unit).c_str()) + " " +
         bounds(iv, d, scale);
}

std::string text(const RunReport& r, const std::string& scenario_file) {
  const auto& m = r.model;
  const auto& s = r.summary;
  const double per_second = r.wall_seconds > 0 ? static_cast<double>(s.trials) / r.wall_seconds : 0;
  std::string out = sformat(
      "relsim run: %s on %s: %llu trial%s, seed %llu, horizon %s; %.2f s wall, %.1f trials/s\n",
      m.names.scenario.c_str(), m.names.system.c_str(), static_cast<unsigned long long>(s.trials),
      s.trials == 1 ? "" : "s", static_cast<unsigned long long>(r.seed),
      horizon_text(m.horizon).c_str(), r.wall_seconds, per_second);
  const int pct = static_cast<int>(std::lround(s.confidence * 100));
  out += "  " + scenario_file +
         sformat("; trials %llu..%llu of %llu on %u thread%s; %.4g events per trial\n",
                 static_cast<unsigned long long>(r.first_trial),
                 static_cast<unsigned long long>(r.first_trial + s.trials - (s.trials > 0 ? 1 : 0)),
                 static_cast<unsigned long long>(r.total_trials), r.threads,
                 r.threads == 1 ? "" : "s", s.events_per_trial);
  out += sformat(
      "  %d %% intervals: t for means, Wilson for probabilities, order statistics for p95\n", pct);

  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const auto& row = m.slos[k];
    const auto& x = s.slos[k];
    const bool rolling = row.window_kind == models::SloWindowKind::rolling;
    out += "\nSLO " + m.names.slos[k] + ": " + m.names.components[row.component] + " " +
           models::to_string(row.sli) + " >= " + sformat("%.6g %%", row.objective * 100.0) +
           " over " +
           (rolling ? horizon_text(row.window) + " (rolling)" : std::string("the calendar month")) +
           "; window in trial: " + horizon_text(x.window.length) + "\n";
    auto line = [&](const std::string& label, const std::string& value) {
      out += sformat("  %-22s %s\n", label.c_str(), value.c_str());
    };
    line("attainment (mean)", nines(x.attainment));
    line("P(met)", probability(x.p_met));
    line("budget consumed mean",
         magnitude(x.budget_consumed.estimate, x.budget_consumed, 100.0, " %"));
    const auto& p95 = x.budget_consumed_p95;
    line("budget consumed p95",
         magnitude(p95.estimate, {p95.estimate, p95.low, p95.high}, 100.0, " %"));
    const int md = significant_decimals(x.budget_minutes.estimate);
    line("budget minutes (mean)", std::isnan(x.budget_minutes.estimate)
                                      ? "n/a"
                                      : sformat("%.*f of %.4g min", md, x.budget_minutes.estimate,
                                                x.budget_minutes_allowed) +
                                            " " + bounds(x.budget_minutes, md, 1.0));
    for (std::size_t t = 1; t < x.tiers.size(); ++t) {  // tier 0 (ship) holds from the start
      const auto& tier = x.tiers[t];
      std::string value = probability(tier.probability);
      if (tier.reached > 0) {
        value += sformat("   first reached on day %.1f (mean)",
                         tier.first_reached_seconds.estimate / 86400.0);
      }
      line("P(" + tier_label(tier.action) + ")", value);
    }
  }

  if (!m.services.empty()) {
    out += sformat("\n%-24s %s\n", "service", "availability (mean)");
    for (std::size_t v = 0; v < m.services.size(); ++v) {
      out += sformat("  %-22s %s\n", service_name(m, v).c_str(),
                     nines(s.services[v].availability).c_str());
    }
  }
  return out;
}

// ---------------------------------------------------------------- JSON

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += sformat("\\u%04x", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// A JSON number with 15 significant digits; `null` for NaN and infinities.
std::string number(double v) { return std::isfinite(v) ? sformat("%.15g", v) : "null"; }

std::string interval_json(const Interval& iv) {
  return "{\"estimate\": " + number(iv.estimate) + ", \"low\": " + number(iv.low) +
         ", \"high\": " + number(iv.high) + "}";
}

std::string series_json(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i ? ", " : "") + (std::isfinite(values[i]) ? sformat("%.7g", values[i]) : "null");
  }
  return out + "]";
}

std::string json(const RunReport& r, const std::string& scenario_file) {
  const auto& m = r.model;
  const auto& s = r.summary;
  auto u64 = [](std::uint64_t v) { return std::to_string(v); };
  std::string out = "{\n";
  out += "  \"scenario\": " + quoted(m.names.scenario) + ",\n";
  out += "  \"scenarioFile\": " + quoted(scenario_file) + ",\n";
  out += "  \"system\": " + quoted(m.names.system) + ",\n";
  out += "  \"seed\": " + u64(r.seed) + ",\n";
  out += "  \"trials\": " + u64(r.total_trials) + ",\n";
  out += "  \"firstTrial\": " + u64(r.first_trial) + ",\n";
  out += "  \"trialsSummarised\": " + u64(s.trials) + ",\n";
  out += "  \"horizon\": " + quoted(horizon_text(m.horizon)) + ",\n";
  out += "  \"horizonSeconds\": " + number(m.horizon.to_seconds()) + ",\n";
  out += "  \"confidence\": " + number(s.confidence) + ",\n";
  out += "  \"events\": " + u64(s.events) + ",\n";
  out += "  \"eventsPerTrial\": " + number(s.events_per_trial) + ",\n";
  out += "  \"slos\": [";
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const auto& row = m.slos[k];
    const auto& x = s.slos[k];
    const auto& p95 = x.budget_consumed_p95;
    out += k ? ",\n" : "\n";
    out += "    {\n";
    out += "      \"name\": " + quoted(m.names.slos[k]) + ",\n";
    out += "      \"service\": " + quoted(m.names.components[row.component]) + ",\n";
    out += "      \"sli\": " + quoted(models::to_string(row.sli)) + ",\n";
    out += "      \"objective\": " + number(row.objective) + ",\n";
    out +=
        std::string("      \"window\": {\"kind\": ") +
        (row.window_kind == models::SloWindowKind::rolling ? "\"rolling\"" : "\"calendarMonth\"") +
        ", \"startSeconds\": " + number(x.window.start.to_seconds()) +
        ", \"lengthSeconds\": " + number(x.window.length.to_seconds()) + "},\n";
    out += "      \"attainment\": " + interval_json(x.attainment) + ",\n";
    out += "      \"met\": {\"trials\": " + u64(x.met) +
           ", \"probability\": " + interval_json(x.p_met) + "},\n";
    out += "      \"budgetConsumed\": {\"mean\": " + interval_json(x.budget_consumed) +
           ", \"p95\": {\"estimate\": " + number(p95.estimate) + ", \"low\": " + number(p95.low) +
           ", \"high\": " + number(p95.high) + ", \"lowerRank\": " + u64(p95.lower_rank) +
           ", \"upperRank\": " + u64(p95.upper_rank) + ", \"coverage\": " + number(p95.coverage) +
           "}},\n";
    out += "      \"budgetMinutes\": {\"mean\": " + interval_json(x.budget_minutes) +
           ", \"allowed\": " + number(x.budget_minutes_allowed) + "},\n";
    out += "      \"tiers\": [";
    for (std::size_t t = 0; t < x.tiers.size(); ++t) {
      const auto& tier = x.tiers[t];
      out += std::string(t ? ",\n" : "\n") +
             "        {\"action\": " + quoted(models::to_string(tier.action)) +
             ", \"remainingAbove\": " +
             (tier.remaining_above ? number(*tier.remaining_above) : "null") +
             ", \"trials\": " + u64(tier.reached) +
             ", \"probability\": " + interval_json(tier.probability) +
             ", \"firstReachedSeconds\": " + interval_json(tier.first_reached_seconds) + "}";
    }
    out += "\n      ],\n";
    const auto& rb = x.remaining_budget;
    out += "      \"remainingBudget\": {\"startSeconds\": " + number(rb.start.to_seconds()) +
           ", \"stepSeconds\": " + number(rb.step.to_seconds()) + ",\n";
    out += "        \"mean\": " + series_json(rb.mean) + ",\n";
    out += "        \"p05\": " + series_json(rb.p05) + ",\n";
    out += "        \"p95\": " + series_json(rb.p95) + "}\n";
    out += "    }";
  }
  out += m.slos.empty() ? "],\n" : "\n  ],\n";
  out += "  \"services\": [";
  for (std::size_t v = 0; v < m.services.size(); ++v) {
    out += std::string(v ? ",\n" : "\n") + "    {\"name\": " + quoted(service_name(m, v)) +
           ", \"availability\": " + interval_json(s.services[v].availability) + "}";
  }
  out += m.services.empty() ? "],\n" : "\n  ],\n";
  // Last, on one line: the only part that depends on the machine and threads.
  out += "  \"timing\": {\"wallSeconds\": " + number(r.wall_seconds) + ", \"trialsPerSecond\": " +
         number(r.wall_seconds > 0 ? static_cast<double>(s.trials) / r.wall_seconds : 0.0) +
         ", \"threads\": " + std::to_string(r.threads) + "}\n";
  return out + "}\n";
}

// ---------------------------------------------------------------- the command

/// Fails early (before running trials) when `path` cannot be written: its
/// directory is missing or not writable, or it is a directory.
void check_writable(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::error_code ec;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("cannot write '" + path + "': " + why);
  };
  if (!fs::is_directory(dir, ec)) fail("no directory '" + dir.string() + "'");
  if (fs::is_directory(p, ec)) fail("it is a directory");
  if (::access(dir.c_str(), W_OK) != 0) fail(std::strerror(errno));
}

void run(RunOptions o) {
  if (!(o.confidence > 0.0 && o.confidence < 1.0)) {
    throw std::invalid_argument("--confidence must be in (0, 1) (got " + number(o.confidence) +
                                ")");
  }
  sim::RunnerOptions ro;
  ro.shard = sim::parse_shard(o.shard);
  ro.threads = o.threads;
  ro.only_trial = o.trial_index;
  if (o.horizon) {
    sim::Duration h;
    try {
      h = sim::parse_duration(*o.horizon);
    } catch (const sim::DurationError& e) {
      throw std::invalid_argument(std::string("--horizon: ") + e.what());
    }
    if (h <= sim::Duration::zero()) {
      throw std::invalid_argument("--horizon must be positive (got '" + *o.horizon + "')");
    }
    // As an override, so the scenario's checks (a fault after the horizon)
    // see it; it comes last and so wins over a --set scenario.horizon.
    o.overrides.push_back("scenario.horizon=" + *o.horizon);
  }
  if (!o.output.empty()) check_writable(o.output);

  const auto resolved = models::load_scenario(o.scenario, o.overrides);
  const models::CompiledModel model = models::compile(resolved.system, resolved.scenario);
  ro.master_seed = o.seed.value_or(model.seed);
  ro.trials = o.trials.value_or(static_cast<std::uint64_t>(model.trials));
  if (ro.trials == 0) throw std::invalid_argument("--trials must be at least 1");

  const auto start = std::chrono::steady_clock::now();
  auto results = sim::run_trials<models::TrialResult>(ro, [&model]() {
    return [world = models::World(model)](std::uint64_t, std::uint64_t seed) mutable {
      return world.run(seed);
    };
  });
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (results.results.empty()) {
    throw std::invalid_argument("shard " + o.shard + " of " + std::to_string(ro.trials) +
                                " trials holds no trials");
  }

  RunReport report{model,
                   ro.master_seed,
                   ro.trials,
                   results.first_trial,
                   sim::detail::resolve_threads(ro.threads, results.results.size()),
                   wall,
                   analysis::summarize(model, results.results, o.confidence)};
  std::string out = o.format == "json" ? json(report, o.scenario) : text(report, o.scenario);
  if (o.format != "json") {
    out += analysis::format_incidents(
        model, analysis::summarize_incidents(model, results.results, o.confidence));
  }
  if (o.output.empty()) {
    std::cout << out << std::flush;
  } else {
    write_file_atomically(o.output, out);
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run the Monte Carlo trials of a Scenario and summarise them with confidence intervals:\n"
      "per SLO attainment, P(met), budget consumed (mean, p95), budget minutes and the\n"
      "budget-policy tiers reached; per service availability. See docs/results.md.");
  cmd->add_option("scenario", opts->scenario, "Scenario file (YAML)")->required();
  cmd->add_option("--trials", opts->trials, "Number of trials (default: the scenario's)");
  cmd->add_option("--seed", opts->seed, "Master seed (default: the scenario's)");
  cmd->add_option("--threads", opts->threads, "Worker threads (0: all cores)")
      ->capture_default_str();
  cmd->add_option("--horizon", opts->horizon,
                  "Simulated time per trial, e.g. 7d (default: the scenario's)");
  cmd->add_option("--set", opts->overrides,
                  "Override a value, e.g. services.payment-api.replicas=8 or "
                  "scenario.horizon=7d (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--shard", opts->shard, "Run only shard i of n (i/n)")->capture_default_str();
  cmd->add_option("--trial-index", opts->trial_index,
                  "Replay one trial alone (as printed by a failed run)");
  cmd->add_option("--confidence", opts->confidence, "Confidence level of intervals")
      ->capture_default_str();
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output,
                  "Write to this file (atomically) instead of standard output");
  cmd->callback([opts] { run(*opts); });
}

}  // namespace relsim::cli
