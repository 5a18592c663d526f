// `relsim analyze`: what is Markovian, and the long run as the expectation
// of the fluid over the product of the sub-chains. See analysis/markov.hpp
// and docs/analyze.md.
#include "analysis/markov.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/markov_space.hpp"
#include "models/demand.hpp"
#include "models/fluid.hpp"

namespace relsim::analysis {
namespace {

using models::CompiledModel;
using models::ComponentKind;
using models::FailureType;
using models::Index;

const char* kind_name(sim::DistributionKind k) {
  switch (k) {
    case sim::DistributionKind::fixed:
      return "fixed";
    case sim::DistributionKind::uniform:
      return "uniform";
    case sim::DistributionKind::exponential:
      return "exponential";
    case sim::DistributionKind::weibull:
      return "weibull";
    case sim::DistributionKind::lognormal:
      return "lognormal";
    case sim::DistributionKind::gamma:
      return "gamma";
    case sim::DistributionKind::normal:
      return "normal";
    case sim::DistributionKind::empirical:
      return "empirical";
  }
  return "?";
}

/// Collects refusals in model order.
class Checker {
 public:
  Checker(const CompiledModel& m, const MarkovOptions& o) : m_(m), o_(o) {}

  std::vector<Refusal> run() {
    for (Index f = 0; f < m_.faults.size(); ++f) {
      add(Refusal::Subject::fault, f,
          "fault '" + m_.names.faults[f] +
              "': injected faults happen at fixed times; analyze computes the long run of the "
              "random processes only (analyze the System, or a Scenario without inject)");
    }
    outage_.assign(m_.zone_count(), 0);
    if (m_.random_failures) {
      for (const auto& f : m_.failures) {
        if (f.type == FailureType::zone_outage) zone_outage(f);
      }
    }
    for (Index c = 0; c < m_.components.size(); ++c) {
      switch (m_.components[c].kind) {
        case ComponentKind::service:
          service(c);
          break;
        case ComponentKind::datastore:
          datastore(c);
          break;
        case ComponentKind::cache:
          cache(c);
          break;
      }
    }
    return std::move(out_);
  }

 private:
  void add(Refusal::Subject subject, Index index, std::string message) {
    out_.push_back({subject, index, std::move(message)});
  }
  void component(Index c, const std::string& message) {
    add(Refusal::Subject::component, c, m_.names.components[c] + ": " + message);
  }
  /// Refuses `what` of component c unless `d` is exponential.
  void exponential(Index c, const sim::Distribution& d, const std::string& what,
                   const std::string& needs) {
    if (detail::is_exponential(d)) return;
    component(c, what + " is " + kind_name(d.kind()) + "; analyze needs " + needs);
  }
  void zero(Index c, sim::Duration d, const std::string& key) {
    if (d == sim::Duration::zero()) return;
    component(c, key + " is " + sim::format_duration(d) + "; analyze needs " +
                     key.substr(key.rfind(' ') + 1) + ": 0 (a fixed delay is not Markovian)");
  }
  /// The failure rows of `type` owned by component c (when failures run).
  std::vector<const models::FailureRow*> rows(Index c, FailureType type) const {
    std::vector<const models::FailureRow*> out;
    if (!m_.random_failures) return out;
    for (const auto& f : m_.failures) {
      if (f.type == type && f.owner == c) out.push_back(&f);
    }
    return out;
  }
  bool placed_in_outage(Index c, bool primary_only) const {
    for (const auto& p : m_.placements_of(c)) {
      if (outage_[p.zone]) return true;
      if (primary_only) break;
    }
    return false;
  }

  void zone_outage(const models::FailureRow& f) {
    outage_[f.owner] = 1;
    const std::string zone = "zone '" + m_.names.zones[f.owner] + "': ";
    if (!detail::is_exponential(f.every)) {
      add(Refusal::Subject::zone, f.owner,
          zone + "zoneOutage every is " + kind_name(f.every.kind()) +
              "; analyze needs exponential times between outages");
    }
    if (!f.duration) {
      add(Refusal::Subject::zone, f.owner,
          zone +
              "zoneOutage has no duration, so the zone would stay down; analyze needs an "
              "exponential duration");
    } else if (!detail::is_exponential(*f.duration)) {
      add(Refusal::Subject::zone, f.owner,
          zone + "zoneOutage duration is " + kind_name(f.duration->kind()) +
              "; analyze needs exponential outage durations");
    }
  }

  void service(Index c) {
    const auto& svc = m_.services[m_.components[c].row];
    if (svc.autoscale) {
      component(c,
                "autoscale changes the replica count with the load; analyze needs a fixed "
                "replica count");
    }
    const auto crashes = rows(c, FailureType::replica_crash);
    for (const auto* f : crashes) {
      exponential(c, f->every, "replicaCrash every", "exponential times between crashes");
    }
    if (!crashes.empty() || placed_in_outage(c, false)) {
      exponential(c, svc.restart, "restart", "exponential restarts");
      zero(c, svc.health_check_delay, "healthCheckDelay");
    }
    if (svc.deploys == models::kNoIndex || !o_.deploys || !m_.random_deploys) return;
    const auto& d = m_.deploys[svc.deploys];
    if (d.rate <= 0.0 || d.change_failure_rate <= 0.0) return;
    if (d.business_hours_only) {
      component(c,
                "deploys happen in business hours only, a rate that changes with the time "
                "of day; analyze needs deploys at any time (or --no-deploys)");
    }
    if (d.bad_deploy.detects_itself) {
      exponential(c, d.rollback, "deploys rollback", "an exponential rollback (or --no-deploys)");
    }
  }

  void datastore(Index c) {
    const auto& ds = m_.datastores[m_.components[c].row];
    const auto failures = rows(c, FailureType::primary_failure);
    for (const auto* f : failures) {
      exponential(c, f->every, "primaryFailure every", "exponential times between failures");
    }
    if (failures.empty() && !placed_in_outage(c, !ds.automatic_failover)) return;
    if (ds.automatic_failover) {
      zero(c, ds.failover_detect, "failover detect");
      if (ds.connection_errors != sim::Duration::zero()) {
        component(c, "failover connectionErrors is " + sim::format_duration(ds.connection_errors) +
                         "; analyze needs connectionErrors: 0");
      }
      exponential(c, ds.failover_duration, "failover duration", "an exponential failover duration");
      return;
    }
    for (const auto* f : failures) {
      if (!f->duration) {
        component(c,
                  "a primaryFailure without automatic failover and without a duration waits "
                  "for a responder; analyze needs automatic failover or an exponential "
                  "duration");
      } else {
        exponential(c, *f->duration, "primaryFailure duration", "exponential repair durations");
      }
    }
  }

  void cache(Index c) {
    const auto& cache = m_.caches[m_.components[c].row];
    const auto failures = rows(c, FailureType::node_failure);
    for (const auto* f : failures) {
      exponential(c, f->every, "nodeFailure every", "exponential times between failures");
    }
    if (failures.empty() && !placed_in_outage(c, false)) return;
    exponential(c, cache.failover_duration, "failover duration",
                "an exponential failover duration");
    if (cache.warm_up != sim::Duration::zero()) {
      component(c, "failover warmUp is " + sim::format_duration(cache.warm_up) +
                       "; analyze needs warmUp: 0");
    }
  }

  const CompiledModel& m_;
  const MarkovOptions& o_;
  std::vector<std::uint8_t> outage_;  // per zone: has outages
  std::vector<Refusal> out_;
};

std::string joined(const std::vector<Refusal>& refusals) {
  std::string text;
  for (const auto& r : refusals) text += (text.empty() ? "" : "\n") + r.message;
  return text;
}

/// External demand per service row at each grid point, equal weights.
std::vector<std::vector<double>> demand_grid(const CompiledModel& m, const MarkovOptions& o) {
  bool flat = true;
  bool weekly = false;
  std::vector<models::DemandCurve> curves;
  for (const auto& svc : m.services) {
    curves.emplace_back(svc.demand, m.calendar);
    flat = flat && curves.back().flat();
    weekly = weekly || svc.demand.weekend_factor != 1.0;
  }
  if (flat) {
    std::vector<double> base;
    for (const auto& svc : m.services) base.push_back(svc.demand.base);
    return {base};
  }
  const int points = std::max(1, o.points_per_day) * (weekly ? 7 : 1);
  const std::int64_t period = sim::Duration::days(weekly ? 7 : 1).count_micros();
  std::vector<std::vector<double>> grid(static_cast<std::size_t>(points));
  for (int i = 0; i < points; ++i) {
    const auto t = sim::Duration::micros(period * (2 * i + 1) / (2 * points));
    for (const auto& curve : curves) grid[static_cast<std::size_t>(i)].push_back(curve.rate(t));
  }
  return grid;
}

/// Depth-first enumeration of the product of the sub-chains' outcomes, most
/// likely first, cutting every branch whose probability falls below the
/// threshold (the outcomes are sorted, so the rest of the list is cut too).
class Product {
 public:
  Product(const std::vector<detail::Subchain>& chains, double threshold)
      : chains_(chains), threshold_(threshold) {
    for (const auto& sc : chains) {
      std::vector<double> tail(sc.probability.size() + 1, 0.0);
      for (std::size_t o = sc.probability.size(); o-- > 0;) {
        tail[o] = tail[o + 1] + sc.probability[o];
      }
      tails_.push_back(std::move(tail));
    }
  }

  /// Calls leaf(probability) for every kept combination after applying it
  /// to `state`; stops early (returns false) once `limit` leaves are exceeded.
  template <typename Leaf>
  bool run(models::FluidState* state, std::uint64_t limit, Leaf&& leaf) {
    leaves_ = 0;
    skipped_ = 0.0;
    return visit(0, 1.0, state, limit, leaf);
  }
  std::uint64_t leaves() const { return leaves_; }
  double skipped() const { return skipped_; }

 private:
  template <typename Leaf>
  bool visit(std::size_t g, double prefix, models::FluidState* state, std::uint64_t limit,
             Leaf& leaf) {
    if (g == chains_.size()) {
      if (++leaves_ > limit) return false;
      leaf(prefix);
      return true;
    }
    const detail::Subchain& sc = chains_[g];
    for (std::size_t o = 0; o < sc.probability.size(); ++o) {
      const double p = prefix * sc.probability[o];
      if (p < threshold_) {
        skipped_ += prefix * tails_[g][o];
        break;
      }
      if (state) sc.apply(o, *state);
      if (!visit(g + 1, p, state, limit, leaf)) return false;
    }
    return true;
  }

  const std::vector<detail::Subchain>& chains_;
  double threshold_;
  std::vector<std::vector<double>> tails_;
  std::uint64_t leaves_ = 0;
  double skipped_ = 0.0;
};

std::vector<std::string> notes_of(const CompiledModel& m, const MarkovOptions& o, int points) {
  std::vector<std::string> notes;
  if (!m.random_failures) notes.push_back("random failures are off (randomFailures: false)");
  if (!m.random_deploys) {
    notes.push_back("deploys are left out (randomDeploys: false)");
  } else if (!o.deploys) {
    notes.push_back("deploys are left out (--no-deploys)");
  } else {
    for (const auto& d : m.deploys) {
      if (d.rate > 0.0 && d.change_failure_rate > 0.0 && !d.bad_deploy.detects_itself) {
        const Index c = m.services[d.service].component;
        const bool answered = m.services[d.service].runbook != models::kNoIndex;
        notes.push_back(m.names.components[c] +
                        ": bad deploys do not roll back by themselves (detectsItself: false); "
                        "here a bad version lasts until the next good deploy" +
                        (answered ? std::string(", while `relsim run` has a responder's runbook "
                                                "roll it back: this figure is pessimistic")
                                  : std::string()));
      }
    }
  }
  if (!m.runbooks.empty() || !m.alerts.empty()) {
    notes.push_back(
        "detection and responders are not modelled (alert rules on an evaluation grid, pages, "
        "acks, escalation and runbooks are not Markovian): the figures are what automatic "
        "recovery alone achieves; `relsim run` models them and reports incidents and MTTR");
  }
  if (points > 1) {
    notes.push_back("demand follows a daily profile: averaged over " + std::to_string(points) +
                    " points (" + std::to_string(points == 7 * o.points_per_day ? 7 : 1) + " day" +
                    (points == 7 * o.points_per_day ? "s" : "") + ")");
  }
  return notes;
}

}  // namespace

NotMarkovian::NotMarkovian(std::vector<Refusal> refusals)
    : std::runtime_error(joined(refusals)), refusals_(std::move(refusals)) {}

std::vector<Refusal> markov_refusals(const CompiledModel& model, const MarkovOptions& options) {
  return Checker(model, options).run();
}

MarkovResult analyze_markov(const CompiledModel& model, const MarkovOptions& options) {
  auto refusals = markov_refusals(model, options);
  if (!refusals.empty()) throw NotMarkovian(std::move(refusals));

  const std::vector<detail::Subchain> chains = detail::build_subchains(model, options);
  const std::vector<std::vector<double>> grid = demand_grid(model, options);
  const auto points = static_cast<std::uint64_t>(grid.size());

  MarkovResult res;
  res.demand_points = static_cast<int>(points);
  res.notes = notes_of(model, options, res.demand_points);
  for (const auto& sc : chains) {
    res.subchains.push_back(sc.summary);
    if (sc.summary.nominal_transient) {
      res.notes.push_back(
          sc.summary.label + ": the all-up start is transient (" +
          std::to_string(sc.summary.states - sc.summary.recurrent) + " of " +
          std::to_string(sc.summary.states) +
          " states are left for good, e.g. replicas rescheduled into zones without outages "
          "stay there, as Kubernetes does not rebalance); a month that starts all up can "
          "differ from this long run, which `relsim run` measures");
    }
  }

  Product product(chains, options.min_probability);
  const std::uint64_t limit = std::max<std::uint64_t>(1, options.max_evaluations / points);
  if (!product.run(nullptr, limit, [](double) {})) {
    throw std::runtime_error(
        "more than " + std::to_string(limit) + " combinations of sub-chain states are at least " +
        "as likely as --min-probability; analyze would take too long (raise --min-probability)");
  }

  const std::size_t nc = model.components.size();
  std::vector<double> load(nc, 0.0), good(nc, 0.0), success(nc, 0.0),
      latency_good(model.slos.size(), 0.0), latency_ratio(model.slos.size(), 0.0);
  double mass = 0.0;
  models::FluidState state = models::make_fluid_state(model);
  models::FluidResult out;
  const std::vector<double> no_slope(model.services.size(), 0.0);
  product.run(&state, limit, [&](double p) {
    mass += p;
    const double w = p / static_cast<double>(points);
    for (const auto& demand : grid) {
      models::evaluate_fluid(model, state, demand, no_slope, out);
      for (std::size_t c = 0; c < nc; ++c) {
        load[c] += w * out.load[c];
        good[c] += w * out.load[c] * out.success[c];
        success[c] += w * out.success[c];
      }
      for (std::size_t k = 0; k < model.slos.size(); ++k) {
        const auto& slo = model.slos[k];
        if (slo.sli != models::SliKind::latency || !slo.threshold) continue;
        const double f = models::latency_good_fraction(model, state, out, slo.component,
                                                       slo.threshold->to_seconds());
        latency_good[k] += w * out.load[slo.component] * f;
        latency_ratio[k] += w * f;
      }
    }
  });
  res.combinations = product.leaves();
  res.skipped_mass = product.skipped();

  res.components.resize(nc);
  for (std::size_t c = 0; c < nc; ++c) {
    res.components[c].load = load[c] / mass;
    res.components[c].availability = load[c] > 0.0 ? good[c] / load[c] : success[c] / mass;
  }
  for (const auto& sc : chains) {
    for (std::size_t f = 0; f < sc.fields.size(); ++f) {
      const auto kind = sc.fields[f].kind;
      if (kind != detail::Field::Kind::serving && kind != detail::Field::Kind::cache) continue;
      double serving = 0.0;
      for (std::size_t o = 0; o < sc.probability.size(); ++o) {
        serving += sc.probability[o] * sc.value(o, f);
      }
      res.components[sc.fields[f].index].serving = serving;
    }
  }
  for (std::size_t k = 0; k < model.slos.size(); ++k) {
    const auto& slo = model.slos[k];
    SloLongRun r;
    if (slo.sli == models::SliKind::latency && slo.threshold) {
      r.attainment = load[slo.component] > 0.0 ? latency_good[k] / load[slo.component]
                                               : latency_ratio[k] / mass;
    } else {
      r.attainment = res.components[slo.component].availability;
    }
    r.met = r.attainment >= slo.objective;
    r.budget_consumed = (1.0 - r.attainment) / (1.0 - slo.objective);
    res.slos.push_back(r);
  }
  return res;
}

}  // namespace relsim::analysis
