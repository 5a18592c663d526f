// The streaming run summary (see summary_accumulator.hpp).
#include "analysis/summary_accumulator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/slo_ledger.hpp"

namespace relsim::analysis {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

BudgetSeriesSummary budget_envelope(std::uint64_t trials, std::size_t samples,
                                    const SeriesColumnReader& read) {
  BudgetSeriesSummary out;
  if (trials == 0 || samples == 0) return out;
  out.mean.resize(samples);
  out.p05.resize(samples);
  out.p95.resize(samples);
  std::vector<float> block;
  std::vector<double> column(trials);
  for (std::size_t first = 0; first < samples; first += kEnvelopeColumns) {
    const std::size_t count = std::min(kEnvelopeColumns, samples - first);
    read(first, count, block);
    if (block.size() != trials * count) {
      throw std::runtime_error("budget envelope: read " + std::to_string(block.size()) +
                               " values for " + std::to_string(trials) + " trials × " +
                               std::to_string(count) + " samples");
    }
    for (std::size_t c = 0; c < count; ++c) {
      double sum = 0.0;
      for (std::uint64_t i = 0; i < trials; ++i) {
        column[i] = static_cast<double>(block[i * count + c]);
        sum += column[i];
      }
      out.mean[first + c] = sum / static_cast<double>(trials);
      out.p05[first + c] = empirical_quantile(column, 0.05);
      out.p95[first + c] = empirical_quantile(column, 0.95);
    }
  }
  return out;
}

SummaryAccumulator::SummaryAccumulator(const models::CompiledModel& model, double confidence)
    : model_(model), confidence_(confidence) {
  if (!(confidence > 0.0 && confidence < 1.0))
    throw std::invalid_argument("summarize: need 0 < confidence < 1");
  slos_.resize(model.slos.size());
  for (auto& s : slos_) {
    s.reached.assign(model.budget_policy.size(), 0);
    s.reached_at.resize(model.budget_policy.size());
  }
  availability_.resize(model.services.size());
  teams_.resize(model.teams.size());
}

void SummaryAccumulator::add(const TrialBlock& block) {
  const IncidentRecord* next = block.incidents.data();
  const IncidentRecord* const end = next + block.incidents.size();
  for (const auto& row : block.rows) {
    const IncidentRecord* first = next;
    while (next != end && next->trial == row.trial) ++next;
    if (static_cast<std::size_t>(next - first) != row.incidents) {
      throw std::invalid_argument("summarize: trial " + std::to_string(row.trial) + " counts " +
                                  std::to_string(row.incidents) + " incidents, the block has " +
                                  std::to_string(next - first));
    }
    add_row(row, first, next);
  }
  if (next != end) {
    throw std::invalid_argument("summarize: an incident of trial " + std::to_string(next->trial) +
                                " is not in trial order or has no row in its block");
  }
}

void SummaryAccumulator::add_row(const TrialRow& row, const IncidentRecord* first,
                                 const IncidentRecord* last) {
  const std::size_t tiers = model_.budget_policy.size();
  bool ok = row.slos.size() == slos_.size() && row.services.size() == availability_.size() &&
            row.teams.size() == teams_.size();
  for (const auto& x : row.slos) ok = ok && x.tier_reached_s.size() == tiers;
  if (!ok) {
    throw std::invalid_argument("summarize: trial " + std::to_string(row.trial) +
                                " does not have the model's shape (SLOs, services, teams, tiers)");
  }
  ++trials_;
  events_ += row.events;
  for (std::size_t s = 0; s < slos_.size(); ++s) {
    const auto& x = row.slos[s];
    auto& st = slos_[s];
    st.attainment.add(x.attainment);
    st.consumed.add(x.budget_consumed);
    st.minutes.add(x.budget_minutes);
    st.consumed_values.push_back(x.budget_consumed);
    st.met += x.met ? 1 : 0;
    for (std::size_t t = 0; t < tiers; ++t) {
      if (!std::isnan(x.tier_reached_s[t])) {
        ++st.reached[t];
        st.reached_at[t].add(x.tier_reached_s[t]);
      }
    }
  }
  for (std::size_t v = 0; v < availability_.size(); ++v) {
    availability_[v].add(row.services[v].availability);
  }
  pages_.add(static_cast<double>(row.pages));
  for (std::size_t t = 0; t < teams_.size(); ++t) {
    const auto& x = row.teams[t];
    auto& st = teams_[t];
    st.pages.add(static_cast<double>(x.pages));
    if (x.shifts > 0.0) st.per_shift.add(static_cast<double>(x.pages) / x.shifts);
    st.night.add(static_cast<double>(x.pages_at_night));
    st.noise.add(static_cast<double>(x.noise_pages));
    st.tickets.add(static_cast<double>(x.tickets));
  }
  std::array<std::uint64_t, kSeverityGroups> counts{};
  for (const IncidentRecord* i = first; i != last; ++i) {
    const std::size_t sev = i->severity >= 1 && i->severity <= 4 ? i->severity : 0;
    for (const std::size_t g : {std::size_t{0}, sev}) {
      auto& st = groups_[g];
      ++counts[g];
      ++st.incidents;
      st.human_needed += i->human_needed ? 1 : 0;
      const std::array<double, kIncidentMetrics> d = {i->mttr_s(), i->ttd_s(), i->tta_s(),
                                                      i->ttm_s()};
      for (std::size_t m = 0; m < kIncidentMetrics; ++m) {
        if (std::isnan(d[m])) continue;
        st.durations[m].mean.add(d[m]);
        st.durations[m].values.push_back(d[m]);
      }
      if (sev == 0) break;  // severity none: only in `all`
    }
  }
  for (std::size_t g = 0; g < kSeverityGroups; ++g) {
    groups_[g].per_trial.add(static_cast<double>(counts[g]));
  }
}

RunSummary SummaryAccumulator::snapshot() const {
  return finish(std::vector<BudgetSeriesSummary>(slos_.size()));
}

RunSummary SummaryAccumulator::finish(std::vector<BudgetSeriesSummary> envelopes) const {
  if (envelopes.size() != slos_.size())
    throw std::invalid_argument("summarize: need one remaining-budget envelope per SLO");
  RunSummary out;
  out.confidence = confidence_;
  out.trials = trials_;
  out.events = events_;
  out.events_per_trial =
      trials_ == 0 ? kNaN : static_cast<double>(events_) / static_cast<double>(trials_);
  for (models::Index s = 0; s < slos_.size(); ++s) {
    const auto& st = slos_[s];
    std::vector<double> sorted = st.consumed_values;
    std::sort(sorted.begin(), sorted.end());
    SloSummary slo;
    slo.window = slo_window(model_, s);
    slo.attainment = st.attainment.interval(confidence_);
    slo.met = st.met;
    slo.p_met = wilson_interval(st.met, trials_, confidence_);
    slo.budget_consumed = st.consumed.interval(confidence_);
    slo.budget_consumed_p95 = quantile_interval(sorted, 0.95, confidence_);
    slo.budget_minutes = st.minutes.interval(confidence_);
    slo.budget_minutes_allowed =
        (1.0 - model_.slos[s].objective) * slo.window.length.to_seconds() / 60.0;
    for (std::size_t t = 0; t < st.reached.size(); ++t) {
      TierSummary tier;
      tier.action = model_.budget_policy[t].action;
      tier.remaining_above = model_.budget_policy[t].remaining_above;
      tier.reached = st.reached[t];
      tier.probability = wilson_interval(st.reached[t], trials_, confidence_);
      tier.first_reached_seconds = st.reached_at[t].interval(confidence_);
      slo.tiers.push_back(tier);
    }
    slo.remaining_budget = std::move(envelopes[s]);
    slo.remaining_budget.start = slo.window.start;
    slo.remaining_budget.step = models::budget_series_step(slo.window.length);
    out.slos.push_back(std::move(slo));
  }
  for (const auto& a : availability_) out.services.push_back({a.interval(confidence_)});
  out.pages_per_trial = pages_.interval(confidence_);
  for (const auto& t : teams_) {
    out.teams.push_back({t.pages.interval(confidence_), t.per_shift.interval(confidence_),
                         t.night.interval(confidence_), t.noise.interval(confidence_),
                         t.tickets.interval(confidence_)});
  }
  for (std::size_t g = 0; g < kSeverityGroups; ++g) {
    const auto& st = groups_[g];
    auto& x = out.incidents[g];
    x.incidents = st.incidents;
    x.per_trial = st.per_trial.interval(confidence_);
    x.p_human_needed = wilson_interval(st.human_needed, st.incidents, confidence_);
    for (std::size_t m = 0; m < kIncidentMetrics; ++m) {
      const auto& d = st.durations[m];
      std::vector<double> sorted = d.values;
      std::sort(sorted.begin(), sorted.end());
      auto& y = x.durations[m];
      y.n = sorted.size();
      y.mean = d.mean.interval(confidence_);
      y.median = quantile_interval(sorted, 0.5, confidence_);
      y.p90 = quantile_interval(sorted, 0.9, confidence_);
      y.p95 = quantile_interval(sorted, 0.95, confidence_);
    }
  }
  return out;
}

}  // namespace relsim::analysis
