// Trial rows (see trial_row.hpp).
#include "analysis/trial_row.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/slo_ledger.hpp"

namespace relsim::analysis {

namespace {

void check_shape(const models::CompiledModel& model, const models::TrialResult& r,
                 std::uint64_t index) {
  auto bad = [&](const std::string& what) {
    throw std::invalid_argument("trial result " + std::to_string(index) + " has " + what +
                                " (the model has " + std::to_string(model.slos.size()) + " SLOs, " +
                                std::to_string(model.services.size()) + " services, " +
                                std::to_string(model.budget_policy.size()) + " budget tiers)");
  };
  if (r.slos.size() != model.slos.size()) bad(std::to_string(r.slos.size()) + " SLOs");
  if (r.services.size() != model.services.size())
    bad(std::to_string(r.services.size()) + " services");
  if (!r.teams.empty() && r.teams.size() != model.teams.size())
    bad(std::to_string(r.teams.size()) + " teams");
  for (const auto& s : r.slos) {
    if (s.tier_reached.size() != model.budget_policy.size())
      bad(std::to_string(s.tier_reached.size()) + " budget tiers");
  }
}

double seconds_or_nan(sim::Duration d) {
  return d == models::kNever ? std::numeric_limits<double>::quiet_NaN() : d.to_seconds();
}

}  // namespace

const char* incident_cause_name(std::uint8_t cause) {
  static constexpr const char* kNames[kIncidentCauses] = {
      "replica_crash", "zone_outage",    "datastore_failure", "cache_failure",
      "bad_deploy",    "injected_fault", "overload"};
  return cause < kIncidentCauses ? kNames[cause] : "unknown";
}

void append_incidents(const models::TrialResult& r, std::uint64_t trial, TrialBlock& block) {
  std::vector<IncidentRecord>& out = block.incidents;
  const std::size_t first = out.size();
  for (const auto& i : r.incidents) {
    IncidentRecord x;
    x.cause_component = i.cause_component;
    x.cause_zone = i.cause_zone;
    x.runbook = i.runbook;
    x.trial = trial;
    x.id = i.id;
    x.service = i.service;
    x.cause_index = i.cause_index;
    x.team = i.team;
    x.cause = static_cast<std::uint8_t>(i.cause);
    x.severity = i.severity;
    x.human_needed = i.human_needed ? 1 : 0;
    x.escalations = i.escalations;
    x.steps_tried = i.steps_tried;
    x.start_s = seconds_or_nan(i.start);
    x.detected_s = seconds_or_nan(i.detected);
    x.paged_s = seconds_or_nan(i.paged);
    x.acked_s = seconds_or_nan(i.acked);
    x.mitigated_s = seconds_or_nan(i.mitigated);
    x.resolved_s = seconds_or_nan(i.resolved);
    x.responding_s = seconds_or_nan(i.responding);
    x.requests_failed = i.requests_failed;
    x.budget_consumed = i.budget_consumed;
    out.push_back(x);
  }
  for (const auto& v : r.impacts) {
    if (v.incident < r.incidents.size()) ++out[first + v.incident].impacts;
    block.impacts.push_back({trial, v.incident, v.service, seconds_or_nan(v.impaired),
                             seconds_or_nan(v.recovered), v.requests_failed});
  }
  for (const auto& c : r.incident_slos) {
    if (c.incident < r.incidents.size()) ++out[first + c.incident].slo_costs;
    block.incident_slos.push_back({trial, c.incident, c.slo, c.bad, c.budget_consumed});
  }
}

namespace {

sim::Duration duration_or_never(double seconds) {
  if (std::isnan(seconds)) return models::kNever;
  // Seconds were written as µs / 1e6; rounding recovers the microseconds.
  return sim::Duration::micros(std::llround(seconds * 1e6));
}

}  // namespace

models::IncidentRow incident_row_of(const IncidentRecord& r) {
  models::IncidentRow i;
  i.id = r.id;
  i.service = r.service;
  i.cause = static_cast<models::IncidentCause>(r.cause);
  i.cause_index = r.cause_index;
  i.severity = r.severity;
  i.start = duration_or_never(r.start_s);
  i.detected = duration_or_never(r.detected_s);
  i.paged = duration_or_never(r.paged_s);
  i.acked = duration_or_never(r.acked_s);
  i.mitigated = duration_or_never(r.mitigated_s);
  i.resolved = duration_or_never(r.resolved_s);
  i.responding = duration_or_never(r.responding_s);
  i.escalations = r.escalations;
  i.team = r.team;
  i.steps_tried = r.steps_tried;
  i.requests_failed = r.requests_failed;
  i.budget_consumed = r.budget_consumed;
  i.human_needed = r.human_needed != 0;
  i.cause_component = r.cause_component;
  i.cause_zone = r.cause_zone;
  i.runbook = r.runbook;
  return i;
}

models::IncidentImpact incident_impact_of(const ImpactRecord& r) {
  return {r.incident, r.service, duration_or_never(r.impaired_s), duration_or_never(r.recovered_s),
          r.requests_failed};
}

models::IncidentSloCost incident_slo_cost_of(const IncidentSloRecord& r) {
  return {r.incident, r.slo, r.bad_requests, r.budget_consumed};
}

void incidents_of(const TrialBlock& block, std::size_t first, std::size_t count,
                  std::size_t& impact, std::size_t& cost, models::TrialResult& out) {
  out.incidents.clear();
  out.impacts.clear();
  out.incident_slos.clear();
  for (std::size_t k = first; k < first + count && k < block.incidents.size(); ++k) {
    const IncidentRecord& r = block.incidents[k];
    out.incidents.push_back(incident_row_of(r));
    for (std::uint32_t j = 0; j < r.impacts && impact < block.impacts.size(); ++j) {
      out.impacts.push_back(incident_impact_of(block.impacts[impact++]));
    }
    for (std::uint32_t j = 0; j < r.slo_costs && cost < block.incident_slos.size(); ++j) {
      out.incident_slos.push_back(incident_slo_cost_of(block.incident_slos[cost++]));
    }
  }
}

std::string incident_cause_subject(const models::CompiledModel& model,
                                   const models::IncidentRow& r) {
  const auto& names = model.names;
  if (r.cause == models::IncidentCause::zone_outage) {
    return r.cause_zone < names.zones.size() ? names.zones[r.cause_zone] : std::string();
  }
  if (r.cause == models::IncidentCause::injected_fault && r.cause_index < names.faults.size()) {
    return names.faults[r.cause_index];
  }
  if (r.cause_component < names.components.size()) return names.components[r.cause_component];
  return {};
}

namespace {

/// About what one trial's results take: the series of every SLO (float
/// samples over its window, models/slo_ledger.cpp) and the rows, counted
/// twice: the runner's results and the block made from them.
std::uint64_t trial_bytes(const models::CompiledModel& model) {
  std::uint64_t bytes = 256;
  for (std::size_t s = 0; s < model.slos.size(); ++s) {
    const sim::Duration start = models::slo_window_start(model, model.slos[s], model.horizon);
    const sim::Duration length = model.horizon - start;
    const sim::Duration step = models::budget_series_step(length);
    const std::int64_t samples =
        step > sim::Duration::zero()
            ? (length.count_micros() + step.count_micros() - 1) / step.count_micros() + 1
            : 1;
    bytes += static_cast<std::uint64_t>(samples) * sizeof(float) + 128 +
             model.budget_policy.size() * 2 * sizeof(double);
  }
  bytes += model.services.size() * 2 * sizeof(ServiceTrialRow);
  bytes += model.teams.size() * 2 * sizeof(TeamTrialRow);
  return bytes * 2;
}

}  // namespace

std::uint64_t block_trials(const models::CompiledModel& model) {
  const std::uint64_t bytes = trial_bytes(model);
  std::uint64_t n = kResultsChunkTrials;
  while (n > 1 && n * bytes > kBlockBytes) n /= 2;
  return n;
}

std::uint64_t run_block_trials(const models::CompiledModel& model, unsigned threads) {
  const std::uint64_t bytes = trial_bytes(model);
  const std::uint64_t chunk = block_trials(model);
  std::uint64_t n = chunk;
  while (n > 1 && n * bytes > kRunBlockBytes) n /= 2;
  const std::uint64_t balanced = std::uint64_t{kRunBlockTrialsPerThread} * std::max(1u, threads);
  return std::min(chunk, std::max(n, balanced));
}

TrialLayout trial_layout(const models::CompiledModel& model) {
  TrialLayout out;
  out.slos = model.names.slos;
  for (std::size_t t = 0; t < model.budget_policy.size(); ++t) {
    const std::string action = models::to_string(model.budget_policy[t].action);
    const auto repeated = std::count_if(
        model.budget_policy.begin(), model.budget_policy.end(),
        [&](const models::BudgetTierRow& row) { return models::to_string(row.action) == action; });
    out.tiers.push_back(repeated > 1 ? action + "_" + std::to_string(t) : action);
  }
  for (const auto& s : model.services) out.services.push_back(model.names.components[s.component]);
  out.teams = model.names.teams;
  return out;
}

TrialRow to_row(const models::CompiledModel& model, const models::TrialResult& r,
                std::uint64_t trial) {
  check_shape(model, r, trial);
  TrialRow row;
  row.trial = trial;
  row.events = r.events;
  row.deploys = r.deploys;
  row.incidents = static_cast<std::uint32_t>(r.incidents.size());
  row.slos.reserve(r.slos.size());
  for (const auto& x : r.slos) {
    SloTrialRow s{x.good,
                  x.total,
                  x.attainment,
                  x.met,
                  x.budget_consumed,
                  x.budget_minutes,
                  x.incident_budget_consumed,
                  {}};
    s.tier_reached_s.reserve(x.tier_reached.size());
    for (const auto& t : x.tier_reached) {
      s.tier_reached_s.push_back(t ? t->to_seconds() : std::numeric_limits<double>::quiet_NaN());
    }
    row.slos.push_back(std::move(s));
  }
  row.services.reserve(r.services.size());
  for (const auto& v : r.services) row.services.push_back({v.good, v.total, v.availability()});
  row.teams.resize(model.teams.size());
  for (std::size_t t = 0; t < r.teams.size(); ++t) {
    const auto& x = r.teams[t];
    row.teams[t] = {x.pages, x.pages_at_night, x.noise_pages, x.tickets, x.shifts};
    row.pages += x.pages;
  }
  return row;
}

TrialBlock to_block(const models::CompiledModel& model,
                    const std::vector<models::TrialResult>& results, std::uint64_t first_trial) {
  TrialBlock block;
  block.rows.reserve(results.size());
  // The block's incident tables in one allocation each (no regrowth copies).
  std::size_t incidents = 0, impacts = 0, incident_slos = 0;
  for (const models::TrialResult& r : results) {
    incidents += r.incidents.size();
    impacts += r.impacts.size();
    incident_slos += r.incident_slos.size();
  }
  block.incidents.reserve(block.incidents.size() + incidents);
  block.impacts.reserve(block.impacts.size() + impacts);
  block.incident_slos.reserve(block.incident_slos.size() + incident_slos);
  for (std::size_t i = 0; i < results.size(); ++i) {
    block.rows.push_back(to_row(model, results[i], first_trial + i));
    append_incidents(results[i], first_trial + i, block);
  }
  block.series.resize(model.slos.size());
  for (std::size_t s = 0; s < model.slos.size(); ++s) {
    if (results.empty()) break;
    const std::size_t length = results.front().slos[s].remaining_budget.size();
    auto& m = block.series[s];
    m.reserve(results.size() * length);
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& series = results[i].slos[s].remaining_budget;
      if (series.size() != length) {
        throw std::invalid_argument("trial result " + std::to_string(first_trial + i) + " has " +
                                    std::to_string(series.size()) +
                                    " remaining-budget samples for SLO " + std::to_string(s) +
                                    " (trial " + std::to_string(first_trial) + " has " +
                                    std::to_string(length) + ")");
      }
      m.insert(m.end(), series.begin(), series.end());
    }
  }
  return block;
}

}  // namespace relsim::analysis
