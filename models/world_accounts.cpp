// Accounting: good and total requests per service and SLO, the SLO ledger,
// burn-rate histories and the requests and budget each open incident costs.
// See docs/model.md ("Requests are a fluid", "What an event costs").
//
// Two modes (Engine::eager). Lazy, the usual one: between a full
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

Accounts::Accounts(Engine& engine, const CompiledModel& m, Registry& reg)
    : Part(engine, m), window_target_(reg.targets(1)) {
  // Which SLOs a component carries.
  const std::size_t nc = m.components.size();
  comp_slo_begin_.assign(nc + 1, 0);
  for (Index k = 0; k < m.slos.size(); ++k) ++comp_slo_begin_[m.slos[k].component + 1];
  for (std::size_t c = 0; c < nc; ++c) comp_slo_begin_[c + 1] += comp_slo_begin_[c];
  comp_slos_.resize(m.slos.size());
  {
    std::vector<Index> fill(comp_slo_begin_.begin(), comp_slo_begin_.end() - 1);
    for (Index k = 0; k < m.slos.size(); ++k) comp_slos_[fill[m.slos[k].component]++] = k;
  }
  // How far back each SLO's burn-rate alerts look: its history keeps that much.
  burn_max_window_.assign(m.slos.size(), 0);
  for (const AlertRow& alert : m.alerts) {
    if (alert.kind != AlertKind::burn_rate) continue;
    for (Index w = alert.burn_windows.begin; w < alert.burn_windows.end; ++w) {
      const BurnWindowRow& bw = m.burn_windows[w];
      burn_max_window_[alert.slo] =
          std::max({burn_max_window_[alert.slo], bw.long_window.count_micros(),
                    bw.short_window.count_micros()});
    }
  }
  burn_.resize(m.slos.size());
}

void Accounts::reset() {
  accounted_ = sim::Duration::zero();
  svc_seg_.assign(m_.services.size(), Segment{});
  slo_seg_.assign(m_.slos.size(), Segment{});
  ledger_.reset(m_, w_.horizon);
  services_.assign(m_.services.size(), ServiceTrialResult{});
  for (Index k = 0; k < m_.slos.size(); ++k) {
    if (burn_max_window_[k] > 0) burn_[k].reset();
  }
}

void Accounts::start() {
  for (Index k = 0; k < m_.slos.size(); ++k) {
    const sim::Duration w = ledger_.window_start(k);
    if (w > sim::Duration::zero() && w < w_.horizon)
      at(w, EventKind::window_start, window_target_[0]);
  }
}

void Accounts::on_window_start() {
  w_.begin_change(Cause{});
  // Only a boundary for the accounting: the SLOs whose window begins now.
  if (!w_.eager) {
    for (Index k = 0; k < m_.slos.size(); ++k) {
      if (ledger_.window_start(k) == now()) settle_slo(k);
    }
  }
}

void Accounts::settle_for_rule(Index k) {
  if (!w_.eager) {
    settle_slo(k);  // its history up to now
  } else if (account() && !w_.steady_demand) {
    // The ratios now: the same state, evaluated at now by account() (under
    // steady demand cur holds them already).
    std::swap(w_.cur, w_.end);
    std::swap(w_.demand_now, w_.demand_end);
    w_.t_ref = now();
  }
}

void Accounts::finish(TrialResult& r) {
  ledger_.finish(m_, r.slos);
  r.services = services_;
}

void Accounts::accrue_service(Index s, double total, double good) {
  services_[s].total += total;
  services_[s].good += good;
  w_.people.accrue_service(s, std::max(0.0, total - good));
}

void Accounts::accrue_slo(Index k, sim::Duration t0, sim::Duration t1, double total, double good,
                          double total_slope, double bad_slope) {
  const double bad = std::max(0.0, total - std::min(good, total));
  if (burn_max_window_[k] > 0) {
    w_.detection.note_burn(k, t1, total, bad);
    burn_[k].add(t0.count_micros(), t1.count_micros(), total, bad, total_slope, bad_slope);
    burn_[k].prune(t1.count_micros() - burn_max_window_[k]);
  }
  if (bad > 0.0 && t0 >= ledger_.window_start(k)) w_.people.accrue_slo(k, bad);
}

bool Accounts::account() {
  // Simpson's rule over [t0, t1] with the state as it was: the ratios at t0
  // are those `after_change()` left in cur, the others are evaluated here.
  const sim::Duration t0 = accounted_;
  const sim::Duration t1 = now();
  if (t1 <= t0) return false;
  accounted_ = t1;
  // Under steady demand the state and the inputs are those cur was
  // evaluated with, so the evaluations at the midpoint and at t1 would give
  // cur bit for bit: skip them.
  // The demand is linear over [t0, t1] (a knot is a check, hence an event):
  // its values at the midpoint and at t1 follow from those at t0, so a jump
  // at t1 (a weekend midnight) is not read into the interval before it.
  if (!w_.steady_demand) {
    const double half = 0.5 * (t1 - t0).to_seconds();
    const double full = (t1 - t0).to_seconds();
    w_.demand_mid.resize(w_.demand_now.size());
    w_.demand_end.resize(w_.demand_now.size());
    for (std::size_t s = 0; s < w_.demand_now.size(); ++s) {
      w_.demand_mid[s] = w_.demand_now[s] + w_.slope_now[s] * half;
      w_.demand_end[s] = w_.demand_now[s] + w_.slope_now[s] * full;
    }
    evaluate_fluid(m_, w_.fs, w_.demand_mid, w_.slope_now, w_.mid);
    evaluate_fluid(m_, w_.fs, w_.demand_end, w_.slope_now, w_.end);
  }
  const FluidResult& mid = w_.steady_demand ? w_.cur : w_.mid;
  const FluidResult& end = w_.steady_demand ? w_.cur : w_.end;
  if (w_.observer) w_.observer->on_interval(t0, t1, w_.fs, w_.cur, mid, end);
  const double w = (t1 - t0).to_seconds() / 6.0;
  auto simpson = [&](auto&& f) { return w * (f(w_.cur) + 4.0 * f(mid) + f(end)); };
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
        return r.load[c] * latency_good_fraction(m_, w_.fs, r, c, slo.threshold->to_seconds());
      }
      return r.load[c] * r.success[c];
    };
    const double total = simpson([c](const FluidResult& r) { return r.load[c]; });
    const double good = simpson(good_rate);
    ledger_.add(k, t0, t1, total, good);
    // The burn history takes the rates as linear between the interval's ends.
    const double total_slope = (end.load[c] - w_.cur.load[c]) / span;
    const double bad_slope =
        ((end.load[c] - good_rate(end)) - (w_.cur.load[c] - good_rate(w_.cur))) / span;
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

void Accounts::settle_service(Index s) {
  Segment& seg = svc_seg_[s];
  const sim::Duration t = now();
  if (t > seg.t0) {
    double total = 0.0;
    integrate(seg.t0, seg.load, seg.slope, t, total);
    accrue_service(s, total, total * seg.good);
  }
  const Index c = m_.services[s].component;
  seg = {t, w_.load_now(c), w_.cur.load_slope[c], w_.cur.success[c]};
}

void Accounts::settle_slo(Index k) {
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
                          ? latency_good_fraction(m_, w_.fs, w_.cur, c, slo.threshold->to_seconds())
                          : w_.cur.success[c];
  seg = {t, w_.load_now(c), w_.cur.load_slope[c], good};
}

void Accounts::settle_component(Index c) {
  const ComponentRow& row = m_.components[c];
  if (row.kind == ComponentKind::service) settle_service(row.row);
  for (Index j = comp_slo_begin_[c]; j < comp_slo_begin_[c + 1]; ++j) settle_slo(comp_slos_[j]);
}

void Accounts::close_all_segments() {
  // Settling also opens the next segments; they are not read in eager mode.
  for (Index s = 0; s < m_.services.size(); ++s) settle_service(s);
  for (Index k = 0; k < m_.slos.size(); ++k) settle_slo(k);
}

void Accounts::open_all_segments() {
  const sim::Duration t = now();
  for (Index s = 0; s < m_.services.size(); ++s) svc_seg_[s].t0 = t;
  for (Index k = 0; k < m_.slos.size(); ++k) slo_seg_[k].t0 = t;
  close_all_segments();  // nothing to integrate: opens every segment from w_.cur
}

}  // namespace relsim::models
