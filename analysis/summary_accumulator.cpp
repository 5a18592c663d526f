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
  owner_.assign(model.names.components.size(), 0xFFFFFFFF);
  for (const auto& v : model.services) {
    if (v.component < owner_.size() && v.owner != models::kNoIndex) {
      owner_[v.component] = static_cast<std::uint32_t>(v.owner);
    }
  }
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
    st.consumed_values.add(x.budget_consumed);
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
  // Per group, this trial's sums: incidents, human needed, paged, escalated,
  // escalations, acked, acked after an escalation, acked by another team.
  struct TrialSums {
    std::uint64_t incidents = 0, human = 0, paged = 0, escalated = 0, escalations = 0, acked = 0,
                  acked_after = 0, other_team = 0;
  };
  std::array<TrialSums, kSeverityGroups> sums{};
  for (auto& st : groups_) {
    for (auto& d : st.durations) d.trial.clear();
  }
  for (const IncidentRecord* i = first; i != last; ++i) {
    const std::size_t sev = i->severity >= 1 && i->severity <= 4 ? i->severity : 0;
    // Each duration's sketch key once, for `all` and its severity.
    std::array<QuantileSketch::Keyed, kIncidentMetrics> d = {
        {{i->mttr_s()}, {i->ttd_s()}, {i->tta_s()}, {i->ttm_s()}}};
    for (QuantileSketch::Keyed& x : d) {
      if (!std::isnan(x.value)) x.key = QuantileSketch::key_of(x.value);
    }
    const bool paged = !std::isnan(i->paged_s);
    const bool acked = paged && !std::isnan(i->acked_s);
    const bool other = acked && i->team != 0xFFFFFFFF && i->service < owner_.size() &&
                       owner_[i->service] != 0xFFFFFFFF && owner_[i->service] != i->team;
    for (const std::size_t g : {std::size_t{0}, sev}) {
      auto& st = groups_[g];
      auto& x = sums[g];
      ++st.incidents;
      ++x.incidents;
      x.human += i->human_needed ? 1 : 0;
      x.paged += paged ? 1 : 0;
      x.escalated += paged && i->escalations > 0 ? 1 : 0;
      x.escalations += paged ? i->escalations : 0;
      x.acked += acked ? 1 : 0;
      x.acked_after += acked && i->escalations > 0 ? 1 : 0;
      x.other_team += other ? 1 : 0;
      for (std::size_t m = 0; m < kIncidentMetrics; ++m) {
        if (!std::isnan(d[m].value)) st.durations[m].trial.push_back(d[m]);
      }
      if (sev == 0) break;  // severity none: only in `all`
    }
  }
  for (std::size_t g = 0; g < kSeverityGroups; ++g) {
    auto& st = groups_[g];
    const auto& x = sums[g];
    st.per_trial.add(static_cast<double>(x.incidents));
    st.human_needed.add(static_cast<double>(x.human), x.incidents);
    st.escalated.add(static_cast<double>(x.escalated), x.paged);
    st.escalations.add(static_cast<double>(x.escalations), x.paged);
    st.acked_after_escalation.add(static_cast<double>(x.acked_after), x.acked);
    st.other_team_acked.add(static_cast<double>(x.other_team), x.acked);
    for (auto& d : st.durations) {
      double sum = 0.0;
      for (const QuantileSketch::Keyed& v : d.trial) sum += v.value;
      d.mean.add(sum, d.trial.size());
      d.values.add_trial(d.trial);
    }
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
    SloSummary slo;
    slo.window = slo_window(model_, s);
    slo.attainment = logit_mean_interval(st.attainment, confidence_);
    slo.met = st.met;
    slo.p_met = wilson_interval(st.met, trials_, confidence_);
    slo.p_not_met = wilson_interval(trials_ - st.met, trials_, confidence_);
    slo.budget_consumed = log_scale_mean_interval(st.consumed, confidence_);
    slo.budget_consumed_p95 = st.consumed_values.iid_interval(0.95, confidence_, 0.0);
    slo.budget_minutes = log_scale_mean_interval(st.minutes, confidence_);
    slo.budget_minutes_allowed =
        (1.0 - model_.slos[s].objective) * slo.window.length.to_seconds() / 60.0;
    for (std::size_t t = 0; t < st.reached.size(); ++t) {
      TierSummary tier;
      tier.action = model_.budget_policy[t].action;
      tier.remaining_above = model_.budget_policy[t].remaining_above;
      tier.reached = st.reached[t];
      tier.probability = wilson_interval(st.reached[t], trials_, confidence_);
      tier.first_reached_seconds = log_scale_mean_interval(st.reached_at[t], confidence_);
      slo.tiers.push_back(tier);
    }
    slo.remaining_budget = std::move(envelopes[s]);
    slo.remaining_budget.start = slo.window.start;
    slo.remaining_budget.step = models::budget_series_step(slo.window.length);
    out.slos.push_back(std::move(slo));
  }
  for (const auto& a : availability_) {
    out.services.push_back({logit_mean_interval(a, confidence_)});
  }
  out.pages_per_trial = count_mean_interval(pages_, confidence_);
  for (const auto& t : teams_) {
    out.teams.push_back({count_mean_interval(t.pages, confidence_),
                         log_scale_mean_interval(t.per_shift, confidence_),
                         count_mean_interval(t.night, confidence_),
                         count_mean_interval(t.noise, confidence_),
                         count_mean_interval(t.tickets, confidence_)});
  }
  for (std::size_t g = 0; g < kSeverityGroups; ++g) {
    const auto& st = groups_[g];
    auto& x = out.incidents[g];
    x.incidents = st.incidents;
    x.per_trial = count_mean_interval(st.per_trial, confidence_);
    x.p_human_needed = st.human_needed.proportion_interval(confidence_);
    x.paged = st.escalated.observations();
    x.acked = st.acked_after_escalation.observations();
    x.p_escalated = st.escalated.proportion_interval(confidence_);
    x.escalations_per_incident = st.escalations.positive_interval(confidence_);
    if (x.escalations_per_incident.estimate == 0.0 && st.escalations.enough()) {
      // No escalation at all: Garwood's upper end for 0 events per incident.
      x.escalations_per_incident.high =
          garwood_interval(0.0, confidence_).high / static_cast<double>(x.paged);
    }
    x.p_acked_after_escalation = st.acked_after_escalation.proportion_interval(confidence_);
    x.p_other_team_acked = st.other_team_acked.proportion_interval(confidence_);
    for (std::size_t m = 0; m < kIncidentMetrics; ++m) {
      const auto& d = st.durations[m];
      auto& y = x.durations[m];
      y.n = d.values.count();
      y.mean = d.mean.positive_interval(confidence_);
      constexpr double kPs[] = {0.5, 0.9, 0.95};
      const auto q = d.values.clustered_intervals(kPs, confidence_, 0.0);
      y.median = q[0];
      y.p90 = q[1];
      y.p95 = q[2];
    }
  }
  return out;
}

}  // namespace relsim::analysis
