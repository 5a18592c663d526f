// The compile step: System + Scenario (or GameDay) -> CompiledModel. The
// checks run first (topology, model_checks); model_tables.cpp fills the tables.
#include "models/compiled_model.hpp"

#include <algorithm>

#include "models/limits.hpp"
#include "models/model_checks.hpp"
#include "models/model_tables.hpp"

namespace relsim::models {

const std::string* ModelNames::stream(std::uint64_t id) const {
  for (const auto& s : streams) {
    if (s.id == id) return &s.name;
  }
  return nullptr;
}

int initial_replicas(int replicas, int zones, int slot) {
  if (zones <= 0 || slot >= replicas) return 0;
  return (replicas - slot + zones - 1) / zones;
}

Index CompiledModel::find_component(std::string_view name) const {
  for (Index c = 0; c < names.components.size(); ++c) {
    if (names.components[c] == name) return c;
  }
  return kNoIndex;
}

namespace {

using detail::PendingFault;

void throw_if_any(std::vector<Diagnostic> problems) {
  if (problems.size() > kMaxErrors) problems.resize(kMaxErrors);
  if (!problems.empty()) throw InputError(std::move(problems));
}

void append(std::vector<Diagnostic>& to, std::vector<Diagnostic> more) {
  to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace

CompiledModel compile(const System& system, const Scenario& scenario) {
  const Topology topology = Topology::build(system);
  std::vector<Diagnostic> problems = system_problems(system, topology);
  std::vector<PendingFault> faults;
  for (const auto& f : scenario.inject) {
    append(problems, fault_problems(system, topology, f, scenario.horizon));
    const auto start = f.at ? resolve_time(*f.at, system.calendar) : std::nullopt;
    if (!f.at) problems.push_back({f.location, "fault '" + f.name + "' has no 'at' time"});
    if (start) faults.push_back({&f, *start});
  }
  throw_if_any(std::move(problems));
  CompiledModel m = detail::build_tables(system, topology, faults);
  m.horizon = scenario.horizon;
  m.seed = scenario.seed;
  m.trials = scenario.trials;
  m.random_failures = scenario.random_failures;
  m.random_deploys = scenario.random_deploys;
  m.names.scenario = scenario.name;
  return m;
}

std::vector<sim::Duration> candidate_start_offsets(const System& system, const GameDay& game_day) {
  std::vector<Diagnostic> problems;
  std::vector<sim::Duration> out;
  auto resolve = [&](const TimeSpec& t) {
    auto offset = resolve_time(t, system.calendar);
    if (!offset) {
      problems.push_back(
          {t.location, "candidate start '" + t.text + "' is before the calendar start"});
    }
    return offset;
  };
  const CandidateStarts& cs = game_day.candidate_starts;
  for (const auto& t : cs.at) {
    if (auto offset = resolve(t)) out.push_back(*offset);
  }
  if (cs.window) {
    const auto from = resolve(cs.window->from);
    const auto to = resolve(cs.window->to);
    // The limit before the list is built (models/limits.hpp).
    const std::int64_t steps =
        from && to && *to >= *from && cs.window->every > sim::Duration::zero()
            ? (*to - *from).count_micros() / cs.window->every.count_micros() + 1
            : 0;
    if (steps + static_cast<std::int64_t>(out.size()) > kMaxCandidateStarts) {
      problems.push_back(
          {cs.location,
           "candidateStarts: " + std::to_string(steps + static_cast<std::int64_t>(out.size())) +
               " candidate starts, above " + std::to_string(kMaxCandidateStarts) +
               limit_note("candidate starts") + "; use a longer 'every' or a shorter window"});
    } else if (from && to && cs.window->every > sim::Duration::zero()) {
      for (sim::Duration t = *from; t <= *to; t += cs.window->every) {
        if (!cs.window->business_hours_only || system.calendar.in_business_hours(t))
          out.push_back(t);
      }
    }
  }
  if (out.empty() && game_day.experiment.at && problems.empty()) {
    if (auto offset = resolve(*game_day.experiment.at)) out.push_back(*offset);
  }
  if (out.empty() && problems.empty()) {
    problems.push_back({cs.location.known() ? cs.location : game_day.location,
                        "game day '" + game_day.name + "' has no candidate start time" +
                            (cs.window && cs.window->business_hours_only
                                 ? " (no step of the window falls in business hours)"
                                 : "")});
  }
  throw_if_any(std::move(problems));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

CompiledModel compile(const System& system, const GameDay& game_day) {
  const Topology topology = Topology::build(system);
  std::vector<Diagnostic> problems = system_problems(system, topology);
  append(problems, fault_problems(system, topology, game_day.experiment, std::nullopt));
  throw_if_any(std::move(problems));
  const auto starts = candidate_start_offsets(system, game_day);
  CompiledModel m =
      detail::build_tables(system, topology, {{&game_day.experiment, starts.front()}});
  m.horizon = starts.back() + game_day.observe;
  m.seed = game_day.seed;
  m.trials = game_day.trials;
  m.candidate_starts = starts;
  m.names.scenario = game_day.name;
  return m;
}

}  // namespace relsim::models