// The fluid view: see models/fluid.hpp and docs/model.md ("Dynamics").
#include "models/fluid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace relsim::models {
namespace {

const sim::Distribution* latency_of(const CompiledModel& model, Index c) {
  const ComponentRow& row = model.components[c];
  switch (row.kind) {
    case ComponentKind::service: {
      const auto& l = model.services[row.row].latency;
      return l ? &*l : nullptr;
    }
    case ComponentKind::datastore: {
      const auto& l = model.datastores[row.row].latency;
      return l ? &*l : nullptr;
    }
    case ComponentKind::cache:
      return nullptr;
  }
  return nullptr;
}

/// P(X · stretch ≤ budget) for the component's latency X (X = 0 when absent).
double within(const sim::Distribution* x, double budget, double stretch, sim::CdfMemo& memo) {
  if (budget < 0.0) return 0.0;
  if (!x) return 1.0;
  return memo.cdf(*x, budget / stretch);
}

/// How service component `c`'s load balancer divides its load: zone p's
/// healthy replicas get load · h_p · share, with share = 1 / (n · r_p) for
/// zone-local routing over n routable zones and 1 / R for cross-zone routing
/// over R routed replicas (docs/model.md, "Capacity, zones and the load
/// balancer"). Returns 0 when nothing is routed.
class Split {
 public:
  Split(const CompiledModel& model, const FluidState& state, Index c, const ServiceRow& svc)
      : zone_local_(svc.load_balancing == LoadBalancing::zone_local) {
    for (Index p = model.placement_begin[c]; p < model.placement_begin[c + 1]; ++p) {
      if (model.placements[p].role != ZoneRole::service_replicas || state.routed[p] <= 0) continue;
      ++zones_;
      routed_ += state.routed[p];
    }
  }
  /// The fraction of the service's load that zone p's healthy replicas get.
  double to_healthy(const FluidState& state, Index p) const {
    if (state.routed[p] <= 0) return 0.0;
    const double h = state.healthy[p];
    return zone_local_ ? h / state.routed[p] / zones_ : h / routed_;
  }

 private:
  bool zone_local_;
  int zones_ = 0;
  int routed_ = 0;
};

/// What zone p's healthy replicas serve at full speed: capacityPerReplica ×
/// min(healthy, zoneRoom), less any injected capacity loss.
double zone_capacity(const ServiceRow& svc, const FluidState& state, Index c, Index p) {
  const int h = state.healthy[p];
  const int running = svc.zone_room > 0 ? std::min(h, svc.zone_room) : h;
  return running * svc.capacity_per_replica * state.capacity_factor[c];
}

}  // namespace

double latency_stretch(double rho) {
  if (rho <= kLatencyKnee) return 1.0;
  return (1.0 - kLatencyKnee) / (1.0 - std::min(rho, kUtilisationCap));
}

FluidState make_fluid_state(const CompiledModel& model) {
  FluidState s;
  const std::size_t nc = model.components.size();
  s.zone_up.assign(model.zone_count(), 1);
  s.healthy.assign(model.placements.size(), 0);
  s.routed.assign(model.placements.size(), 0);
  for (std::size_t p = 0; p < model.placements.size(); ++p) {
    if (model.placements[p].role == ZoneRole::service_replicas) {
      s.healthy[p] = model.placements[p].initial;
      s.routed[p] = model.placements[p].initial;
    }
  }
  s.serving.assign(nc, 1);
  s.hit_ratio.assign(nc, 0.0);
  for (const CacheRow& cache : model.caches) s.hit_ratio[cache.component] = cache.hit_ratio;
  s.capacity_factor.assign(nc, 1.0);
  s.demand_factor.assign(nc, 1.0);
  s.error_rate.assign(nc, 0.0);
  s.added_latency.assign(nc, 0.0);
  s.edge_pass.assign(model.edges.size(), 1.0);
  s.edge_latency.assign(model.edges.size(), 0.0);
  return s;
}

namespace {

/// Calls per request on edge `e` with `attempts` tries and a per-try failure
/// share `q`: 1 + q + ... + q^(attempts-1).
double attempts_per_call(double q, int attempts) {
  double sum = 1.0;
  double term = 1.0;
  for (int k = 1; k < attempts; ++k) {
    term *= q;
    sum += term;
  }
  return sum;
}

void load_pass(const CompiledModel& model, const FluidState& state,
               const std::vector<double>& demand, const std::vector<double>& demand_slope,
               FluidResult& out);
void success_pass(const CompiledModel& model, const FluidState& state, FluidResult& out);

}  // namespace

void evaluate_fluid(const CompiledModel& model, const FluidState& state,
                    const std::vector<double>& demand, const std::vector<double>& demand_slope,
                    FluidResult& out) {
  const std::size_t nc = model.components.size();
  if (out.load.size() != nc || out.edge_failure.size() != model.edges.size()) {
    out.load.assign(nc, 0.0);
    out.load_slope.assign(nc, 0.0);
    out.admitted.assign(nc, 0.0);
    out.admitted_slope.assign(nc, 0.0);
    out.success.assign(nc, 0.0);
    out.delay.assign(nc, 0.0);
    out.max_utilisation.assign(nc, 0.0);
    out.overloaded.assign(nc, 0);
    out.stretch.assign(nc, 1.0);
    out.median.assign(nc, 0.0);
    for (Index c = 0; c < nc; ++c) {
      if (const sim::Distribution* d = latency_of(model, c)) out.median[c] = d->quantile(0.5);
    }
    out.zone_admitted.assign(model.placements.size(), 0.0);
    out.zone_rho.assign(model.placements.size(), 0.0);
    out.edge_failure.assign(model.edges.size(), 0.0);
  }
  std::fill(out.edge_failure.begin(), out.edge_failure.end(), 0.0);
  if (!model.has_retry) {
    load_pass(model, state, demand, demand_slope, out);
    success_pass(model, state, out);
    return;
  }
  for (int pass = 0; pass < kMaxRetryPasses; ++pass) {
    load_pass(model, state, demand, demand_slope, out);
    out.retry_scratch = out.edge_failure;  // no allocation after the first evaluation
    success_pass(model, state, out);
    double moved = 0.0;
    for (Index e = 0; e < model.edges.size(); ++e) {
      moved = std::max(moved, std::abs(out.edge_failure[e] - out.retry_scratch[e]));
    }
    if (moved < 1e-12) break;
  }
}

namespace {

void load_pass(const CompiledModel& model, const FluidState& state,
               const std::vector<double>& demand, const std::vector<double>& demand_slope,
               FluidResult& out) {
  const std::size_t nc = model.components.size();
  std::fill(out.load.begin(), out.load.end(), 0.0);
  std::fill(out.load_slope.begin(), out.load_slope.end(), 0.0);

  // Load: callers have larger component indices than their callees, so one
  // pass from the last component down sees every caller before its callees.
  for (Index c = static_cast<Index>(nc); c-- > 0;) {
    fluid_load_step(model, state, demand, demand_slope, c, out.load[c], out.load_slope[c], out);
    for (Index e = model.edge_begin[c]; e < model.edge_begin[c + 1]; ++e) {
      if (!edge_adds_load(model, e)) continue;
      double load = 0.0;
      double slope = 0.0;
      edge_load(model, state, out, e, load, slope);
      out.load[model.edges[e].target] += load;
      out.load_slope[model.edges[e].target] += slope;
    }
  }
}

/// Success and delay: callees first. Records each edge's per-try failure share.
void success_pass(const CompiledModel& model, const FluidState& state, FluidResult& out) {
  const std::size_t nc = model.components.size();
  for (Index c = 0; c < nc; ++c) fluid_success_step(model, state, c, out);
}

}  // namespace

void fluid_load_step(const CompiledModel& model, const FluidState& state,
                     const std::vector<double>& demand, const std::vector<double>& demand_slope,
                     Index c, double load, double slope, FluidResult& out) {
  const ComponentRow& row = model.components[c];
  double admitted = 0.0;
  double admitted_slope = 0.0;
  double max_rho = 0.0;
  double stretch_sum = 0.0;
  bool overloaded = false;
  switch (row.kind) {
    case ComponentKind::service: {
      const ServiceRow& svc = model.services[row.row];
      load += demand[row.row] * state.demand_factor[c];
      slope += demand_slope[row.row] * state.demand_factor[c];
      const Split split(model, state, c, svc);
      for (Index p = model.placement_begin[c]; p < model.placement_begin[c + 1]; ++p) {
        out.zone_admitted[p] = 0.0;
        out.zone_rho[p] = 0.0;
        if (model.placements[p].role != ZoneRole::service_replicas || state.routed[p] <= 0) {
          continue;
        }
        const double to_healthy = split.to_healthy(state, p);  // of the service's load
        const double cap = zone_capacity(svc, state, c, p);
        const double offered = load * to_healthy;
        double z = offered;
        if (offered > cap) {
          z = cap;
          overloaded = true;
        } else {
          admitted_slope += slope * to_healthy;
        }
        const double rho = cap > 0.0 ? z / cap : 0.0;
        out.zone_admitted[p] = z;
        out.zone_rho[p] = rho;
        admitted += z;
        max_rho = std::max(max_rho, rho);
        stretch_sum += z * latency_stretch(rho);
      }
      out.stretch[c] = admitted > 0.0 ? stretch_sum / admitted : 1.0;
      break;
    }
    case ComponentKind::datastore: {
      const DatastoreRow& ds = model.datastores[row.row];
      if (state.serving[c]) {
        admitted = load;
        admitted_slope = slope;
        if (ds.capacity > 0.0) {
          if (load > ds.capacity) {
            admitted = ds.capacity;
            admitted_slope = 0.0;
            overloaded = true;
          }
          max_rho = admitted / ds.capacity;
        }
      }
      out.stretch[c] = latency_stretch(max_rho);
      break;
    }
    case ComponentKind::cache: {
      const CacheRow& cache = model.caches[row.row];
      const double h = state.serving[c] ? state.hit_ratio[c] : 0.0;
      admitted = load * h;  // hits; the misses go to the backing store (edge_load)
      admitted_slope = slope * h;
      if (cache.capacity > 0.0) {
        if (admitted > cache.capacity) {
          admitted = cache.capacity;
          admitted_slope = 0.0;
          overloaded = true;
        }
        max_rho = admitted / cache.capacity;
      }
      out.stretch[c] = latency_stretch(max_rho);
      break;
    }
  }
  out.load[c] = load;
  out.load_slope[c] = slope;
  out.admitted[c] = admitted;
  out.admitted_slope[c] = admitted_slope;
  out.max_utilisation[c] = max_rho;
  out.overloaded[c] = overloaded ? 1 : 0;
}

bool edge_adds_load(const CompiledModel& model, Index e) {
  const EdgeRow& edge = model.edges[e];
  return model.components[edge.source].kind != ComponentKind::cache ||
         edge.type == EdgeType::backing;
}

void edge_load(const CompiledModel& model, const FluidState& state, const FluidResult& out, Index e,
               double& load, double& slope) {
  const EdgeRow& edge = model.edges[e];
  const Index c = edge.source;
  if (model.components[c].kind == ComponentKind::cache) {
    // Misses go to the backing store whatever the cache's capacity.
    const double h = state.serving[c] ? state.hit_ratio[c] : 0.0;
    load = out.load[c] * (1.0 - h);
    slope = out.load_slope[c] * (1.0 - h);
    return;
  }
  // Every failed try is tried again, up to retry_attempts tries in all.
  const double calls =
      edge.call_fraction * attempts_per_call(out.edge_failure[e], edge.retry_attempts);
  load = calls * out.admitted[c];
  slope = calls * out.admitted_slope[c];
}

void fluid_success_step(const CompiledModel& model, const FluidState& state, Index c,
                        FluidResult& out) {
  const ComponentRow& row = model.components[c];
  const double load = out.load[c];
  double own = 1.0;
  switch (row.kind) {
    case ComponentKind::service: {
      if (load > 0.0) {
        own = out.admitted[c] / load;
      } else {
        // No load: the fraction a vanishing load would get.
        const Split split(model, state, c, model.services[row.row]);
        own = 0.0;
        for (Index p = model.placement_begin[c]; p < model.placement_begin[c + 1]; ++p) {
          if (model.placements[p].role == ZoneRole::service_replicas) {
            own += split.to_healthy(state, p);
          }
        }
      }
      break;
    }
    case ComponentKind::datastore:
      own = !state.serving[c] ? 0.0 : (load > 0.0 ? out.admitted[c] / load : 1.0);
      break;
    case ComponentKind::cache: {
      const double h = state.serving[c] ? state.hit_ratio[c] : 0.0;
      const double hits = load * h;
      const double hit_ok = hits > 0.0 ? out.admitted[c] / hits : 1.0;
      double backing_ok = 1.0;
      double backing_delay = 0.0;
      for (Index e = model.edge_begin[c]; e < model.edge_begin[c + 1]; ++e) {
        const EdgeRow& edge = model.edges[e];
        if (edge.type != EdgeType::backing) continue;
        const Index b = edge.target;
        backing_ok = out.success[b] * state.edge_pass[e];
        backing_delay =
            state.edge_latency[e] + out.delay[b] + (out.stretch[b] - 1.0) * out.median[b];
      }
      out.success[c] = (h * hit_ok + (1.0 - h) * backing_ok) * (1.0 - state.error_rate[c]);
      out.delay[c] = state.added_latency[c] + (1.0 - h) * backing_delay;
      return;
    }
  }
  double deps = 1.0;
  double delay = state.added_latency[c];
  for (Index e = model.edge_begin[c]; e < model.edge_begin[c + 1]; ++e) {
    const EdgeRow& edge = model.edges[e];
    const Index d = edge.target;
    const double f = edge.call_fraction;
    double sigma = out.success[d] * state.edge_pass[e];
    double call_delay =
        state.edge_latency[e] + out.delay[d] + (out.stretch[d] - 1.0) * out.median[d];
    if (edge.type == EdgeType::soft && edge.timeout) {
      const double tau = edge.timeout->to_seconds();
      sigma *= fraction_within(model, out, d, tau - state.edge_latency[e]);
      call_delay = std::min(call_delay, tau);
    }
    // Client retry: with a per-try failure share q, q^attempts of the calls
    // fail after every try; the expected tries are 1 + q + ... and each
    // retry waits the backoff first (docs/model.md, "Client retry").
    const double q = 1.0 - sigma;
    out.edge_failure[e] = q;
    double tries = 1.0;
    if (edge.retry_attempts > 1) {
      tries = attempts_per_call(q, edge.retry_attempts);
      sigma = 1.0 - std::pow(q, edge.retry_attempts);
    }
    switch (edge.type) {
      case EdgeType::hard:
      case EdgeType::cache:
      case EdgeType::backing:
        deps *= 1.0 - f + f * sigma;
        break;
      case EdgeType::soft:
        deps *= 1.0 - f + f * (sigma + (1.0 - sigma) * edge.fallback_success);
        break;
    }
    delay += f * (tries * call_delay + (tries - 1.0) * edge.retry_backoff);
  }
  out.success[c] = own * deps * (1.0 - state.error_rate[c]);
  out.delay[c] = delay;
}

double fraction_within(const CompiledModel& model, const FluidResult& result, Index c,
                       double seconds) {
  const sim::Distribution* x = latency_of(model, c);
  const double budget = seconds - result.delay[c];
  if (model.components[c].kind != ComponentKind::service || result.admitted[c] <= 0.0) {
    return within(x, budget, result.stretch[c], result.latency_cdf);
  }
  // Zones below the latency knee share one stretch (1): one CDF for all of them.
  double sum = 0.0;
  double unstretched = 0.0;
  for (Index p = model.placement_begin[c]; p < model.placement_begin[c + 1]; ++p) {
    const double w = result.zone_admitted[p];
    if (w <= 0.0) continue;
    if (result.zone_rho[p] <= kLatencyKnee) {
      unstretched += w;
    } else {
      sum += w * within(x, budget, latency_stretch(result.zone_rho[p]), result.latency_cdf);
    }
  }
  if (unstretched > 0.0) sum += unstretched * within(x, budget, 1.0, result.latency_cdf);
  return sum / result.admitted[c];
}

double latency_good_fraction(const CompiledModel& model, const FluidState& /*state*/,
                             const FluidResult& result, Index c, double threshold_seconds) {
  return result.success[c] * fraction_within(model, result, c, threshold_seconds);
}

double seconds_to_crossing(const CompiledModel& model, const FluidState& state,
                           const FluidResult& result, Index c) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double best = kInf;
  const double load = result.load[c];
  const double slope = result.load_slope[c];
  if (slope == 0.0) return best;
  auto consider = [&](double breakpoint) {
    if (breakpoint <= 0.0) return;
    const double t = (breakpoint - load) / slope;
    if (t > 0.0 && t < best) best = t;
  };
  switch (model.components[c].kind) {
    case ComponentKind::service: {
      const ServiceRow& svc = model.services[model.components[c].row];
      const Split split(model, state, c, svc);
      for (Index p = model.placement_begin[c]; p < model.placement_begin[c + 1]; ++p) {
        if (model.placements[p].role != ZoneRole::service_replicas || state.routed[p] <= 0 ||
            state.healthy[p] <= 0) {
          continue;
        }
        // Zone p is full when load · to_healthy reaches its capacity.
        const double kink = zone_capacity(svc, state, c, p) / split.to_healthy(state, p);
        consider(kink);
        consider(kLatencyKnee * kink);
      }
      break;
    }
    case ComponentKind::datastore: {
      const double cap = model.datastores[model.components[c].row].capacity;
      consider(cap);
      consider(kLatencyKnee * cap);
      break;
    }
    case ComponentKind::cache: {
      const double cap = model.caches[model.components[c].row].capacity;
      const double h = state.serving[c] ? state.hit_ratio[c] : 0.0;
      if (h > 0.0) {
        consider(cap / h);
        consider(kLatencyKnee * cap / h);
      }
      break;
    }
  }
  return best;
}

double seconds_to_next_crossing(const CompiledModel& model, const FluidState& state,
                                const FluidResult& result) {
  double best = std::numeric_limits<double>::infinity();
  for (Index c = 0; c < model.components.size(); ++c) {
    best = std::min(best, seconds_to_crossing(model, state, result, c));
  }
  return best;
}

}  // namespace relsim::models
