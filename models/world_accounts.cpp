// Accounting: good and total requests per service and SLO, the SLO ledger,
// burn-rate histories and the requests and budget each open incident costs.
// See docs/model.md ("Requests are a fluid", "What an event costs").
//
// Two modes (World::Impl::eager_). Lazy, the usual one: between a full
// evaluation and the next knot or crossing every load is linear in time and
// every ratio constant, so a unit (a service, an SLO) keeps the rates its
// segment began with and is integrated in closed form only when its own
// rates change, when an incident it feeds starts or stops, at its window's
// start, at a burn-rate evaluation and at the end. Eager, while some ratio
// drifts between events (a component dropping load or past the latency knee
// under changing demand) or an observer watches: every event integrates
// every unit by Simpson's rule over three full evaluations.
#include <algorithm>
#include <cmath>

#include "models/world_impl.hpp"

namespace relsim::models {

void World::Impl::accrue_service(Index s, double total, double good) {
  services_[s].total += total;
  services_[s].good += good;
  const double bad = std::max(0.0, total - good);
  for (const Index i : open_) {
    Incident& inc = incidents_[i];
    if (inc.row.mitigated != kNever || inc.impaired == 0) continue;
    if (m_.components[inc.row.service].row == s) inc.row.requests_failed += bad;
  }
}

void World::Impl::accrue_slo(Index k, sim::Duration t0, sim::Duration t1, double total,
                             double good, double total_slope, double bad_slope) {
  const double bad = std::max(0.0, total - std::min(good, total));
  if (burn_max_window_[k] > 0) {
    for (Index j = burn_slo_rules_begin_[k]; j < burn_slo_rules_begin_[k + 1]; ++j) {
      const Index r = burn_slo_rules_[j];
      if (total > 0.0 && bad >= rule_min_threshold_[r] * total) rules_[r].hot_until = t1;
    }
    burn_[k].add(t0.count_micros(), t1.count_micros(), total, bad, total_slope, bad_slope);
    burn_[k].prune(t1.count_micros() - burn_max_window_[k]);
  }
  if (bad > 0.0 && t0 >= ledger_.window_start(k)) {
    for (const Index i : open_) {
      Incident& inc = incidents_[i];
      if (inc.slo == k && inc.row.mitigated == kNever && inc.impaired > 0) inc.slo_bad += bad;
    }
  }
}

bool World::Impl::account() {
  // Simpson's rule over [t0, t1] with the state as it was: the ratios at t0
  // are those `changed()` left in cur_, the others are evaluated here.
  const sim::Duration t0 = accounted_;
  const sim::Duration t1 = now();
  if (t1 <= t0) return false;
  accounted_ = t1;
  // Under steady demand the state and the inputs are those cur_ was
  // evaluated with, so the evaluations at the midpoint and at t1 would give
  // cur_ bit for bit: skip them.
  // The demand is linear over [t0, t1] (a knot is a check, hence an event):
  // its values at the midpoint and at t1 follow from those at t0, so a jump
  // at t1 (a weekend midnight) is not read into the interval before it.
  if (!steady_demand_) {
    const double half = 0.5 * (t1 - t0).to_seconds();
    const double full = (t1 - t0).to_seconds();
    demand_mid_.resize(demand_now_.size());
    demand_end_.resize(demand_now_.size());
    for (std::size_t s = 0; s < demand_now_.size(); ++s) {
      demand_mid_[s] = demand_now_[s] + slope_now_[s] * half;
      demand_end_[s] = demand_now_[s] + slope_now_[s] * full;
    }
    evaluate_fluid(m_, fs_, demand_mid_, slope_now_, mid_);
    evaluate_fluid(m_, fs_, demand_end_, slope_now_, end_);
  }
  const FluidResult& mid = steady_demand_ ? cur_ : mid_;
  const FluidResult& end = steady_demand_ ? cur_ : end_;
  if (observer_) observer_->on_interval(t0, t1, fs_, cur_, mid, end);
  const double w = (t1 - t0).to_seconds() / 6.0;
  auto simpson = [&](auto&& f) { return w * (f(cur_) + 4.0 * f(mid) + f(end)); };
  for (Index s = 0; s < m_.services.size(); ++s) {
    const Index c = m_.services[s].component;
    const double total = simpson([c](const FluidResult& r) { return r.load[c]; });
    const double good = simpson([c](const FluidResult& r) { return r.load[c] * r.success[c]; });
    accrue_service(s, total, good);
  }
  const double span = (t1 - t0).to_seconds();
  for (Index k = 0; k < m_.slos.size(); ++k) {
    const SloRow& slo = m_.slos[k];
    const Index c = slo.component;
    auto good_rate = [&](const FluidResult& r) {
      if (slo.sli == SliKind::latency && slo.threshold) {
        return r.load[c] * latency_good_fraction(m_, fs_, r, c, slo.threshold->to_seconds());
      }
      return r.load[c] * r.success[c];
    };
    const double total = simpson([c](const FluidResult& r) { return r.load[c]; });
    const double good = simpson(good_rate);
    ledger_.add(k, t0, t1, total, good);
    // The burn history takes the rates as linear between the interval's ends.
    const double total_slope = (end.load[c] - cur_.load[c]) / span;
    const double bad_slope =
        ((end.load[c] - good_rate(end)) - (cur_.load[c] - good_rate(cur_))) / span;
    accrue_slo(k, t0, t1, total, good, total_slope, bad_slope);
  }
  return true;
}

namespace {

/// Requests of a segment from its start to t1: the load is linear, the good
/// fraction constant (exact).
void integrate(sim::Duration t0, double load, double slope, sim::Duration t1, double& total) {
  const double dt = (t1 - t0).to_seconds();
  total = (load + 0.5 * slope * dt) * dt;
}

}  // namespace

void World::Impl::settle_service(Index s) {
  Segment& seg = svc_seg_[s];
  const sim::Duration t = now();
  if (t > seg.t0) {
    double total = 0.0;
    integrate(seg.t0, seg.load, seg.slope, t, total);
    accrue_service(s, total, total * seg.good);
  }
  const Index c = m_.services[s].component;
  seg = {t, load_now(c), cur_.load_slope[c], cur_.success[c]};
}

void World::Impl::settle_slo(Index k) {
  Segment& seg = slo_seg_[k];
  const sim::Duration t = now();
  if (t > seg.t0) {
    double total = 0.0;
    integrate(seg.t0, seg.load, seg.slope, t, total);
    // The ledger records failed requests piece by piece at the
    // remaining-budget series' instants, so the series is exact where it is
    // sampled; the burn history and the incidents take the segment whole.
    const sim::Duration start = ledger_.window_start(k);
    sim::Duration a = seg.t0;
    if (seg.good < 1.0 && t > start) {
      const std::int64_t step = ledger_.series_step(k).count_micros();
      const std::int64_t from = std::max(a, start).count_micros() - start.count_micros();
      double before = 0.0;
      for (sim::Duration g = start + sim::Duration::micros((from / step + 1) * step); g < t;
           g += sim::Duration::micros(step)) {
        double upto = 0.0;
        integrate(seg.t0, seg.load, seg.slope, g, upto);
        ledger_.add(k, a, g, upto - before, (upto - before) * seg.good);
        before = upto;
        a = g;
      }
      ledger_.add(k, a, t, total - before, (total - before) * seg.good);
    } else {
      ledger_.add(k, a, t, total, total * seg.good);
    }
    accrue_slo(k, seg.t0, t, total, total * seg.good, seg.slope, seg.slope * (1.0 - seg.good));
  }
  const SloRow& slo = m_.slos[k];
  const Index c = slo.component;
  const double good = slo.sli == SliKind::latency && slo.threshold
                          ? latency_good_fraction(m_, fs_, cur_, c, slo.threshold->to_seconds())
                          : cur_.success[c];
  seg = {t, load_now(c), cur_.load_slope[c], good};
}

void World::Impl::settle_component(Index c) {
  const ComponentRow& row = m_.components[c];
  if (row.kind == ComponentKind::service) settle_service(row.row);
  for (Index j = comp_slo_begin_[c]; j < comp_slo_begin_[c + 1]; ++j) settle_slo(comp_slos_[j]);
}

void World::Impl::settle_incident(Index i) {
  if (eager_) return;  // accounted to now already
  const Incident& inc = incidents_[i];
  settle_service(m_.components[inc.row.service].row);
  if (inc.slo != kNoIndex) settle_slo(inc.slo);
}

void World::Impl::close_all_segments() {
  // Settling also opens the next segments; they are not read in eager mode.
  for (Index s = 0; s < m_.services.size(); ++s) settle_service(s);
  for (Index k = 0; k < m_.slos.size(); ++k) settle_slo(k);
}

void World::Impl::open_all_segments() {
  const sim::Duration t = now();
  for (Index s = 0; s < m_.services.size(); ++s) svc_seg_[s].t0 = t;
  for (Index k = 0; k < m_.slos.size(); ++k) slo_seg_[k].t0 = t;
  close_all_segments();  // nothing to integrate: opens every segment from cur_
}

}  // namespace relsim::models
