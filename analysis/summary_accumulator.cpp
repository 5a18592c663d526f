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
}

void SummaryAccumulator::add(const TrialRow& row) {
  const std::size_t tiers = model_.budget_policy.size();
  bool ok = row.slos.size() == slos_.size() && row.services.size() == availability_.size();
  for (const auto& x : row.slos) ok = ok && x.tier_reached_s.size() == tiers;
  if (!ok) {
    throw std::invalid_argument("summarize: trial " + std::to_string(row.trial) +
                                " does not have the model's shape (SLOs, services, tiers)");
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
}

RunSummary SummaryAccumulator::finish(std::vector<BudgetSeriesSummary> envelopes) {
  if (envelopes.size() != slos_.size())
    throw std::invalid_argument("summarize: need one remaining-budget envelope per SLO");
  RunSummary out;
  out.confidence = confidence_;
  out.trials = trials_;
  out.events = events_;
  out.events_per_trial =
      trials_ == 0 ? kNaN : static_cast<double>(events_) / static_cast<double>(trials_);
  for (models::Index s = 0; s < slos_.size(); ++s) {
    auto& st = slos_[s];
    std::sort(st.consumed_values.begin(), st.consumed_values.end());
    SloSummary slo;
    slo.window = slo_window(model_, s);
    slo.attainment = st.attainment.interval(confidence_);
    slo.met = st.met;
    slo.p_met = wilson_interval(st.met, trials_, confidence_);
    slo.budget_consumed = st.consumed.interval(confidence_);
    slo.budget_consumed_p95 = quantile_interval(st.consumed_values, 0.95, confidence_);
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
    st.consumed_values = {};
  }
  for (const auto& a : availability_) out.services.push_back({a.interval(confidence_)});
  return out;
}

}  // namespace relsim::analysis
