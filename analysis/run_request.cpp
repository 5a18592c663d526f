// Running a scenario to a summary (see run_request.hpp).
#include "analysis/run_request.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <stdexcept>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "analysis/summary_figures.hpp"
#include "analysis/text_format.hpp"
#include "analysis/trial_row.hpp"
#include "models/world.hpp"

namespace relsim::analysis {

namespace {

/// A long run hands the allocator's free pages back to the system every
/// this many blocks: each block's results are freed while the quantile
/// sketches' pages, allocated among them, live on, and the holes between
/// stayed resident, so peak RSS crept up with the trial count (payments:
/// 1.23x from 2,000 to 200,000 trials; docs/scaling.md, "Memory over many
/// trials"). Every 8 blocks costs about 1 % of a long run's CPU.
constexpr std::uint64_t kTrimEveryBlocks = 8;

void release_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

/// Fewest observed events a probability's relative stopping rule waits for (of the
/// rarer outcome: breaches for P(not met), or trials that met it when
/// P(met) is small); docs/results.md, "Stopping".
constexpr std::uint64_t kMinEvents = 10;
constexpr std::uint64_t kNoEventCount = std::numeric_limits<std::uint64_t>::max();

/// The report keeps the times to resolve of the run's first this many
/// resolved incidents (the MTTR chart).
constexpr std::size_t kReportResolveTimes = 100000;

bool relative(const models::StoppingRule& rule) { return rule.relative_half_width.has_value(); }

double target_width(const models::StoppingRule& rule) {
  return rule.relative_half_width ? *rule.relative_half_width
                                  : rule.absolute_half_width.value_or(0.0);
}

/// The half-width the rule reads from `f` (relative to |estimate| for rel);
/// +inf when the interval is unbounded or the estimate undefined.
double rule_width(const models::StoppingRule& rule, const FigureRow& f) {
  const double inf = std::numeric_limits<double>::infinity();
  if (!std::isfinite(f.low) || !std::isfinite(f.high) || !std::isfinite(f.estimate)) return inf;
  const double half = (f.high - f.low) / 2.0;
  if (!relative(rule)) return half;
  return f.estimate != 0.0 ? half / std::fabs(f.estimate) : (half == 0.0 ? 0.0 : inf);
}

/// The count of the rarer outcome behind a probability figure (`wilson`
/// or `wilson_by_trial`); kNoEventCount for other figures.
std::uint64_t rare_events(const FigureRow& f) {
  if (f.method != "wilson" && f.method != "wilson_by_trial") return kNoEventCount;
  if (!std::isfinite(f.estimate)) return 0;
  const auto k = static_cast<std::uint64_t>(std::llround(f.estimate * static_cast<double>(f.n)));
  return std::min(k, f.n - std::min(k, f.n));
}

std::string width_text(const models::StoppingRule& rule, double width) {
  if (!std::isfinite(width)) return "n/a";
  return relative(rule) ? shortest(std::round(width * 1e4) / 1e2) + " %" : shortest(width);
}

/// The rule a request runs by, with its text for messages; nullopt for a
/// fixed trial count.
struct Stop {
  models::StoppingRule rule;
  std::string text;
};

std::optional<Stop> stop_of(const RunRequest& r) {
  if (r.until) return Stop{*r.until, r.until_text};
  // The scenario's stopping rule applies to a whole run given no --trials; a
  // shard, a replayed trial or an MPI rank runs the scenario's trial count.
  const bool whole_run = !r.trials && !r.trial_index && r.shard.count == 1 && r.mpi.ranks == 1;
  if (!whole_run || !r.scenario_until || r.scenario_until->metric.empty()) return std::nullopt;
  const models::StoppingRule& u = *r.scenario_until;
  return Stop{u, u.metric + (relative(u) ? ":rel=" : ":abs=") + shortest(target_width(u)) +
                     " (the scenario's until)"};
}

}  // namespace

models::StoppingRule parse_until(const std::string& spec) {
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("--until '" + spec + "': " + why +
                                 " (expected FIGURE:rel=5% or FIGURE:abs=0.01)");
  };
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0) throw bad("no ':'");
  models::StoppingRule r;
  r.metric = spec.substr(0, colon);
  const std::string kind = spec.substr(colon + 1);
  const auto eq = kind.find('=');
  if (eq == std::string::npos) throw bad("no '='");
  const std::string what = kind.substr(0, eq);
  std::string value = kind.substr(eq + 1);
  if (what != "rel" && what != "abs") throw bad("'" + what + "' is neither rel nor abs");
  bool percent = false;
  if (!value.empty() && value.back() == '%') {
    percent = true;
    value.pop_back();
  }
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !(v > 0.0) || !std::isfinite(v)) {
    throw bad("the width must be a positive number");
  }
  (what == "rel" ? r.relative_half_width : r.absolute_half_width) = percent ? v / 100.0 : v;
  return r;
}

std::vector<std::string> mpi_part_paths(const std::optional<ExportTarget>& target, std::uint64_t id,
                                        std::uint32_t ranks) {
  namespace fs = std::filesystem;
  const fs::path dir =
      target ? fs::absolute(fs::path(target->path)).parent_path() : fs::temp_directory_path();
  std::vector<std::string> parts;
  for (std::uint32_t r = 0; r < ranks; ++r) {
    parts.push_back(
        (dir / ("relsim-mpi-" + std::to_string(id) + "-rank-" + std::to_string(r) + ".part.h5"))
            .string());
  }
  return parts;
}

void check_request(const RunRequest& request) {
  if (!(request.confidence > 0.0 && request.confidence < 1.0)) {
    throw std::invalid_argument("--confidence must be in (0, 1) (got " +
                                shortest(request.confidence) + ")");
  }
  if (request.batch && *request.batch == 0) {
    throw std::invalid_argument("--batch must be at least 1");
  }
}

namespace {

struct Resolved {
  sim::RunnerOptions runner;
  std::optional<Stop> stop;
};

Resolved resolve(const models::CompiledModel& model, const RunRequest& request) {
  check_request(request);
  Resolved out;
  std::optional<Stop>& stop = out.stop;
  stop = stop_of(request);
  sim::RunnerOptions& ro = out.runner;
  ro.shard = request.shard;
  ro.threads = request.threads;
  ro.only_trial = request.trial_index;
  ro.master_seed = request.seed.value_or(model.seed);
  if (request.mpi.ranks > 1) {
    if (stop) {
      throw std::invalid_argument(
          "--until (or the scenario's until) is not supported across MPI ranks; give --trials");
    }
    if (request.shard.count != 1 || request.trial_index) {
      throw std::invalid_argument(
          "--shard and --trial-index do not go with mpirun (each rank "
          "already runs shard rank/size)");
    }
    ro.shard = {request.mpi.rank, request.mpi.ranks};
  }
  if (stop) {
    if (request.max_trials) stop->rule.max_trials = static_cast<std::int64_t>(*request.max_trials);
    if (request.trials) {
      throw std::invalid_argument("--trials and --until do not go together (use --max-trials)");
    }
    if (ro.shard.count != 1 || request.trial_index) {
      throw std::invalid_argument(
          "--until stops a whole run; it cannot be combined with --shard or --trial-index");
    }
    if (stop->rule.max_trials <= 0) throw std::invalid_argument("--max-trials must be at least 1");
    ro.trials = static_cast<std::uint64_t>(stop->rule.max_trials);
  } else {
    ro.trials = request.trials.value_or(static_cast<std::uint64_t>(model.trials));
  }
  if (ro.trials == 0) throw std::invalid_argument("--trials must be at least 1");
  const sim::TrialRange range = sim::selected_trials(ro);
  if (range.size() == 0) {
    throw std::invalid_argument("shard " + std::to_string(ro.shard.index) + "/" +
                                std::to_string(ro.shard.count) + " of " +
                                std::to_string(ro.trials) + " trials holds no trials");
  }
  return out;
}

}  // namespace

sim::RunnerOptions runner_options(const models::CompiledModel& model, const RunRequest& request) {
  return resolve(model, request).runner;
}

RunOutcome run_scenario(const models::CompiledModel& model, const RunRequest& request,
                        RunObserver* observer) {
  RunObserver quiet;
  RunObserver& watch = observer != nullptr ? *observer : quiet;
  Resolved resolved = resolve(model, request);
  const sim::RunnerOptions& ro = resolved.runner;
  const std::optional<Stop>& stop = resolved.stop;
  const bool mpi = request.mpi.ranks > 1;
  const sim::TrialRange range = sim::selected_trials(ro);

  RunOutcome out;
  out.master_seed = ro.master_seed;
  out.first_trial = range.begin;
  RunMeta meta = request.meta;
  meta.seed = ro.master_seed;
  meta.trials = ro.trials;
  meta.confidence = request.confidence;
  meta.shard_index = request.trial_index ? 0 : ro.shard.index;
  meta.shard_count = request.trial_index ? 1 : ro.shard.count;
  meta.first_trial = range.begin;
  meta.trial_count = range.size();

  const std::optional<ExportTarget> own_target =
      mpi ? std::optional<ExportTarget>({request.mpi.part, ExportFormat::hdf5}) : request.target;
  // The incident extras, streamed (no incident is kept).
  IncidentSummaryAccumulator incident_extras(model, request.confidence);
  const bool envelopes = own_target || request.envelopes;
  ResultsWriter writer(model, meta, own_target, envelopes);
  const std::uint64_t batch = request.batch.value_or(
      stop ? block_trials(model)
           : run_block_trials(model, sim::detail::resolve_threads(ro.threads, range.size())));
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t blocks_done = 0;
  sim::run_trials_in_blocks<models::TrialResult>(
      ro, batch,
      [&model, &watch]() {
        return [world = models::World(model), &watch](std::uint64_t, std::uint64_t seed) mutable {
          if (watch.stop_requested()) return models::TrialResult{};  // the block is thrown away
          auto r = world.run(seed);
          watch.trial_done();
          return r;
        };
      },
      [&](sim::TrialResults<models::TrialResult>&& block) {
        if (watch.stop_requested()) return false;
        if (++blocks_done % kTrimEveryBlocks == 0) release_free_memory();
        writer.record(to_block(model, block.results, block.first_trial));
        // What the incident extras and the report need: incidents, pages, deploys.
        for (const models::TrialResult& t : block.results) {
          incident_extras.add(t);
          if (request.report_resolve_times &&
              out.report.resolve_minutes.size() < kReportResolveTimes) {
            add_resolve_times(out.report, t.incidents);
          }
        }
        if (!stop) return true;
        const models::StoppingRule& rule = stop->rule;
        const auto figures = summary_figures(model, writer.snapshot());
        const FigureRow* f = find_figure(figures, rule.metric);
        if (f == nullptr) {
          throw std::invalid_argument(stop->text + ": no figure '" + rule.metric +
                                      "' (use a name from the summary table of docs/export.md, "
                                      "or mttr, ttd, tta, ttm, p_slo_met, p_slo_not_met, "
                                      "attainment, budget_consumed, availability, pages)");
        }
        const double width = rule_width(rule, *f);
        const double target = target_width(rule);
        // A probability stops only once both outcomes were seen kMinEvents
        // times: a rare event's interval is narrow by chance before that.
        // (`abs` targets bound a probability honestly at any count: 0 in 300
        // trials gives [0, 1.3 %]; the rule is for `rel`.)
        const std::uint64_t events = relative(rule) ? rare_events(*f) : kNoEventCount;
        const bool enough_events = events >= kMinEvents;
        watch.note((relative(rule) ? "rel half-width " : "half-width ") + width_text(rule, width) +
                   " (target " + width_text(rule, target) + ")" +
                   (enough_events ? std::string()
                                  : "; " + std::to_string(events) + " of " +
                                        std::to_string(kMinEvents) + " events"));
        const std::uint64_t done = writer.trials();
        const auto min_trials = static_cast<std::uint64_t>(rule.min_trials);
        if (done >= min_trials && f->n == 0) {
          // E.g. mttr of a model whose trials record no incidents: more
          // trials would not make an interval appear.
          out.stop_note = "stopped at " + std::to_string(done) + " trials: " + rule.metric +
                          " has no observations (" + stop->text + " cannot be met)";
          return false;
        }
        const std::string event_note =
            events == kNoEventCount ? std::string()
                                    : "; " + std::to_string(events) + " of the rarer outcome, " +
                                          std::to_string(kMinEvents) + " needed";
        if (done >= min_trials && width <= target && enough_events) {
          out.stop_note = "stopped at " + std::to_string(done) + " trials: " + rule.metric +
                          " half-width " + width_text(rule, width) +
                          " <= " + width_text(rule, target) + " (" + stop->text + ")" + event_note;
          return false;
        }
        if (done >= static_cast<std::uint64_t>(rule.max_trials)) {
          out.stop_note = "stopped at the cap of " + std::to_string(done) +
                          " trials: " + rule.metric + " half-width " + width_text(rule, width) +
                          (width <= target ? " <= " : " > ") + width_text(rule, target) + " (" +
                          stop->text + ")" + event_note;
        }
        return true;
      });
  if (watch.stop_requested()) {
    out.stopped = true;  // the writer's temporaries go with it
    return out;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  out.trials_done = writer.trials();
  if (stop) meta.trials = out.trials_done;  // a stopped run is a run of this many trials
  writer.set_trials(meta.trials, out.trials_done);
  out.summary = writer.summarize();
  out.timing = Timing{wall, sim::detail::resolve_threads(ro.threads, range.size())};
  writer.commit(out.summary, out.timing);
  out.meta = writer.meta();
  out.incidents = incident_extras.finish();
  return out;
}

}  // namespace relsim::analysis
